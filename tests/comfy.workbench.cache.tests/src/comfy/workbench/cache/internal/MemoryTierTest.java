package comfy.workbench.cache.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import comfy.workbench.cache.api.Cache;
import comfy.workbench.cache.api.CachePolicy;
import comfy.workbench.cache.api.CachePolicy.Eviction;
import comfy.workbench.cache.api.CacheSpec;
import comfy.workbench.cache.api.CacheStats;

/** Every eviction order honours the same policy: bounds, expiry, loads and figures. */
class MemoryTierTest {

    @TempDir
    Path dir;
    private final FakeTime time = new FakeTime();
    private CacheManagerImpl manager;

    @BeforeEach
    void manager() {
        manager = new CacheManagerImpl(dir, time, time, Runnable::run);
    }

    private Cache<String, String> cache(CachePolicy policy) {
        return manager.create(CacheSpec.of("c", policy));
    }

    @ParameterizedTest
    @EnumSource(Eviction.class)
    void boundedByEntries(Eviction eviction) {
        Cache<String, String> c = cache(CachePolicy.entries(10).withEviction(eviction));
        for (int i = 0; i < 50; i++) {
            c.put("k" + i, "v" + i);
        }
        CacheStats s = c.stats();
        assertTrue(s.entryCount() <= 10, "entries " + s.entryCount());
        assertEquals(50 - s.entryCount(), s.sizeEvictions());
        assertEquals(0, s.expiredEvictions());
    }

    @ParameterizedTest
    @EnumSource(Eviction.class)
    void boundedByWeight(Eviction eviction) {
        Cache<String, String> c = manager.create(CacheSpec.<String, String>of("w",
                CachePolicy.weight(1_000).withEviction(eviction)).withWeigher((k, v) -> v.length()));
        for (int i = 0; i < 30; i++) {
            c.put("k" + i, "x".repeat(100));
        }
        CacheStats s = c.stats();
        assertTrue(s.weightBytes() <= 1_000, "weight " + s.weightBytes());
        assertEquals(s.entryCount() * 100, s.weightBytes());
        assertTrue(s.sizeEvictions() >= 20, "evictions " + s.sizeEvictions());
        // an entry heavier than the whole cache does not stay
        c.put("huge", "x".repeat(2_000));
        assertTrue(c.stats().weightBytes() <= 1_000);
    }

    @ParameterizedTest
    @EnumSource(Eviction.class)
    void expiresAfterWrite(Eviction eviction) {
        Cache<String, String> c = cache(CachePolicy.entries(100).withEviction(eviction)
                .withExpireAfterWrite(Duration.ofMinutes(10)));
        c.put("a", "1");
        time.advance(Duration.ofMinutes(9));
        assertEquals(Optional.of("1"), c.getIfPresent("a"), "reads do not extend a write expiry");
        time.advance(Duration.ofMinutes(2));
        assertEquals(Optional.empty(), c.getIfPresent("a"));
        CacheStats s = c.stats();
        assertEquals(1, s.expiredEvictions());
        assertEquals(1, s.hits());
        assertEquals(1, s.misses());
        assertEquals(0, s.entryCount());
    }

    @ParameterizedTest
    @EnumSource(Eviction.class)
    void expiresAfterAccess(Eviction eviction) {
        Cache<String, String> c = cache(CachePolicy.entries(100).withEviction(eviction)
                .withExpireAfterAccess(Duration.ofMinutes(10)));
        c.put("a", "1");
        c.put("b", "2");
        for (int i = 0; i < 5; i++) {
            time.advance(Duration.ofMinutes(6));
            assertEquals(Optional.of("1"), c.getIfPresent("a"), "each read extends it");
        }
        assertEquals(Optional.empty(), c.getIfPresent("b"));
        assertEquals(1, c.stats().expiredEvictions());
        assertEquals(1, c.stats().entryCount());
    }

    @ParameterizedTest
    @EnumSource(Eviction.class)
    void countsHitsMissesReplacementsAndRemovals(Eviction eviction) {
        Cache<String, String> c = cache(CachePolicy.entries(100).withEviction(eviction));
        c.put("a", "1");
        c.put("a", "2");
        c.getIfPresent("a");
        c.getIfPresent("a");
        c.getIfPresent("b");
        c.invalidate("a");
        c.invalidate("never");
        CacheStats s = c.stats();
        assertEquals(2, s.hits());
        assertEquals(1, s.misses());
        assertEquals(2.0 / 3, s.hitRate(), 1e-9);
        assertEquals(1, s.replacements());
        assertEquals(1, s.explicitRemovals());
        assertEquals(0, s.entryCount());
    }

    @ParameterizedTest
    @EnumSource(Eviction.class)
    void loadsAreCountedAndFailuresNotCached(Eviction eviction) {
        Cache<String, String> c = cache(CachePolicy.entries(100).withEviction(eviction));
        AtomicInteger calls = new AtomicInteger();
        assertEquals("A", c.get("a", k -> {
            calls.incrementAndGet();
            time.advance(Duration.ofMillis(30));
            return k.toUpperCase();
        }));
        assertEquals("A", c.get("a", k -> "other"), "a hit does not load");
        assertNull(c.get("n", k -> null));
        assertEquals(Optional.empty(), c.getIfPresent("n"), "a null load is not cached");
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> c.get("x", k -> { throw new IllegalStateException("server down"); }));
        assertEquals("server down", thrown.getMessage());
        assertEquals(Optional.empty(), c.getIfPresent("x"), "a failed load is not cached");
        CacheStats s = c.stats();
        assertEquals(1, calls.get());
        assertEquals(1, s.loadSuccesses());
        assertEquals(2, s.loadFailures());
        // Caffeine times loads on the system ticker, the LRU and LFU maps on the cache's (here the fake) ticker
        assertTrue(s.totalLoadTime().toNanos() > 0, "load time " + s.totalLoadTime());
        assertEquals(1, s.hits());
        assertEquals(5, s.misses());
    }

    @ParameterizedTest
    @EnumSource(Eviction.class)
    void concurrentLoadsOfOneKeyRunTheLoaderOnce(Eviction eviction) throws Exception {
        Cache<String, String> c = cache(CachePolicy.entries(100).withEviction(eviction));
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch inLoader = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<String> first = pool.submit(() -> c.get("k", k -> {
                calls.incrementAndGet();
                inLoader.countDown();
                await(release);
                return "v";
            }));
            assertTrue(inLoader.await(10, TimeUnit.SECONDS));
            CountDownLatch secondStarted = new CountDownLatch(1);
            Future<String> second = pool.submit(() -> {
                secondStarted.countDown();
                return c.get("k", k -> {
                    calls.incrementAndGet();
                    return "w";
                });
            });
            assertTrue(secondStarted.await(10, TimeUnit.SECONDS));
            release.countDown();
            assertEquals("v", first.get(10, TimeUnit.SECONDS));
            String got = second.get(10, TimeUnit.SECONDS);
            // the second call either waited for the first load or came after it: never a second load
            assertEquals("v", got);
            assertEquals(1, calls.get());
        } finally {
            pool.shutdownNow();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @ParameterizedTest
    @EnumSource(Eviction.class)
    void invalidateAllEmpties(Eviction eviction) {
        Cache<String, String> c = cache(CachePolicy.entries(100).withEviction(eviction));
        c.put("a", "1");
        c.put("b", "2");
        c.invalidateAll();
        assertEquals(0, c.estimatedSize());
        assertEquals(Optional.empty(), c.getIfPresent("a"));
        assertSame(c, manager.find("c").orElseThrow());
    }
}
