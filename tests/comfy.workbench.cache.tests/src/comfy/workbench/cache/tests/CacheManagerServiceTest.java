package comfy.workbench.cache.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import comfy.workbench.cache.api.BlobCache;
import comfy.workbench.cache.api.Cache;
import comfy.workbench.cache.api.CacheHealth;
import comfy.workbench.cache.api.CacheManager;
import comfy.workbench.cache.api.CachePolicy;
import comfy.workbench.cache.api.CacheSpec;
import comfy.workbench.testing.osgi.Osgi;

/** The DS service, as another bundle gets it from the framework. */
class CacheManagerServiceTest {

    static final String COMPONENT = "comfy.workbench.cache.internal.CacheManagerComponent";

    @TempDir
    Path dir;

    @Test
    void theServiceCachesInMemoryAndOnDisk() throws Exception {
        Osgi.configure("comfy.workbench.data", "comfy.workbench.connection.internal.DataLocationComponent",
                Map.of("directory", dir.resolve("data").toString()));
        Osgi.configure("comfy.workbench.cache", COMPONENT,
                Map.of("directory", dir.resolve("caches").toString(), "fixture", UUID.randomUUID().toString()));
        CacheManager manager = Osgi.service(CacheManager.class);

        Cache<String, String> history = manager.create(CacheSpec.of("history", CachePolicy.entries(100)));
        assertEquals("done", history.get("prompt-1", k -> "done"));
        assertEquals(Optional.of("done"), history.getIfPresent("prompt-1"));

        BlobCache thumbnails = manager.blobCache("thumbnails", 1 << 20);
        thumbnails.put("a.png", new ByteArrayInputStream(new byte[] { 1, 2, 3 }));
        try (InputStream in = thumbnails.open("a.png").orElseThrow()) {
            assertEquals(3, in.readAllBytes().length);
        }
        assertTrue(Files.isDirectory(dir.resolve("caches").resolve("thumbnails")), "under the configured folder");

        assertEquals(2, manager.statistics().size());
        assertTrue(manager.health().stream().allMatch(h -> h.status() == CacheHealth.Status.OK), manager.health().toString());
        manager.remove("history");
        manager.remove("thumbnails");
        assertEquals(0, manager.statistics().size());
    }

    @Test
    void withoutAFolderTheDataFolderIsUsed() throws Exception {
        Path data = dir.resolve("data");
        Osgi.configure("comfy.workbench.data", "comfy.workbench.connection.internal.DataLocationComponent",
                Map.of("directory", data.toString()));
        Osgi.configure("comfy.workbench.cache", COMPONENT, Map.of("directory", "", "fixture", UUID.randomUUID().toString()));
        CacheManager manager = Osgi.service(CacheManager.class);
        BlobCache outputs = manager.blobCache("outputs-test", 1 << 20);
        try {
            outputs.put("x", new ByteArrayInputStream(new byte[1]));
            assertTrue(Files.isDirectory(data.resolve("cache").resolve("outputs-test")), "<data>/cache/<name>");
        } catch (IOException e) {
            throw new AssertionError(e);
        } finally {
            manager.remove("outputs-test");
        }
    }
}
