package comfy.workbench.benchmarks;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;

import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;

import comfy.workbench.monitor.api.MonitorEvent;
import comfy.workbench.monitor.internal.BadFrameException;
import comfy.workbench.monitor.internal.FrameDecoder;

/**
 * The workloads of {@link MonitorDecodeBenchmark}, timed by CPU time instead of the wall clock, both the benchmark thread's and the whole process's (which adds the GC threads). On the shared 2-core build machine other builds take the cores away for whole seconds, which wrecks JMH's
 * wall-clock scores; operations per CPU second still say what one core does (caches shared with the other work
 * still cost something). Not a replacement for JMH on a quiet machine: a cross-check when there is none.
 *
 * <pre>java -cp benchmarks.jar comfy.workbench.benchmarks.MonitorDecodeCpuTime [rounds] [seconds per round]</pre>
 */
public final class MonitorDecodeCpuTime {

    private interface Workload {
        /** Runs {@code n} operations, returns something derived from the results so the JIT keeps them. */
        long run(int n) throws BadFrameException;
    }

    private MonitorDecodeCpuTime() {
    }

    public static void main(String[] args) throws BadFrameException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 2;
        FrameDecoder decoder = new FrameDecoder("bench");
        Instant at = Instant.now();
        String[] mix = MonitorDecodeBenchmark.mix();
        ByteBuffer preview = MonitorDecodeBenchmark.preview(4);
        ByteBuffer legacy = MonitorDecodeBenchmark.preview(1);
        measure("textMix (events)", rounds, seconds, n -> {
            long sink = 0;
            for (int i = 0; i < n; i++) {
                MonitorEvent e = decoder.decodeText(mix[i % MonitorDecodeBenchmark.MIX], at);
                sink += e.type().ordinal();
            }
            return sink;
        });
        measure("gsonStreamSkipMix (frames)", rounds, seconds, n -> {
            long sink = 0;
            for (int i = 0; i < n; i++) {
                try {
                    JsonReader in = new JsonReader(new StringReader(mix[i % MonitorDecodeBenchmark.MIX]));
                    in.setStrictness(Strictness.LENIENT);
                    in.skipValue();
                    sink += in.peek().ordinal();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return sink;
        });
        measure("gsonTreeMix (frames)", rounds, seconds, n -> {
            long sink = 0;
            for (int i = 0; i < n; i++) {
                sink += JsonParser.parseString(mix[i % MonitorDecodeBenchmark.MIX]).getAsJsonObject().size();
            }
            return sink;
        });
        measure("preview256k (frames)", rounds, seconds, n -> {
            long sink = 0;
            for (int i = 0; i < n; i++) {
                sink += decoder.decodeBinary(preview, at).type().ordinal();
            }
            return sink;
        });
        measure("legacyPreview256k (frames)", rounds, seconds, n -> {
            long sink = 0;
            for (int i = 0; i < n; i++) {
                sink += decoder.decodeBinary(legacy, at).type().ordinal();
            }
            return sink;
        });
    }

    private static void measure(String name, int rounds, double seconds, Workload w) throws BadFrameException {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory
                .getOperatingSystemMXBean();
        long sink = 0;
        // warm-up: about as long as a measured round, twice
        long warmUntil = System.nanoTime() + (long) (2 * seconds * 1e9);
        while (System.nanoTime() < warmUntil) {
            sink += w.run(10_000);
        }
        double[] perCpuSecond = new double[rounds];
        double[] perProcessCpuSecond = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long ops = 0;
            long cpu0 = threads.getCurrentThreadCpuTime();
            long process0 = os.getProcessCpuTime();
            long until = System.nanoTime() + (long) (seconds * 1e9);
            while (System.nanoTime() < until) {
                sink += w.run(10_000);
                ops += 10_000;
            }
            long cpu = threads.getCurrentThreadCpuTime() - cpu0;
            perCpuSecond[r] = ops / (cpu / 1e9);
            // the whole JVM's CPU: also the GC threads that collect what the decoder allocated
            perProcessCpuSecond[r] = ops / ((os.getProcessCpuTime() - process0) / 1e9);
        }
        double[] sorted = perCpuSecond.clone();
        Arrays.sort(sorted);
        double[] sortedProcess = perProcessCpuSecond.clone();
        Arrays.sort(sortedProcess);
        StringBuilder b = new StringBuilder(String.format("%-28s median %,14.0f /thread-CPU-s %,14.0f /process-CPU-s;"
                + " rounds (thread)", name, sorted[rounds / 2], sortedProcess[rounds / 2]));
        for (double v : perCpuSecond) {
            b.append(String.format(" %,.0f", v));
        }
        // the benchmark's own output, like JMH's: this is a command-line tool
        System.out.println(b.append("  (sink ").append(sink % 10).append(')'));
    }
}
