package comfy.workbench.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import com.github.benmanes.caffeine.cache.Caffeine;

import comfy.workbench.cache.api.Cache;
import comfy.workbench.cache.api.CachePolicy;
import comfy.workbench.cache.api.CacheSpec;
import comfy.workbench.cache.internal.CacheManagerImpl;

/**
 * Memory-tier throughput: the cache manager's {@code SIZE_AWARE} cache (Caffeine behind the {@code Cache} API, with
 * its statistics counter) against Caffeine used directly, with and without {@code recordStats()}, on the same
 * workload in the same run. Keys: a Zipf (s = 0.99) trace of 2^20 draws over 2^20 keys, scrambled; the cache holds
 * 2^16 entries and starts filled from the trace. {@code mixed}: every fourth operation is a put of the key, the others
 * lookups (75 % reads / 25 % writes); {@code read}: lookups only. Each thread walks the trace from its own random
 * offset. Our lookup unwraps its {@code Optional} as a caller would.
 *
 * <pre>java -jar benchmarks.jar CacheBenchmark -f 1 -wi 3 -i 5 -t 1   (and -t 2)</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CacheBenchmark {

    static final int SIZE = 1 << 16;
    static final int KEYS = 1 << 20;
    static final int TRACE = 1 << 20;
    static final int MASK = TRACE - 1;

    Integer[] trace;
    com.github.benmanes.caffeine.cache.Cache<Integer, Integer> caffeine;
    com.github.benmanes.caffeine.cache.Cache<Integer, Integer> caffeineStats;
    Cache<Integer, Integer> ours;

    /** Where a thread is in the trace. */
    @State(Scope.Thread)
    public static class Cursor {
        int index;

        @Setup
        public void start() {
            index = ThreadLocalRandom.current().nextInt(TRACE);
        }
    }

    @Setup
    public void setUp() throws IOException {
        int[] keys = ZipfTrace.keys(KEYS, 0.99, TRACE, 42);
        trace = new Integer[TRACE];
        for (int i = 0; i < TRACE; i++) {
            trace[i] = keys[i]; // boxed once: the benchmark measures the caches, not Integer.valueOf
        }
        caffeine = Caffeine.newBuilder().maximumSize(SIZE).build();
        caffeineStats = Caffeine.newBuilder().maximumSize(SIZE).recordStats().build();
        Path dir = ScratchFolder.create("cache-bench");
        ours = new CacheManagerImpl(dir).create(CacheSpec.<Integer, Integer>of("bench", CachePolicy.entries(SIZE)));
        for (Integer k : trace) {
            caffeine.put(k, k);
            caffeineStats.put(k, k);
            ours.put(k, k);
        }
    }

    @Benchmark
    public Integer caffeineMixed(Cursor c) {
        Integer k = trace[c.index++ & MASK];
        if ((c.index & 3) == 0) {
            caffeine.put(k, k);
            return k;
        }
        return caffeine.getIfPresent(k);
    }

    @Benchmark
    public Integer caffeineStatsMixed(Cursor c) {
        Integer k = trace[c.index++ & MASK];
        if ((c.index & 3) == 0) {
            caffeineStats.put(k, k);
            return k;
        }
        return caffeineStats.getIfPresent(k);
    }

    @Benchmark
    public Integer sizeAwareMixed(Cursor c) {
        Integer k = trace[c.index++ & MASK];
        if ((c.index & 3) == 0) {
            ours.put(k, k);
            return k;
        }
        return ours.getIfPresent(k).orElse(null);
    }

    @Benchmark
    public Integer caffeineRead(Cursor c) {
        return caffeine.getIfPresent(trace[c.index++ & MASK]);
    }

    @Benchmark
    public Integer caffeineStatsRead(Cursor c) {
        return caffeineStats.getIfPresent(trace[c.index++ & MASK]);
    }

    @Benchmark
    public Integer sizeAwareRead(Cursor c) {
        return ours.getIfPresent(trace[c.index++ & MASK]).orElse(null);
    }
}
