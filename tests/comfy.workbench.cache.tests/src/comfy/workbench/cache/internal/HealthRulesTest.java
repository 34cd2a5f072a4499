package comfy.workbench.cache.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import comfy.workbench.cache.api.Cache;
import comfy.workbench.cache.api.CacheHealth;
import comfy.workbench.cache.api.CachePolicy;
import comfy.workbench.cache.api.CachePolicy.Eviction;
import comfy.workbench.cache.api.CacheSpec;

/** Health follows the figures, with advice. */
class HealthRulesTest {

    @TempDir
    Path dir;
    private final FakeTime time = new FakeTime();

    private CacheManagerImpl manager() {
        return new CacheManagerImpl(dir, time, time, Runnable::run);
    }

    @Test
    void aCacheTooSmallForItsWorkloadIsToldToGrow() {
        CacheManagerImpl m = manager();
        Cache<Integer, String> c = m.create(CacheSpec.of("small", CachePolicy.entries(10).withEviction(Eviction.LRU)));
        for (int i = 0; i < 2_000; i++) {
            int key = i % 100; // a loop over 100 keys through 10 slots: LRU always misses
            c.get(key, k -> "v" + k);
        }
        CacheHealth h = m.health().get(0);
        assertEquals(CacheHealth.Status.WARN, h.status());
        assertEquals(1, h.advice().size(), h.advice().toString());
        assertTrue(h.advice().get(0).contains("raise maximumEntries (now 10)"), h.advice().get(0));
    }

    @Test
    void aWellSizedCacheIsOk() {
        CacheManagerImpl m = manager();
        Cache<Integer, String> c = m.create(CacheSpec.of("fine", CachePolicy.entries(1_000)));
        for (int i = 0; i < 5_000; i++) {
            c.get(i % 100, k -> "v" + k);
        }
        assertEquals(new CacheHealth("fine", CacheHealth.Status.OK, List.of()), m.health().get(0));
    }

    @Test
    void aFewRequestsSayNothing() {
        CacheManagerImpl m = manager();
        Cache<Integer, String> c = m.create(CacheSpec.of("new", CachePolicy.entries(1).withEviction(Eviction.LFU)));
        for (int i = 0; i < 100; i++) {
            c.get(i, k -> "v");
        }
        assertEquals(CacheHealth.Status.OK, m.health().get(0).status());
    }

    @Test
    void expiryTooShortIsNamed() {
        CacheManagerImpl m = manager();
        Cache<Integer, String> c = m.create(CacheSpec.of("short", CachePolicy.entries(1_000)
                .withEviction(Eviction.LRU).withExpireAfterWrite(Duration.ofSeconds(1))));
        for (int i = 0; i < 2_000; i++) {
            c.get(i % 10, k -> "v");
            time.advance(Duration.ofSeconds(2));
        }
        CacheHealth h = m.health().get(0);
        assertEquals(CacheHealth.Status.WARN, h.status());
        assertTrue(h.advice().get(0).contains("expireAfterWrite"), h.advice().toString());
    }

    @Test
    void failingLoadsAreNamed() {
        CacheManagerImpl m = manager();
        Cache<Integer, String> c = m.create(CacheSpec.of("failing", CachePolicy.entries(100)));
        for (int i = 0; i < 20; i++) {
            c.get(i, k -> null);
        }
        CacheHealth h = m.health().get(0);
        assertEquals(CacheHealth.Status.WARN, h.status());
        assertTrue(h.advice().get(0).contains("20 of 20 loads failed"), h.advice().toString());

        // the source works again (a server back): the earlier failures are history, not a warning that stays
        assertEquals("back", c.get(100, k -> "back"));
        assertEquals(CacheHealth.Status.OK, m.health().get(0).status(), m.health().get(0).advice().toString());
        c.get(101, k -> null);
        assertEquals(CacheHealth.Status.WARN, m.health().get(0).status(), "failing again");
    }
}
