package comfy.workbench.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.DoubleSummaryStatistics;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

import com.github.benmanes.caffeine.cache.Ticker;

import comfy.workbench.cache.api.Cache;
import comfy.workbench.cache.api.CachePolicy;
import comfy.workbench.cache.api.CachePolicy.Eviction;
import comfy.workbench.cache.api.CacheSpec;
import comfy.workbench.cache.internal.CacheManagerImpl;

/**
 * Hit rates on Zipf traces: the cache manager's {@code SIZE_AWARE} (Caffeine's W-TinyLFU), {@code LRU} and {@code LFU}
 * caches against plain reference LRU ({@link LinkedHashMap} in access order) and LFU (a sorted set by frequency, then
 * recency) of the same size. Each request is a lookup, and a miss puts the key (a cache in front of a loader). The
 * whole trace counts, cold start included, the same for every cache. Caffeine's maintenance runs on the calling thread
 * so that the figures do not depend on thread timing.
 *
 * Each trace is replayed stationary (the same keys stay hot) and moving (the hot keys change every {@code period}
 * requests, see {@link ZipfTrace#moving}).
 *
 * <pre>java -cp benchmarks.jar comfy.workbench.benchmarks.CacheHitRate [requests] [keys] [sizes, e.g. 1000,10000]
 *     [period, default 100000] [runs of SIZE_AWARE, default 5]</pre>
 */
public final class CacheHitRate {

    private CacheHitRate() {
    }

    /** A cache under test: answers whether the key was there, and caches it if not. */
    private interface Simulated {
        boolean access(int key);
    }

    public static void main(String[] args) throws IOException {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int keys = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        int[] sizes = args.length > 2 ? Arrays.stream(args[2].split(",")).mapToInt(Integer::parseInt).toArray()
                : new int[] { 1_000, 10_000 };
        int period = args.length > 3 ? Integer.parseInt(args[3]) : 100_000;
        int runs = args.length > 4 ? Integer.parseInt(args[4]) : 5;
        System.out.printf(Locale.ROOT, "Zipf traces: %,d requests over %,d keys; 'moving': the hot keys change every %,d"
                + " requests; SIZE_AWARE: mean (min-max) of %d runs; hit rate in %%%n", requests, keys, period, runs);
        System.out.printf(Locale.ROOT, "| trace | s | cache size | SIZE_AWARE | LRU (ours) | LFU (ours) | reference LRU"
                + " | reference LFU |%n");
        System.out.printf(Locale.ROOT, "|---|---|---|---|---|---|---|---|%n");
        for (double s : new double[] { 0.9, 1.1 }) {
            for (boolean moving : new boolean[] { false, true }) {
                int[] trace = moving ? ZipfTrace.moving(keys, s, requests, 7, period) : ZipfTrace.keys(keys, s, requests, 7);
                for (int size : sizes) {
                    // Caffeine admits some candidates at random (its defence against hash flooding): several runs
                    double[] sizeAware = new double[runs];
                    for (int i = 0; i < runs; i++) {
                        sizeAware[i] = run(trace, ours(Eviction.SIZE_AWARE, size));
                    }
                    double lru = run(trace, ours(Eviction.LRU, size));
                    double lfu = run(trace, ours(Eviction.LFU, size));
                    double refLru = run(trace, referenceLru(size));
                    double refLfu = run(trace, referenceLfu(size));
                    System.out.printf(Locale.ROOT, "| %s | %.1f | %,d | %s | %.2f | %.2f | %.2f | %.2f |%n",
                            moving ? "moving" : "stationary", s, size, meanAndRange(sizeAware), lru, lfu, refLru, refLfu);
                }
            }
        }
    }

    private static String meanAndRange(double[] values) {
        DoubleSummaryStatistics stats = Arrays.stream(values).summaryStatistics();
        return String.format(Locale.ROOT, "%.2f (%.2f-%.2f)", stats.getAverage(), stats.getMin(), stats.getMax());
    }

    private static double run(int[] trace, Simulated cache) {
        long hits = 0;
        for (int key : trace) {
            if (cache.access(key)) {
                hits++;
            }
        }
        return 100.0 * hits / trace.length;
    }

    private static Simulated ours(Eviction eviction, int size) throws IOException {
        Path dir = ScratchFolder.create("cache-hit-rate");
        Cache<Integer, Integer> c = new CacheManagerImpl(dir, Ticker.systemTicker(), Clock.systemUTC(), Runnable::run)
                .create(CacheSpec.<Integer, Integer>of("sim", CachePolicy.entries(size).withEviction(eviction)));
        return key -> {
            if (c.getIfPresent(key).isPresent()) {
                return true;
            }
            c.put(key, key);
            return false;
        };
    }

    private static Simulated referenceLru(int size) {
        LinkedHashMap<Integer, Integer> map = new LinkedHashMap<>(size * 2, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Integer, Integer> eldest) {
                return size() > size;
            }
        };
        return key -> {
            if (map.get(key) != null) {
                return true;
            }
            map.put(key, key);
            return false;
        };
    }

    /** Textbook LFU: evicts the lowest frequency, the least recently used among equals; frequencies never age. */
    private static Simulated referenceLfu(int size) {
        record Entry(int key, long frequency, long used) {
        }
        TreeSet<Entry> order = new TreeSet<>((a, b) -> a.frequency() != b.frequency()
                ? Long.compare(a.frequency(), b.frequency()) : Long.compare(a.used(), b.used()));
        HashMap<Integer, Entry> map = new HashMap<>();
        long[] clock = { 0 };
        return key -> {
            long now = clock[0]++;
            Entry e = map.get(key);
            if (e != null) {
                order.remove(e);
                Entry next = new Entry(key, e.frequency() + 1, now);
                order.add(next);
                map.put(key, next);
                return true;
            }
            if (map.size() >= size) {
                Entry victim = order.pollFirst();
                map.remove(victim.key());
            }
            Entry fresh = new Entry(key, 1, now);
            order.add(fresh);
            map.put(key, fresh);
            return false;
        };
    }
}
