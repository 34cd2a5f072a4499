package comfy.workbench.queue.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import comfy.workbench.cache.api.CacheManager;
import comfy.workbench.connection.api.ComfyClient;
import comfy.workbench.connection.api.ComfyClients;
import comfy.workbench.connection.api.ComfyException;
import comfy.workbench.connection.api.FileRef;
import comfy.workbench.connection.api.ServerDescriptor;
import comfy.workbench.connection.api.ServerRegistry;
import comfy.workbench.testing.fake.FakeComfyServer;
import comfy.workbench.testing.osgi.Osgi;
import comfy.workbench.testing.osgi.TestPlatform;

/**
 * Downloads through the client's own copies of outputs: the platform's client and cache manager against the fake
 * server, whose files the tests write, change and delete.
 */
class DownloadedOutputsTest {

    private static final String VIEW = "GET /view";

    @TempDir
    Path root;
    private FakeComfyServer fake;
    private String server;
    private String cacheName;
    private DownloadedOutputs outputs;

    @BeforeEach
    void start() throws Exception {
        TestPlatform.configure(root.resolve("data"));
        fake = FakeComfyServer.builder().start();
        server = "fake-" + UUID.randomUUID().toString().substring(0, 8);
        Osgi.service(ServerRegistry.class).add(new ServerDescriptor(server, "Fake", fake.baseUri(), null));
        cacheName = "test-outputs-" + UUID.randomUUID().toString().substring(0, 8);
        outputs = new DownloadedOutputs(Osgi.service(CacheManager.class).blobCache(cacheName, 64L << 20));
    }

    @AfterEach
    void stop() {
        outputs.close();
        Osgi.service(ServerRegistry.class).remove(server);
        Osgi.service(CacheManager.class).remove(cacheName);
        fake.close();
    }

    private ComfyClient client() {
        return Osgi.service(ComfyClients.class).client(server).orElseThrow();
    }

    /** Writes a file into the fake server's folder of this type; random bytes, more than one copy buffer's worth. */
    private byte[] onServer(FileRef file, int seed) throws Exception {
        byte[] content = new byte[200_000 + seed];
        new Random(seed).nextBytes(content);
        Path folder = fake.dataDir().resolve(file.type()).resolve(file.subfolder());
        Files.createDirectories(folder);
        Files.write(folder.resolve(file.filename()), content);
        return content;
    }

    private void deleteOnServer(FileRef file) throws Exception {
        Files.delete(fake.dataDir().resolve(file.type()).resolve(file.subfolder()).resolve(file.filename()));
    }

    /** Downloads, then waits for the copies, which are made behind the download. */
    private List<Path> download(String promptId, Path folder, FileRef... files) throws Exception {
        try {
            return OutputFiles.download(client(), server, promptId, List.of(files), folder, outputs);
        } finally {
            outputs.awaitCopies();
        }
    }

    @Test
    void aDownloadRedoneFetchesOnlyWhatItLackedEvenWhenTheServerNoLongerHasIt() throws Exception {
        FileRef preview = new FileRef("ComfyUI_temp_abcde_00001_.png", "", "temp");
        FileRef saved = new FileRef("ComfyUI_00001_.png", "portraits", "output");
        byte[] previewBytes = onServer(preview, 1);
        Path folder = root.resolve("outputs/job");

        // the second file is not there yet: the download fails after the first was fetched
        ComfyException e = assertThrows(ComfyException.class, () -> download("p1", folder, preview, saved));
        assertEquals(OptionalInt.of(404), e.status(), e.getMessage());
        assertEquals(2, fake.requests(VIEW), "the first file, then the missing one");

        byte[] savedBytes = onServer(saved, 2);
        deleteOnServer(preview); // as a restarted server empties its temp folder
        List<Path> files = download("p1", folder, preview, saved);

        assertEquals(3, fake.requests(VIEW), "only the file the first download lacked is fetched");
        assertArrayEquals(previewBytes, Files.readAllBytes(files.get(0)));
        assertArrayEquals(savedBytes, Files.readAllBytes(files.get(1)));
    }

    @Test
    void aDamagedCopyIsAMissAndTheFileIsFetchedAgain() throws Exception {
        FileRef file = new FileRef("ComfyUI_00002_.png", "", "output");
        byte[] content = onServer(file, 3);
        download("p2", root.resolve("first"), file);
        Path copy;
        try (Stream<Path> all = Files.walk(root.resolve("data"))) {
            copy = all.filter(p -> Files.isRegularFile(p) && p.getParent().getFileName().toString().equals(cacheName))
                    .findFirst().orElseThrow();
        }
        byte[] damaged = Files.readAllBytes(copy);
        damaged[damaged.length - 10] ^= 0x5A;
        Files.write(copy, damaged);

        List<Path> again = download("p2", root.resolve("second"), file);

        assertEquals(2, fake.requests(VIEW));
        assertArrayEquals(content, Files.readAllBytes(again.get(0)));
        assertEquals(1, Osgi.service(CacheManager.class).findBlobCache(cacheName).orElseThrow().stats().diskCorrupt());
    }

    @Test
    void aNameTheServerReusesForAnotherPromptIsFetchedForThatPrompt() throws Exception {
        FileRef file = new FileRef("ComfyUI_00003_.png", "", "output");
        byte[] first = onServer(file, 4);
        download("p3", root.resolve("a"), file);
        deleteOnServer(file);
        byte[] second = onServer(file, 5); // deleted, then written again under the same name by another prompt

        List<Path> other = download("p4", root.resolve("b"), file);
        List<Path> redone = download("p3", root.resolve("c"), file);

        assertEquals(2, fake.requests(VIEW));
        assertArrayEquals(second, Files.readAllBytes(other.get(0)));
        assertArrayEquals(first, Files.readAllBytes(redone.get(0)), "each prompt gets its own file back");
    }

    @Test
    void aFileChangedInTheJobsFolderBeforeItsCopyIsMadeIsNotKept() throws Exception {
        FileRef file = new FileRef("ComfyUI_00005_.png", "", "output");
        byte[] content = onServer(file, 7);
        Path folder = root.resolve("edited");
        CountDownLatch copying = new CountDownLatch(1);
        outputs.holdCopiesUntil(copying); // the file is edited before its copy is made
        List<Path> saved = OutputFiles.download(client(), server, "p6", List.of(file), folder, outputs);
        Files.write(saved.get(0), "painted over".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        copying.countDown();
        outputs.awaitCopies();

        List<Path> again = download("p6", root.resolve("again"), file);

        assertEquals(2, fake.requests(VIEW));
        assertArrayEquals(content, Files.readAllBytes(again.get(0)));
    }

    @Test
    void aFileLargerThanTheBudgetIsDownloadedButNotKept() throws Exception {
        outputs.close();
        outputs = new DownloadedOutputs(Osgi.service(CacheManager.class).blobCache(cacheName + "-small", 100_000));
        try {
            FileRef file = new FileRef("ComfyUI_00004_.png", "", "output");
            byte[] content = onServer(file, 6);
            download("p5", root.resolve("a"), file);
            List<Path> again = download("p5", root.resolve("b"), file);

            assertEquals(2, fake.requests(VIEW));
            assertArrayEquals(content, Files.readAllBytes(again.get(0)));
        } finally {
            Osgi.service(CacheManager.class).remove(cacheName + "-small");
        }
    }
}
