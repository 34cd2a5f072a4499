package comfy.workbench.cache.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import comfy.workbench.cache.api.BlobCache;
import comfy.workbench.cache.api.Cache;
import comfy.workbench.cache.api.CachePolicy;
import comfy.workbench.cache.api.CacheSpec;
import comfy.workbench.cache.api.CacheStats;

/** Names, specs, listing and removal. */
class CacheManagerTest {

    @TempDir
    Path dir;
    private final FakeTime time = new FakeTime();

    private CacheManagerImpl manager() {
        return new CacheManagerImpl(dir, time, time, Runnable::run);
    }

    private static CacheSpec<String, String> schema(long entries) {
        return CacheSpec.<String, String>of("node-schema", CachePolicy.entries(entries)
                .withExpireAfterWrite(Duration.ofHours(1)));
    }

    @Test
    void aNameIsUnique() {
        CacheManagerImpl m = manager();
        Cache<String, String> c = m.create(schema(10));
        assertSame(c, m.create(schema(10)), "an equal spec gets the same cache");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.create(schema(11)));
        assertTrue(e.getMessage().contains("node-schema"), e.getMessage());
        m.blobCache("thumbnails", 1_000);
        assertThrows(IllegalStateException.class, () -> m.create(CacheSpec.of("thumbnails", CachePolicy.entries(1))));
        assertThrows(IllegalStateException.class, () -> m.blobCache("node-schema", 1_000));
        assertThrows(IllegalStateException.class, () -> m.blobCache("thumbnails", 2_000));
        assertSame(m.blobCache("thumbnails", 1_000), m.findBlobCache("thumbnails").orElseThrow());
        assertSame(c, m.find("node-schema").orElseThrow());
        assertEquals(Optional.empty(), m.find("thumbnails"));
        assertEquals(Optional.empty(), m.find("nothing"));
    }

    @Test
    void statisticsAndHealthListEveryCacheByName() {
        CacheManagerImpl m = manager();
        m.create(schema(10)).put("server-1", "{}");
        m.blobCache("outputs", 1_000);
        m.create(CacheSpec.of("history", CachePolicy.entries(10)));
        List<CacheStats> stats = m.statistics();
        assertEquals(List.of("history", "node-schema", "outputs"), stats.stream().map(CacheStats::name).toList());
        assertEquals(1, stats.get(1).entryCount());
        assertEquals(3, m.health().size());
    }

    @Test
    void removeDropsMemoryAndDisk() throws IOException {
        CacheManagerImpl m = manager();
        Cache<String, String> c = m.create(CacheSpec.<String, String>of("d", CachePolicy.entries(10).withDiskBytes(1 << 20))
                .withCodec(Codecs.text()));
        c.put("k", "v");
        BlobCache b = m.blobCache("b", 1 << 20);
        b.put("k", new ByteArrayInputStream(new byte[5]));
        assertTrue(Files.isDirectory(dir.resolve("d")));
        m.remove("d");
        m.remove("b");
        assertFalse(Files.exists(dir.resolve("d")));
        assertFalse(Files.exists(dir.resolve("b")));
        assertEquals(Optional.empty(), m.find("d"));
        assertEquals(0, c.estimatedSize());
        // a held reference keeps working without its disk
        c.put("k2", "v2");
        assertFalse(Files.exists(dir.resolve("d")));
        // a new cache of the name starts empty
        assertEquals(Optional.empty(), m.create(CacheSpec.<String, String>of("d", CachePolicy.entries(10).withDiskBytes(1 << 20))
                .withCodec(Codecs.text())).getIfPresent("k"));
    }

    @Test
    void removeDropsTheFilesOfACacheNotCreatedInThisRun() {
        manager().create(CacheSpec.<String, String>of("old", CachePolicy.entries(10).withDiskBytes(1 << 20))
                .withCodec(Codecs.text())).put("k", "v");
        CacheManagerImpl m = manager();
        m.remove("old");
        assertFalse(Files.exists(dir.resolve("old")));
    }
}
