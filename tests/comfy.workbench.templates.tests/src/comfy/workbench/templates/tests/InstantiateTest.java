package comfy.workbench.templates.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import comfy.workbench.connection.api.ComfyClient;
import comfy.workbench.connection.api.ComfyClients;
import comfy.workbench.connection.api.PromptAccepted;
import comfy.workbench.connection.api.PromptRequest;
import comfy.workbench.connection.api.ServerDescriptor;
import comfy.workbench.templates.api.Instance;
import comfy.workbench.templates.api.Template;
import comfy.workbench.templates.api.TemplateException;
import comfy.workbench.templates.api.TemplateService;
import comfy.workbench.testing.captures.Captures;
import comfy.workbench.testing.fake.FakeComfyServer;
import comfy.workbench.testing.osgi.Osgi;
import comfy.workbench.workflows.api.WorkflowCodec;

/** Instantiating against a (fake) server: the image is uploaded, the seed drawn, and the server takes the graph. */
class InstantiateTest {

    @TempDir
    Path dir;
    FakeComfyServer fake;
    ComfyClient client;
    TemplateService service;
    Template template;

    @BeforeEach
    void start() {
        fake = FakeComfyServer.builder().start();
        client = Osgi.service(ComfyClients.class).client(new ServerDescriptor("tpl-" + fake.port(), "Fake",
                fake.baseUri(), null));
        service = Osgi.service(TemplateService.class);
        template = Fixtures.template(service, Fixtures.base(Osgi.service(WorkflowCodec.class)));
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    @Test
    void theImageIsUploadedAndTheServerAcceptsTheInstance() throws Exception {
        Path image = Files.copy(Captures.locate().file("files/03_upload_src.png"), dir.resolve("portrait.png"));
        Instance instance = service.instantiate(template, Map.of("image", image, "seed", "random", "size", 64), client);
        String uploaded = instance.values().get("image").getAsString();
        assertTrue(Files.isRegularFile(fake.dataDir().resolve("input").resolve(uploaded)), uploaded);
        assertEquals(uploaded, instance.prompt().node("1").orElseThrow().input("image").orElseThrow().getAsString());
        BigInteger seed = instance.values().get("seed").getAsBigInteger();
        assertEquals(seed, instance.prompt().node("5").orElseThrow().input("noise_seed").orElseThrow().getAsBigInteger());

        PromptAccepted accepted = client.submit(PromptRequest.of(instance.prompt()));
        assertTrue(accepted.nodeErrors().isEmpty(), accepted.toString());
    }

    @Test
    void aFileIsUploadedOncePerServerForManyInstancesAndAgainWhenItChanges() throws Exception {
        Path image = Files.copy(Captures.locate().file("files/03_upload_src.png"), dir.resolve("sweep.png"));
        String first = service.instantiate(template, Map.of("image", image, "size", 64), client).values().get("image")
                .getAsString();
        for (int size : new int[] { 128, 256, 512 }) {
            Instance next = service.instantiate(template, Map.of("image", image, "size", size), client);
            assertEquals(first, next.values().get("image").getAsString());
        }
        assertEquals(1, fake.requests("POST /upload/image"), "one upload for four instances");

        try (FakeComfyServer other = FakeComfyServer.builder().start()) {
            ComfyClient otherClient = Osgi.service(ComfyClients.class).client(new ServerDescriptor("tpl-" + other.port(),
                    "Other", other.baseUri(), null));
            String there = service.instantiate(template, Map.of("image", image), otherClient).values().get("image")
                    .getAsString();
            assertTrue(Files.isRegularFile(other.dataDir().resolve("input").resolve(there)), there);
            assertEquals(1, other.requests("POST /upload/image"), "another server gets its own upload");
        }

        // the file edited (another size) is another image: uploaded again
        Files.write(image, new byte[] { 1, 2, 3 }, java.nio.file.StandardOpenOption.APPEND);
        service.instantiate(template, Map.of("image", image), client);
        assertEquals(2, fake.requests("POST /upload/image"));
    }

    @Test
    void aFailedUploadNamesTheFileAndTheServer() throws Exception {
        Path image = Files.write(dir.resolve("lost.png"), TemplateServiceTest.PNG_SIGNATURE);
        fake.stop();
        TemplateException e = assertThrows(TemplateException.class,
                () -> service.instantiate(template, Map.of("image", image), client));
        assertEquals(TemplateException.Kind.UPLOAD_FAILED, e.kind());
        assertTrue(e.getMessage().contains("lost.png") && e.getMessage().contains("tpl-" + fake.port()), e.getMessage());
    }
}
