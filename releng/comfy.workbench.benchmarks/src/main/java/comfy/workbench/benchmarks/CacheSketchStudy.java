package comfy.workbench.benchmarks;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Locale;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * What limits W-TinyLFU against pure LFU in small caches: Caffeine's frequency sketch, sized from the cache's maximum
 * ({@code maximum} counters, halved every {@code 10 × maximum} increments), resized here — by reflection into
 * Caffeine's package-private {@code FrequencySketch}, for this measurement only; the product never does this — to four
 * times the counters, four times the aging period, or both, on the stationary and the moving Zipf traces of
 * {@link CacheHitRate}. Prints hit rates in %, each the mean of {@code runs} runs.
 *
 * <pre>java -cp benchmarks.jar comfy.workbench.benchmarks.CacheSketchStudy [requests] [keys] [sizes] [period] [runs]</pre>
 */
public final class CacheSketchStudy {

    private record Sketch(String name, int counters, int agingPeriod) {
    }

    private static final Sketch[] SKETCHES = { new Sketch("Caffeine's sketch", 1, 10), new Sketch("4x counters", 4, 10),
        new Sketch("4x aging period", 1, 40), new Sketch("both", 4, 40) };

    private CacheSketchStudy() {
    }

    public static void main(String[] args) throws ReflectiveOperationException {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int keys = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        int[] sizes = args.length > 2 ? Arrays.stream(args[2].split(",")).mapToInt(Integer::parseInt).toArray()
                : new int[] { 500, 1_000, 3_000, 10_000 };
        int period = args.length > 3 ? Integer.parseInt(args[3]) : 100_000;
        int runs = args.length > 4 ? Integer.parseInt(args[4]) : 3;
        System.out.printf(Locale.ROOT, "Zipf traces: %,d requests over %,d keys; 'moving': the hot keys change every %,d"
                + " requests; W-TinyLFU hit rate in %%, mean of %d runs, by frequency sketch (counters x maximum,"
                + " aging period x maximum)%n", requests, keys, period, runs);
        StringBuilder header = new StringBuilder("| trace | s | cache size |");
        for (Sketch sketch : SKETCHES) {
            header.append(String.format(Locale.ROOT, " %s (%d, %d) |", sketch.name(), sketch.counters(),
                    sketch.agingPeriod()));
        }
        System.out.println(header);
        System.out.println("|---|---|---|" + "---|".repeat(SKETCHES.length));
        for (double s : new double[] { 0.9, 1.1 }) {
            for (boolean moving : new boolean[] { false, true }) {
                int[] trace = moving ? ZipfTrace.moving(keys, s, requests, 7, period) : ZipfTrace.keys(keys, s, requests, 7);
                for (int size : sizes) {
                    StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %s | %.1f | %,d |",
                            moving ? "moving" : "stationary", s, size));
                    for (Sketch sketch : SKETCHES) {
                        double sum = 0;
                        for (int i = 0; i < runs; i++) {
                            sum += hitRate(trace, size, sketch);
                        }
                        row.append(String.format(Locale.ROOT, " %.2f |", sum / runs));
                    }
                    System.out.println(row);
                }
            }
        }
    }

    private static double hitRate(int[] trace, int size, Sketch sketch) throws ReflectiveOperationException {
        Cache<Integer, Integer> cache = Caffeine.newBuilder().maximumSize(size).executor(Runnable::run).build();
        if (sketch.counters() != 1 || sketch.agingPeriod() != 10) {
            resize(cache, (long) size * sketch.counters(), size * sketch.agingPeriod());
        }
        long hits = 0;
        for (int key : trace) {
            if (cache.getIfPresent(key) != null) {
                hits++;
            } else {
                cache.put(key, key);
            }
        }
        return 100.0 * hits / trace.length;
    }

    /** Caffeine 3.2's internals: the manual cache's {@code cache} field, its {@code frequencySketch()}. */
    private static void resize(Cache<?, ?> cache, long counters, int agingPeriod) throws ReflectiveOperationException {
        Field bounded = cache.getClass().getDeclaredField("cache");
        bounded.setAccessible(true);
        Object local = bounded.get(cache);
        Method sketchOf = null;
        for (Class<?> c = local.getClass(); c != null && sketchOf == null; c = c.getSuperclass()) {
            sketchOf = Arrays.stream(c.getDeclaredMethods()).filter(m -> m.getName().equals("frequencySketch"))
                    .findFirst().orElse(null);
        }
        if (sketchOf == null) {
            throw new NoSuchMethodException("frequencySketch() in " + local.getClass() + ": not Caffeine 3.2's layout");
        }
        sketchOf.setAccessible(true);
        Object sketch = sketchOf.invoke(local);
        Method ensureCapacity = sketch.getClass().getDeclaredMethod("ensureCapacity", long.class);
        ensureCapacity.setAccessible(true);
        ensureCapacity.invoke(sketch, counters);
        Field sampleSize = sketch.getClass().getDeclaredField("sampleSize");
        sampleSize.setAccessible(true);
        sampleSize.setInt(sketch, agingPeriod);
    }
}
