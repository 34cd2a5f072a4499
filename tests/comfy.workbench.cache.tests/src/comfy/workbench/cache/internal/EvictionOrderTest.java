package comfy.workbench.cache.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import comfy.workbench.cache.api.Cache;
import comfy.workbench.cache.api.CachePolicy;
import comfy.workbench.cache.api.CachePolicy.Eviction;
import comfy.workbench.cache.api.CacheSpec;

/** Which entries LRU and LFU evict, in order. */
class EvictionOrderTest {

    @TempDir
    Path dir;

    private Cache<String, String> cache(Eviction eviction, int size) {
        FakeTime time = new FakeTime();
        return new CacheManagerImpl(dir, time, time, Runnable::run)
                .create(CacheSpec.of("c", CachePolicy.entries(size).withEviction(eviction)));
    }

    private static List<String> present(Cache<String, String> c, String... keys) {
        List<String> found = new ArrayList<>();
        for (String k : keys) {
            if (c.getIfPresent(k).isPresent()) {
                found.add(k);
            }
        }
        return found;
    }

    @Test
    void lruEvictsTheLeastRecentlyUsed() {
        Cache<String, String> c = cache(Eviction.LRU, 3);
        c.put("a", "1");
        c.put("b", "2");
        c.put("c", "3");
        c.getIfPresent("a"); // b is now the eldest
        c.put("d", "4");
        c.put("b2", "x"); // evicts c
        c.put("a", "again"); // a write is a use
        c.put("e", "5"); // evicts d
        assertEquals(List.of("a", "b2", "e"), present(c, "a", "b", "c", "d", "b2", "e"));
        assertEquals(3, c.stats().sizeEvictions());
    }

    @Test
    void lfuEvictsTheLeastFrequentlyUsedThenTheLeastRecent() {
        Cache<String, String> c = cache(Eviction.LFU, 3);
        c.put("a", "1");
        c.put("b", "2");
        c.put("c", "3");
        for (int i = 0; i < 3; i++) {
            c.getIfPresent("a");
        }
        c.getIfPresent("b");
        c.getIfPresent("c");
        c.getIfPresent("c");
        // frequencies: a 4, b 2, c 3
        c.put("d", "4"); // evicts b (2)
        assertEquals(List.of("a", "c", "d"), present(c, "a", "b", "c", "d"));
        // now a 5, c 4, d 2; e evicts d (the least frequent), not the elder c
        c.put("e", "5");
        assertEquals(List.of("a", "c", "e"), present(c, "a", "b", "c", "d", "e"));
        // e (2) is the least frequent again: f evicts it
        c.put("f", "6");
        assertEquals(List.of("a", "c", "f"), present(c, "a", "c", "e", "f"));
        assertEquals(3, c.stats().sizeEvictions());
    }

    @Test
    void lfuBreaksTiesByRecency() {
        Cache<String, String> c = cache(Eviction.LFU, 3);
        c.put("a", "1");
        c.put("b", "2");
        c.put("c", "3");
        c.getIfPresent("c");
        c.getIfPresent("a");
        c.getIfPresent("b");
        // all at 2: the least recently promoted (c) goes first
        c.put("d", "4");
        assertEquals(List.of("a", "b", "d"), present(c, "a", "b", "c", "d"));
    }
}
