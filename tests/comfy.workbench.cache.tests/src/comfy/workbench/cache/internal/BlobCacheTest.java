package comfy.workbench.cache.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import comfy.workbench.cache.api.BlobCache;
import comfy.workbench.cache.api.CacheHealth;
import comfy.workbench.cache.api.CacheStats;

/** Files streamed in and out of a blob cache. */
class BlobCacheTest {

    @TempDir
    Path dir;
    private final FakeTime time = new FakeTime();

    private BlobCache blobs(long budget) {
        return new CacheManagerImpl(dir, time, time, Runnable::run).blobCache("outputs", budget);
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static byte[] read(BlobCache c, String key) throws IOException {
        try (InputStream in = c.open(key).orElseThrow(() -> new AssertionError("no " + key))) {
            return in.readAllBytes();
        }
    }

    @Test
    void streamsLargeDataBothWaysAndKeepsItAcrossARestart() throws IOException {
        byte[] image = random(1_000_000, 1); // many buffers long
        BlobCache c = blobs(10_000_000);
        assertTrue(c.put("prompt-1/ComfyUI_00001_.png", new ByteArrayInputStream(image)));
        assertArrayEquals(image, read(c, "prompt-1/ComfyUI_00001_.png"));
        assertTrue(Files.exists(dir.resolve("outputs")), "files live under <root>/<name>");
        BlobCache after = blobs(10_000_000);
        assertTrue(after.contains("prompt-1/ComfyUI_00001_.png"));
        assertArrayEquals(image, read(after, "prompt-1/ComfyUI_00001_.png"));
        assertFalse(after.open("missing").isPresent());
        CacheStats s = after.stats();
        assertEquals(1, s.hits());
        assertEquals(1, s.misses());
        assertEquals(1, s.diskEntries());
        assertTrue(s.diskBytes() > 1_000_000);
    }

    @Test
    void dataOverTheBudgetIsNotStored() throws IOException {
        BlobCache c = blobs(1_000);
        assertFalse(c.put("big", new ByteArrayInputStream(random(5_000, 2))));
        assertFalse(c.contains("big"));
        assertEquals(0, c.stats().diskBytes());
        try (var files = Files.list(dir.resolve("outputs"))) {
            assertEquals(0, files.count(), "no temporary file left");
        }
    }

    @Test
    void theBudgetEvictsTheLeastRecentlyUsed() throws IOException {
        BlobCache c = blobs(3_500);
        for (String k : new String[] { "a", "b", "c" }) {
            c.put(k, new ByteArrayInputStream(random(1_000, k.hashCode())));
            time.advance(Duration.ofSeconds(1));
        }
        read(c, "a");
        time.advance(Duration.ofSeconds(1));
        c.put("d", new ByteArrayInputStream(random(1_000, 4)));
        assertTrue(c.contains("a") && c.contains("c") && c.contains("d"));
        assertFalse(c.contains("b"));
        assertEquals(1, c.stats().diskEvictions());
    }

    @Test
    void aCorruptFileIsAMissNeverWrongData() throws IOException {
        CacheManagerImpl m = new CacheManagerImpl(dir, time, time, Runnable::run);
        BlobCache c = m.blobCache("outputs", 10_000_000);
        c.put("k", new ByteArrayInputStream(random(200_000, 3)));
        Path file = dir.resolve("outputs").resolve(DiskStore.fileName("k"));
        try (RandomAccessFile r = new RandomAccessFile(file.toFile(), "rw")) {
            r.seek(150_000);
            int b = r.read();
            r.seek(150_000);
            r.write(b ^ 0x80);
        }
        assertFalse(c.open("k").isPresent());
        assertFalse(Files.exists(file), "deleted");
        assertEquals(1, c.stats().diskCorrupt());
        CacheHealth h = m.health().get(0);
        assertEquals(CacheHealth.Status.WARN, h.status());
        assertTrue(h.advice().get(0).contains("corrupt"), h.advice().toString());
    }

    @Test
    void aFailingSourceThrowsAndKeepsThePreviousData() throws IOException {
        BlobCache c = blobs(10_000_000);
        byte[] old = random(100, 5);
        c.put("k", new ByteArrayInputStream(old));
        InputStream failing = new InputStream() {
            private int left = 100_000;

            @Override
            public int read() throws IOException {
                if (left-- <= 0) {
                    throw new IOException("connection reset");
                }
                return 7;
            }
        };
        assertThrows(IOException.class, () -> c.put("k", failing));
        assertArrayEquals(old, read(c, "k"));
        try (var files = Files.list(dir.resolve("outputs"))) {
            assertEquals(1, files.count(), "no temporary file left");
        }
    }

    @Test
    void anUnwritableFolderIsAMissAndCritical() throws IOException {
        Files.writeString(dir.resolve("outputs"), "in the way");
        CacheManagerImpl m = new CacheManagerImpl(dir, time, time, Runnable::run);
        BlobCache c = m.blobCache("outputs", 1_000_000);
        assertFalse(c.put("k", new ByteArrayInputStream(new byte[10])));
        assertFalse(c.open("k").isPresent());
        CacheHealth h = m.health().get(0);
        assertEquals(CacheHealth.Status.CRITICAL, h.status());
        assertTrue(h.advice().get(0).contains("outputs"), h.advice().toString());
    }

    @Test
    void invalidate() throws IOException {
        BlobCache c = blobs(10_000);
        c.put("a", new ByteArrayInputStream(new byte[10]));
        c.put("b", new ByteArrayInputStream(new byte[10]));
        c.invalidate("a");
        assertFalse(c.contains("a"));
        c.invalidateAll();
        assertFalse(c.contains("b"));
        assertEquals(0, c.stats().diskEntries());
    }
}
