package comfy.workbench.cache.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import comfy.workbench.cache.api.Cache;
import comfy.workbench.cache.api.CacheHealth;
import comfy.workbench.cache.api.CachePolicy;
import comfy.workbench.cache.api.CachePolicy.Eviction;
import comfy.workbench.cache.api.CacheSpec;
import comfy.workbench.cache.api.CacheStats;

/** The disk tier under a memory tier: restarts, budget, corruption, failures. */
class DiskTierTest {

    @TempDir
    Path dir;
    private final FakeTime time = new FakeTime();

    /** A new manager over the same folder: what a restart of the workbench sees. */
    private CacheManagerImpl restart() {
        return new CacheManagerImpl(dir, time, time, Runnable::run);
    }

    private static CacheSpec<String, String> spec(long diskBytes) {
        return CacheSpec.<String, String>of("d", CachePolicy.entries(2).withEviction(Eviction.LRU).withDiskBytes(diskBytes))
                .withCodec(Codecs.text());
    }

    private Path file(String key) {
        return dir.resolve("d").resolve(DiskStore.fileName(key));
    }

    @Test
    void entriesSurviveARestartAndArePromoted() {
        Cache<String, String> c = restart().create(spec(1 << 20));
        c.put("schema", "{\"KSampler\":{}}");
        c.put("other", "x");
        Cache<String, String> after = restart().create(spec(1 << 20));
        assertEquals(0, after.estimatedSize());
        assertEquals(Optional.of("{\"KSampler\":{}}"), after.getIfPresent("schema"));
        assertEquals(1, after.estimatedSize(), "promoted to memory");
        assertEquals("x", after.get("other", k -> "loaded"), "the disk answers before the loader");
        CacheStats s = after.stats();
        assertEquals(2, s.hits());
        assertEquals(2, s.diskHits());
        assertEquals(0, s.misses());
        assertEquals(0, s.loadSuccesses(), "a disk hit is not a load");
        assertEquals(2, s.diskEntries());
        assertTrue(s.diskBytes() > 0);
    }

    @Test
    void aMemoryEvictionLeavesTheEntryOnDisk() {
        Cache<String, String> c = restart().create(spec(1 << 20));
        for (int i = 0; i < 5; i++) {
            c.put("k" + i, "v" + i);
        }
        assertEquals(2, c.estimatedSize());
        assertEquals(Optional.of("v0"), c.getIfPresent("k0"));
        assertEquals(5, c.stats().diskEntries());
    }

    @Test
    void budgetEvictsTheLeastRecentlyUsedAcrossRestarts() throws IOException {
        String value = "v".repeat(1_000);
        Cache<String, String> c = restart().create(spec(3_300)); // three files of ~1,030 bytes
        for (String k : List.of("a", "b", "c")) {
            c.put(k, value);
            time.advance(Duration.ofSeconds(1));
        }
        assertEquals(3, c.stats().diskEntries());
        // restart: recency comes from the files; reading a makes b the eldest
        Cache<String, String> after = restart().create(spec(3_300));
        time.advance(Duration.ofSeconds(1));
        assertEquals(Optional.of(value), after.getIfPresent("a"));
        time.advance(Duration.ofSeconds(1));
        after.put("d", value);
        assertFalse(Files.exists(file("b")), "b was the least recently used");
        assertTrue(Files.exists(file("a")) && Files.exists(file("c")) && Files.exists(file("d")));
        // and once more across a restart: c is now the eldest
        Cache<String, String> third = restart().create(spec(3_300));
        time.advance(Duration.ofSeconds(1));
        third.put("e", value);
        assertFalse(Files.exists(file("c")));
        CacheStats s = third.stats();
        assertEquals(3, s.diskEntries());
        assertTrue(s.diskBytes() <= 3_300, "disk bytes " + s.diskBytes());
        assertEquals(1, s.diskEvictions());
    }

    private void corruptAndExpectAMiss(String how, FileDamage damage) throws IOException {
        Cache<String, String> c = restart().create(spec(1 << 20));
        c.put("k", "the right value, long enough to damage in the middle");
        damage.apply(file("k"));
        Cache<String, String> after = restart().create(spec(1 << 20));
        assertEquals(Optional.empty(), after.getIfPresent("k"), how + " is a miss");
        assertEquals("loaded", after.get("k", x -> "loaded"), how + ": the loader runs");
        CacheStats s = after.stats();
        assertEquals(1, s.diskCorrupt(), how);
        assertEquals(0, s.diskHits(), how);
        assertEquals(0, s.hits(), how);
        assertEquals(Optional.of("loaded"), restart().create(spec(1 << 20)).getIfPresent("k"),
                how + ": the file is replaced with the loaded value");
    }

    interface FileDamage {
        void apply(Path file) throws IOException;
    }

    @Test
    void aFlippedPayloadByteIsAMiss() throws IOException {
        corruptAndExpectAMiss("a flipped payload byte", f -> flip(f, Files.size(f) - 10));
    }

