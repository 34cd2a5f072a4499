package comfy.workbench.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import comfy.workbench.monitor.api.ExecutionListener;
import comfy.workbench.monitor.api.ProgressEvent;
import comfy.workbench.monitor.internal.BenchmarkMonitor;
import comfy.workbench.testing.fake.FakeComfyServer;
import comfy.workbench.testing.fake.FloodMix;

/**
 * The monitor end to end against the fake server in this JVM, three figures of the issue:
 * <ol>
 * <li>latency from the server's send to a listener at 1,000 events/s (progress messages carrying their sequence
 * number; the send time is taken just before the server writes the frame);</li>
 * <li>CPU seconds and peak RSS for 300,000 events of the recorded mix (process-wide: the fake server runs in
 * this JVM too);</li>
 * <li>one million events with the heap measured after a GC every 100,000: it must stay flat.</li>
 * </ol>
 * Usage: {@code java -cp benchmarks.jar comfy.workbench.benchmarks.MonitorLatencyBench [latencyEvents]}
 */
public final class MonitorLatencyBench {

    private MonitorLatencyBench() {
    }

    public static void main(String[] args) throws Exception {
        int latencyEvents = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        System.out.printf(Locale.ROOT, "JDK %s, %d cores, load average %.2f%n", System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        long[] sent = new long[latencyEvents];
        long[] latency = new long[latencyEvents];
        AtomicInteger received = new AtomicInteger();
        AtomicLong counted = new AtomicLong();
        AtomicLong second = new AtomicLong();
        ExecutionListener timing = e -> {
            if (e instanceof ProgressEvent p && "latency".equals(p.promptId())) {
                int i = (int) p.value();
                latency[i] = System.nanoTime() - sent[i];
                received.incrementAndGet();
            } else if (e instanceof ProgressEvent || e.type() == comfy.workbench.monitor.api.EventType.PROGRESS_STATE
                    || e.type() == comfy.workbench.monitor.api.EventType.EXECUTING) {
                counted.incrementAndGet();
            }
        };
        ExecutionListener other = e -> second.incrementAndGet();
        try (FakeComfyServer server = FakeComfyServer.builder().objectInfo("{}").start();
                BenchmarkMonitor monitor = new BenchmarkMonitor(server.baseUri(), "latency-bench", List.of(timing, other))) {
            while (!monitor.connected() || !server.isConnected("latency-bench")) {
                Thread.sleep(5);
            }
            // warm the path a little, then pace one event a millisecond
            server.flood("latency-bench", 200_000, FloodMix.DEFAULT).get(60, TimeUnit.SECONDS);
            awaitCount(counted, 200_000);
            long next = System.nanoTime();
            for (int i = 0; i < latencyEvents; i++) {
                next += 1_000_000;
                while (System.nanoTime() < next) {
                    LockSupport.parkNanos(next - System.nanoTime());
                }
                String text = "{\"type\": \"progress\", \"data\": {\"value\": " + i + ", \"max\": " + latencyEvents
                        + ", \"prompt_id\": \"latency\", \"node\": \"3\"}}";
                sent[i] = System.nanoTime();
                server.sendMalformedFrame("latency-bench", text);
            }
            while (received.get() < latencyEvents) {
                Thread.sleep(5);
            }
            long[] sorted = latency.clone();
            Arrays.sort(sorted);
            System.out.printf(Locale.ROOT, "latency at 1,000 events/s over %d events: p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.3f ms%n",
                    latencyEvents, ms(sorted[sorted.length / 2]), ms(sorted[(int) (sorted.length * 0.99)]),
                    ms(sorted[(int) (sorted.length * 0.999)]), ms(sorted[sorted.length - 1]));

            com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory
                    .getOperatingSystemMXBean();
            long base = counted.get();
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            server.flood("latency-bench", 300_000, FloodMix.DEFAULT).get(120, TimeUnit.SECONDS);
            awaitCount(counted, base + 300_000);
            long cpu = os.getProcessCpuTime() - cpu0;
            long wall = System.nanoTime() - t0;
            System.out.printf(Locale.ROOT, "300,000 events: %.2f CPU s (process: server and client), %.2f s wall, peak RSS %s%n",
                    cpu / 1e9, wall / 1e9, peakRss());

            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            StringBuilder heap = new StringBuilder();
            for (int chunk = 1; chunk <= 10; chunk++) {
                long before = counted.get();
                server.flood("latency-bench", 100_000, FloodMix.DEFAULT).get(120, TimeUnit.SECONDS);
                awaitCount(counted, before + 100_000);
                System.gc();
                heap.append(String.format(Locale.ROOT, " %.1f", memory.getHeapMemoryUsage().getUsed() / 1048576.0));
            }
            System.out.println("heap after GC (MiB) every 100,000 events up to 1,000,000:" + heap);
            System.out.println("monitor statistics: " + monitor.statistics());
        }
    }

    private static void awaitCount(AtomicLong counter, long target) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (counter.get() < target) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + counter.get() + " of " + target + " events arrived");
            }
            Thread.sleep(2);
        }
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static String peakRss() throws java.io.IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM"))
                .map(l -> l.replaceAll("\\s+", " ").substring(6).trim()).findFirst().orElse("unknown");
    }
}
