package comfy.workbench.cache.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import comfy.workbench.cache.api.BlobCache;
import comfy.workbench.cache.api.Cache;
import comfy.workbench.cache.api.CacheCodec;
import comfy.workbench.cache.api.CacheHealth;
import comfy.workbench.cache.api.CachePolicy;
import comfy.workbench.cache.api.CachePolicy.Eviction;
import comfy.workbench.cache.api.CacheSpec;

/**
 * Threads writing, reading, loading and invalidating one small cache with a disk tier at once: nothing throws and no
 * lookup ever returns another key's value (each value names its key).
 */
class ConcurrencyTest {

    @TempDir
    Path dir;

    private static String value(int key, int version) {
        return "value of " + key + " #" + version + " " + "x".repeat(key * 7 % 300);
    }

    private static void check(int key, String v) {
        assertTrue(v.startsWith("value of " + key + " #"), "key " + key + " read " + v);
    }

    @ParameterizedTest
    @EnumSource(Eviction.class)
    void tieredCacheUnderContention(Eviction eviction) throws Exception {
        FakeTime time = new FakeTime();
        CacheManagerImpl m = new CacheManagerImpl(dir, time, time, Runnable::run);
        Cache<Integer, String> c = m.create(CacheSpec.<Integer, String>of("c", CachePolicy.entries(8)
                .withEviction(eviction).withDiskBytes(6_000)).withCodec(new IntKeys()));
        run(4, 3_000, (random, i) -> {
            int key = random.nextInt(40);
            switch (random.nextInt(5)) {
                case 0 -> c.put(key, value(key, i));
                case 1 -> c.invalidate(key);
                case 2 -> check(key, c.get(key, k -> value(k, -1)));
                default -> c.getIfPresent(key).ifPresent(v -> check(key, v));
            }
        });
        assertEquals(CacheHealth.Status.OK, m.health().get(0).status(), m.health().toString());
        assertTrue(c.stats().diskBytes() <= 6_000, c.stats().toString());
        assertEquals(0, c.stats().diskCorrupt());
    }

    @Test
    void blobCacheUnderContention() throws Exception {
        FakeTime time = new FakeTime();
        CacheManagerImpl m = new CacheManagerImpl(dir, time, time, Runnable::run);
        BlobCache b = m.blobCache("b", 20_000);
        run(4, 1_500, (random, i) -> {
            int key = random.nextInt(30);
            if (random.nextInt(3) == 0) {
                b.put("k" + key, new ByteArrayInputStream(value(key, i).repeat(5).getBytes(StandardCharsets.UTF_8)));
            } else {
                Optional<InputStream> in = b.open("k" + key);
                if (in.isPresent()) {
                    try (InputStream s = in.get()) {
                        check(key, new String(s.readAllBytes(), StandardCharsets.UTF_8));
                    }
                }
            }
        });
        assertEquals(CacheHealth.Status.OK, m.health().get(0).status(), m.health().toString());
        assertTrue(b.stats().diskBytes() <= 20_000);
        assertEquals(0, b.stats().diskCorrupt());
    }

    interface Step {
        void run(ThreadLocalRandom random, int i) throws Exception;
    }

    private static void run(int threads, int steps, Step step) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    for (int i = 0; i < steps; i++) {
                        step.run(random, i);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Integer keys as decimal strings, values as UTF-8. */
    static final class IntKeys implements CacheCodec<Integer, String> {
        @Override
        public String key(Integer key) {
            return key.toString();
        }

        @Override
        public byte[] encode(String value) {
            return value.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String decode(byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }
}