    @Test
    void aFlippedHeaderByteIsAMiss() throws IOException {
        corruptAndExpectAMiss("a flipped write time", f -> flip(f, 17));
    }

    @Test
    void aFlippedKeyByteIsAMiss() throws IOException {
        corruptAndExpectAMiss("a flipped key byte", f -> flip(f, 28));
    }

    @Test
    void aTruncatedFileIsAMiss() throws IOException {
        corruptAndExpectAMiss("a truncated file", f -> {
            try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
                r.setLength(r.length() - 5);
            }
        });
    }

    @Test
    void anEmptyFileIsAMiss() throws IOException {
        corruptAndExpectAMiss("an empty file", f -> Files.write(f, new byte[0]));
    }

    @Test
    void garbageIsAMiss() throws IOException {
        corruptAndExpectAMiss("garbage", f -> Files.writeString(f, "CWC1 not a cache file at all, only text"));
    }

    @Test
    void anotherKeysFileIsAMiss() throws IOException {
        corruptAndExpectAMiss("another key's file", f -> {
            Cache<String, String> c = restart().create(spec(1 << 20));
            c.put("other", "the other value");
            Files.copy(file("other"), f, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        });
    }

    private static void flip(Path f, long at) throws IOException {
        try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
            r.seek(at);
            int b = r.read();
            r.seek(at);
            r.write(b ^ 0x01);
        }
    }

    @Test
    void anUnwritableFolderIsAMissAndCritical() throws IOException {
        // a file where the cache's folder should be: not writable even for root
        Files.writeString(dir.resolve("d"), "in the way");
        CacheManagerImpl m = restart();
        Cache<String, String> c = m.create(spec(1 << 20));
        c.put("k", "v"); // no exception
        assertEquals(Optional.of("v"), c.getIfPresent("k"), "memory still works");
        CacheManagerImpl after = restart();
        Cache<String, String> c2 = after.create(spec(1 << 20));
        assertEquals(Optional.empty(), c2.getIfPresent("k"));
        assertEquals("w", c2.get("k", x -> "w"));
        CacheHealth h = after.health().get(0);
        assertEquals(CacheHealth.Status.CRITICAL, h.status(), h.toString());
        assertTrue(h.advice().get(0).contains("cannot be written"), h.advice().toString());
        assertTrue(c2.stats().diskErrors() > 0);
        assertEquals(CacheHealth.Status.CRITICAL, m.health().get(0).status());
    }

    @Test
    void aVanishedFolderIsAMissThenMadeAgain() {
        CacheManagerImpl m = restart();
        Cache<String, String> c = m.create(spec(1 << 20));
        for (int i = 0; i < 5; i++) {
            c.put("k" + i, "v" + i);
        }
        DiskStore.deleteTree(dir.resolve("d"));
        assertEquals(Optional.empty(), c.getIfPresent("k0"), "k0 was only on disk");
        c.put("new", "n");
        assertTrue(Files.exists(file("new")), "the folder is made again on the next write");
        assertEquals(CacheHealth.Status.OK, m.health().get(0).status(), m.health().toString());
    }

    @Test
    void diskEntriesExpireAfterWrite() {
        CacheSpec<String, String> s = CacheSpec.<String, String>of("d", CachePolicy.entries(10)
                .withExpireAfterWrite(Duration.ofHours(1)).withDiskBytes(1 << 20)).withCodec(Codecs.text());
        restart().create(s).put("k", "v");
        time.advance(Duration.ofMinutes(30));
        assertEquals(Optional.of("v"), restart().create(s).getIfPresent("k"));
        time.advance(Duration.ofMinutes(31));
        Cache<String, String> later = restart().create(s);
        assertEquals(Optional.empty(), later.getIfPresent("k"));
        assertEquals(1, later.stats().expiredEvictions());
        assertFalse(Files.exists(file("k")));
    }

    @Test
    void invalidateRemovesTheFile() {
        Cache<String, String> c = restart().create(spec(1 << 20));
        c.put("a", "1");
        c.put("b", "2");
        c.invalidate("a");
        assertFalse(Files.exists(file("a")));
        c.invalidateAll();
        assertFalse(Files.exists(file("b")));
        assertEquals(Optional.empty(), restart().create(spec(1 << 20)).getIfPresent("b"));
    }

    @Test
    void aValueTheCodecCannotReadIsAMiss() {
        restart().create(spec(1 << 20)).put("k", "v");
        CacheSpec<String, String> strict = CacheSpec.<String, String>of("d", CachePolicy.entries(2).withEviction(Eviction.LRU)
                .withDiskBytes(1 << 20)).withCodec(new Codecs.Text() {
                    @Override
                    public String decode(byte[] bytes) throws IOException {
                        throw new IOException("written by an older version: " + new String(bytes, StandardCharsets.UTF_8));
                    }
                });
        Cache<String, String> c = restart().create(strict);
        assertEquals(Optional.empty(), c.getIfPresent("k"));
        assertEquals(1, c.stats().diskCorrupt());
        assertFalse(Files.exists(file("k")));
    }
}
