package comfy.workbench.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The single-threaded workloads of {@link CacheBenchmark}, timed by CPU time instead of the wall clock: the benchmark
 * thread's, and the whole process's (which adds Caffeine's maintenance on the common pool, and the GC). The
 * implementations take turns in every round, so other work on the machine falls on all of them alike. On the shared
 * 2-core build machine other builds take the cores away for whole seconds, which wrecks JMH's wall-clock scores; this
 * is the cross-check when there is no quiet machine, as {@link MonitorDecodeCpuTime} is for the monitor.
 *
 * Run in one JVM, the three caches share Caffeine's code, whose call sites then see three cache classes and three
 * statistics counters, which the JIT compiles less well than in a JVM with one of them (as in JMH's forks, and in the
 * workbench). The third argument therefore names the workloads to run, so that each implementation can have a JVM of
 * its own (run them in turns, several times, so that the machine's load falls on all alike).
 *
 * <pre>java -cp benchmarks.jar comfy.workbench.benchmarks.CacheCpuTime [rounds] [operations per turn] [workload,...]</pre>
 */
public final class CacheCpuTime {

    private interface Workload {
        /** Runs {@code n} operations from trace position {@code from}; returns something of the results. */
        long run(int from, int n);
    }

    private CacheCpuTime() {
    }

    public static void main(String[] args) throws IOException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 2_000_000;
        CacheBenchmark b = new CacheBenchmark();
        b.setUp();
        Integer[] trace = b.trace;
        int mask = CacheBenchmark.MASK;
        Map<String, Workload> workloads = new LinkedHashMap<>();
        workloads.put("caffeineMixed", (from, count) -> {
            long sum = 0;
            for (int i = from; i < from + count; i++) {
                Integer k = trace[i & mask];
                if ((i & 3) == 0) {
                    b.caffeine.put(k, k);
                } else {
                    Integer v = b.caffeine.getIfPresent(k);
                    sum += v == null ? 0 : 1;
                }
            }
            return sum;
        });
        workloads.put("caffeineStatsMixed", (from, count) -> {
            long sum = 0;
            for (int i = from; i < from + count; i++) {
                Integer k = trace[i & mask];
                if ((i & 3) == 0) {
                    b.caffeineStats.put(k, k);
                } else {
                    Integer v = b.caffeineStats.getIfPresent(k);
                    sum += v == null ? 0 : 1;
                }
            }
            return sum;
        });
        workloads.put("sizeAwareMixed", (from, count) -> {
            long sum = 0;
            for (int i = from; i < from + count; i++) {
                Integer k = trace[i & mask];
                if ((i & 3) == 0) {
                    b.ours.put(k, k);
                } else {
                    Integer v = b.ours.getIfPresent(k).orElse(null);
                    sum += v == null ? 0 : 1;
                }
            }
            return sum;
        });
        workloads.put("caffeineRead", (from, count) -> {
            long sum = 0;
            for (int i = from; i < from + count; i++) {
                sum += b.caffeine.getIfPresent(trace[i & mask]) == null ? 0 : 1;
            }
            return sum;
        });
        workloads.put("caffeineStatsRead", (from, count) -> {
            long sum = 0;
            for (int i = from; i < from + count; i++) {
                sum += b.caffeineStats.getIfPresent(trace[i & mask]) == null ? 0 : 1;
            }
            return sum;
        });
        workloads.put("sizeAwareRead", (from, count) -> {
            long sum = 0;
            for (int i = from; i < from + count; i++) {
                sum += b.ours.getIfPresent(trace[i & mask]).orElse(null) == null ? 0 : 1;
            }
            return sum;
        });

        if (args.length > 2) {
            List<String> only = List.of(args[2].split(","));
            workloads.keySet().retainAll(only);
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory
                .getOperatingSystemMXBean();
        Map<String, List<double[]>> samples = new LinkedHashMap<>();
        workloads.keySet().forEach(k -> samples.put(k, new ArrayList<>()));
        int warmup = 3;
        long checksum = 0;
        int position = 0;
        List<String> names = new ArrayList<>(workloads.keySet());
        for (int round = 0; round < warmup + rounds; round++) {
            for (int j = 0; j < names.size(); j++) {
                String name = names.get((j + round) % names.size()); // a different order each round
                long thread0 = threads.getCurrentThreadCpuTime();
                long process0 = os.getProcessCpuTime();
                long wall0 = System.nanoTime();
                checksum += workloads.get(name).run(position, n);
                long wall = System.nanoTime() - wall0;
                long process = os.getProcessCpuTime() - process0;
                long thread = threads.getCurrentThreadCpuTime() - thread0;
                position += n;
                if (round >= warmup) {
                    // operations per microsecond of thread CPU, of process CPU, of wall time
                    samples.get(name).add(new double[] { n * 1e3 / thread, n * 1e3 / process, n * 1e3 / wall });
                }
            }
        }
        System.out.printf(Locale.ROOT, "%d rounds of %,d operations per workload (checksum %d); medians, ops/us%n",
                rounds, n, checksum);
        System.out.printf(Locale.ROOT, "| workload | per thread-CPU us | per process-CPU us | per wall us |%n|---|---|---|---|%n");
        Map<String, double[]> medians = new LinkedHashMap<>();
        for (var e : samples.entrySet()) {
            double[] m = new double[3];
            for (int c = 0; c < 3; c++) {
                int col = c;
                double[] v = e.getValue().stream().mapToDouble(s -> s[col]).sorted().toArray();
                m[c] = v[v.length / 2];
            }
            medians.put(e.getKey(), m);
            System.out.printf(Locale.ROOT, "| %s | %.2f | %.2f | %.2f |%n", e.getKey(), m[0], m[1], m[2]);
        }
        for (String w : new String[] { "Mixed", "Read" }) {
            if (!medians.containsKey("sizeAware" + w) || !medians.containsKey("caffeine" + w)
                    || !medians.containsKey("caffeineStats" + w)) {
                continue;
            }
            double[] ours = medians.get("sizeAware" + w);
            double[] plain = medians.get("caffeine" + w);
            double[] stats = medians.get("caffeineStats" + w);
            System.out.printf(Locale.ROOT, "%s: time ratio ours/Caffeine (thread CPU) %.2f, ours/Caffeine with "
                    + "recordStats %.2f; (process CPU) %.2f, %.2f%n", w, plain[0] / ours[0], stats[0] / ours[0],
                    plain[1] / ours[1], stats[1] / ours[1]);
        }
    }
}
