package comfy.workbench.workflows.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import comfy.workbench.connection.api.ComfyException;
import comfy.workbench.connection.api.ServerDescriptor;
import comfy.workbench.connection.api.ServerRegistry;
import comfy.workbench.testing.fake.FakeComfyServer;
import comfy.workbench.testing.osgi.Osgi;
import comfy.workbench.workflows.api.LibraryEntry;
import comfy.workbench.workflows.api.RemoteWorkflow;
import comfy.workbench.workflows.api.WorkflowCodec;
import comfy.workbench.workflows.api.WorkflowDraft;
import comfy.workbench.workflows.api.WorkflowException;
import comfy.workbench.workflows.api.WorkflowFormat;
import comfy.workbench.workflows.api.WorkflowLibrary;
import comfy.workbench.workflows.api.WorkflowSync;

/** The library as a service under the data folder, and syncing it with a (fake) server's saved workflows. */
class LibraryServicesTest {

    static final String DATA = "comfy.workbench.connection.internal.DataLocationComponent";
    static final String REGISTRY = "comfy.workbench.connection.internal.ServerRegistryComponent";

    @TempDir
    Path data;
    FakeComfyServer fake;
    String serverId;

    @BeforeEach
    void start() throws Exception {
        Osgi.configure("comfy.workbench.data", DATA, Map.of("directory", data.toString()));
        Osgi.configure("comfy.workbench.connection.registry", REGISTRY, Map.of("dataDirectory", data.toString()));
        fake = FakeComfyServer.builder().start();
        serverId = "sync-" + fake.port();
        Osgi.service(ServerRegistry.class).add(new ServerDescriptor(serverId, "Fake", fake.baseUri(), null));
        Osgi.await("the library on the configured data folder",
                () -> Osgi.service(WorkflowLibrary.class).folder().startsWith(data));
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    @Test
    void theLibraryServiceKeepsItsFilesUnderTheDataFolder() {
        WorkflowLibrary library = Osgi.service(WorkflowLibrary.class);
        assertEquals(data.resolve("workflows"), library.folder());
        LibraryEntry entry = library.create(WorkflowDraft.of("Service", Osgi.service(WorkflowCodec.class)
                .readApi(LibraryTest.API, "api.json")));
        assertTrue(Files.exists(data.resolve("workflows").resolve(entry.id() + ".meta.json")));
    }

    @Test
    void pushListAndPullRoundTrip() throws Exception {
        WorkflowLibrary library = Osgi.service(WorkflowLibrary.class);
        WorkflowSync sync = Osgi.service(WorkflowSync.class);
        WorkflowCodec codec = Osgi.service(WorkflowCodec.class);
        assertEquals(List.of(), sync.list(serverId), "no workflows/ folder yet is an empty list");

        // one the frontend saved: UI JSON, converted with the server's schema on pull
        Path saved = fake.dataDir().resolve("user/default/workflows/people/portrait.json");
        Files.createDirectories(saved.getParent());
        Files.writeString(saved, UiConversionTest.WORKFLOW);
        LibraryEntry pulled = sync.pull(serverId, "people/portrait.json");
        assertEquals("portrait", pulled.name());
        assertEquals(WorkflowFormat.UI_JSON, pulled.format());
        assertEquals("comfyui:" + serverId + "/workflows/people/portrait.json", pulled.metadata().source());
        assertEquals(codec.readUi(UiConversionTest.WORKFLOW, "w", Fixtures.schema()).prompt(),
                library.read(pulled.id()).workflow().prompt());

        // pulling again updates the same entry
        LibraryEntry again = sync.pull(serverId, "people/portrait.json");
        assertEquals(pulled.id(), again.id());
        assertEquals(2, again.revision());

        // pushing an API-only workflow writes its API JSON under its name and links it
        LibraryEntry local = library.create(WorkflowDraft.of("Local one", codec.readApi(LibraryTest.API, "api.json")));
        assertEquals("Local one.json", sync.push(serverId, local.id(), null, false));
        assertEquals(codec.readApi(LibraryTest.API, "x").prompt(), codec.readApi(Files.readString(
                fake.dataDir().resolve("user/default/workflows/Local one.json"), StandardCharsets.UTF_8), "y").prompt());
        ComfyException exists = assertThrows(ComfyException.class, () -> sync.push(serverId, local.id(), null, false));
        assertEquals(409, exists.status().orElse(0), exists.getMessage());
        assertEquals("Local one.json", sync.push(serverId, local.id(), null, true));

        List<RemoteWorkflow> remote = sync.list(serverId);
        assertEquals(2, remote.size(), remote.toString());
        for (RemoteWorkflow r : remote) {
            assertEquals(r.path().equals("Local one.json") ? local.id() : pulled.id(), r.localId(), r.toString());
        }
    }

    @Test
    void badFilesAndPathsAreClearErrors() throws Exception {
        WorkflowSync sync = Osgi.service(WorkflowSync.class);
        Path dir = fake.dataDir().resolve("user/default/workflows");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("cut.json"), "{\"nodes\": [");
        WorkflowException cut = assertThrows(WorkflowException.class, () -> sync.pull(serverId, "cut.json"));
        assertEquals(WorkflowException.Kind.NOT_JSON, cut.kind());
        assertTrue(cut.getMessage().contains("workflows/cut.json"), cut.getMessage());
        WorkflowException missing = assertThrows(WorkflowException.class, () -> sync.pull(serverId, "none.json"));
        assertTrue(missing.getMessage().contains("no such saved workflow"), missing.getMessage());
        assertThrows(IllegalArgumentException.class, () -> sync.pull(serverId, "../comfy.settings.json"));
        assertThrows(IllegalArgumentException.class, () -> sync.pull("no-such-server", "a.json"));
        assertEquals(List.of(), Osgi.service(WorkflowLibrary.class).entries(), "nothing half-imported");
    }
}
