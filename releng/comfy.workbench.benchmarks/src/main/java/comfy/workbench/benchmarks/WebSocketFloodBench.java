package comfy.workbench.benchmarks;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.WebSocketClient;

import comfy.workbench.monitor.internal.FrameHandler;
import comfy.workbench.monitor.internal.BenchmarkMonitor;
import comfy.workbench.monitor.internal.JettyWebSocketTransport;
import comfy.workbench.monitor.internal.SocketSession;
import comfy.workbench.testing.fake.Burst;
import comfy.workbench.testing.fake.FakeComfyServer;
import comfy.workbench.testing.fake.FloodMix;

/**
 * End-to-end WebSocket read throughput against the fake ComfyUI server on loopback, in one JVM, for the
 * candidate readers of the monitor: a bare JDK {@code java.net.http.WebSocket} that only counts (assembling with
 * {@code last}), a bare Jetty 12 client that only counts, a bare Netty client that only counts ({@code netty}, not
 * among the default clients), and the monitor's {@link JettyWebSocketTransport} handing
 * whole messages to a counting {@link FrameHandler}. Each round floods every client with the same pre-encoded
 * text messages (60/30/10 progress / progress_state / executing) and then 256 KB binary previews; the order of the
 * clients rotates from round to round. Finally the burst check: N connections that each receive 256 KB frames
 * right after the handshake, with the JDK client and with the transport.
 * <p>
 * {@code java -cp benchmarks.jar comfy.workbench.benchmarks.WebSocketFloodBench [rounds=5] [text=1000000]
 * [binary=2000] [burst=1000] [clients=jdk,jetty,netty,transport,monitor]}
 */
public final class WebSocketFloodBench {

    private static final int FRAME = 256 * 1024;
    private static final Duration WAIT = Duration.ofSeconds(120);

    private WebSocketFloodBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new LinkedHashMap<>(Map.of("rounds", "5", "text", "1000000", "binary", "2000", "burst", "1000",
                "clients", "jdk,jetty,transport,monitor"));
        for (String a : args) {
            String[] kv = a.split("=", 2);
            if (kv.length != 2 || !opt.containsKey(kv[0])) {
                System.err.println("usage: WebSocketFloodBench [rounds=N] [text=N] [binary=N] [burst=N] [clients=jdk,jetty,netty,transport,monitor]");
                System.exit(2);
            }
            opt.put(kv[0], kv[1]);
        }
        int rounds = Integer.parseInt(opt.get("rounds"));
        int text = Integer.parseInt(opt.get("text"));
        int binary = Integer.parseInt(opt.get("binary"));
        int burst = Integer.parseInt(opt.get("burst"));
        List<String> clients = Arrays.asList(opt.get("clients").split(","));

        System.out.printf(Locale.ROOT, "JDK %s, %d cores, load average %.2f; %s%n", System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), opt);
        HttpClient jdk = HttpClient.newHttpClient();
        WebSocketClient jetty = new WebSocketClient();
        jetty.setMaxBinaryMessageSize(64L << 20);
        jetty.setMaxTextMessageSize(64L << 20);
        jetty.setMaxFrameSize(64L << 20);
        jetty.setIdleTimeout(Duration.ZERO);
        jetty.start();
        NettyCountingClient netty = new NettyCountingClient();
        try (FakeComfyServer server = FakeComfyServer.builder().objectInfo("{}").start();
                JettyWebSocketTransport transport = new JettyWebSocketTransport()) {
            Map<String, Reader> readers = new LinkedHashMap<>();
            readers.put("jdk", new JdkReader(jdk));
            readers.put("jetty", new JettyReader(jetty));
            readers.put("netty", uri -> {
                final class C extends Counter {
                    io.netty.channel.Channel ch;

                    @Override
                    void close() {
                        ch.close();
                    }
                }
                C c = new C();
                c.ch = netty.connect(uri, c::message);
                return c;
            });
            readers.put("transport", new TransportReader(transport));
            readers.put("monitor", new MonitorReader(server));
            readers.keySet().retainAll(clients);
            List<String> order = new ArrayList<>(readers.keySet());
            System.out.println("round  client     text msg/s   text MB/s   binary msg/s  binary MB/s");
            for (int round = 1; round <= rounds; round++) {
                for (String name : order) {
                    Reader r = readers.get(name);
                    String id = "bench-" + name + "-" + round;
                    Counter c = r.connect(server.wsUri(id));
                    c.await(1, "status");
                    Result t = measure(c, () -> server.flood(id, text, FloodMix.DEFAULT), text);
                    Result b = measure(c, () -> server.floodBinary(id, binary, FRAME), binary);
                    c.close();
                    System.out.printf(Locale.ROOT, "%5d  %-9s %11.0f %11.1f %14.0f %12.1f%n", round, name, t.msgPerSec(), t.mbPerSec(),
                            b.msgPerSec(), b.mbPerSec());
                }
                order.add(order.remove(0));
            }
            if (burst > 0) {
                Burst frames = server.burstOnConnect(3, FRAME);
                System.out.printf(Locale.ROOT, "burst: %d connections (waves of 40), %d frames of %d bytes right after the handshake%n",
                        burst, frames.frames(), frames.frameSize());
                if (readers.containsKey("jdk")) {
                    System.out.println("  jdk:       " + burstJdk(jdk, server, frames, burst));
                }
                if (readers.containsKey("transport")) {
                    System.out.println("  transport: " + burstTransport(transport, server, frames, burst));
                }
                server.burstOnConnect(0, Burst.HEADER);
            }
        } finally {
            jetty.stop();
            netty.close();
        }
    }

    private record Result(long messages, long bytes, long nanos) {
        double msgPerSec() {
            return messages * 1e9 / nanos;
        }

        double mbPerSec() {
            return bytes / 1e6 * 1e9 / nanos;
        }
    }

    private static Result measure(Counter c, java.util.function.Supplier<CompletableFuture<Integer>> flood, int n) throws Exception {
        long m0 = c.messages.get();
        long b0 = c.bytes.get();
        long start = System.nanoTime();
        flood.get();
        c.await(m0 + n, "flood");
        long nanos = System.nanoTime() - start;
        return new Result(c.messages.get() - m0, c.bytes.get() - b0, nanos);
    }

    /** Messages and bytes received on one socket; the flood ends when the count is reached. */
    abstract static class Counter {
        final AtomicLong messages = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        private final Object lock = new Object();
        private volatile long target = Long.MAX_VALUE;

        void message(long size) {
            bytes.addAndGet(size);
            if (messages.incrementAndGet() >= target) {
                synchronized (lock) {
                    lock.notifyAll();
                }
            }
        }

        void await(long count, String what) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            synchronized (lock) {
                target = count;
                while (messages.get() < count) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new IllegalStateException("timed out waiting for " + what + ": " + messages.get() + " of " + count);
                    }
                    lock.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                }
            }
        }

        abstract void close() throws Exception;
    }

    private interface Reader {
        Counter connect(URI uri) throws Exception;
    }

    private record JdkReader(HttpClient http) implements Reader {
        @Override
        public Counter connect(URI uri) throws Exception {
            final class C extends Counter implements WebSocket.Listener {
                WebSocket socket;
                long partial;

                @Override
                public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                    return part(ws, data.length(), last);
                }

                @Override
                public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
                    return part(ws, data.remaining(), last);
                }

                private CompletionStage<?> part(WebSocket ws, long size, boolean last) {
                    partial += size;
                    if (last) {
                        message(partial);
                        partial = 0;
                    }
                    ws.request(1);
                    return null;
                }

                @Override
                void close() {
                    socket.sendClose(1000, "").join();
                }
            }
            C c = new C();
            c.socket = http.newWebSocketBuilder().buildAsync(uri, c).get(10, TimeUnit.SECONDS);
            return c;
        }
    }

    private record JettyReader(WebSocketClient client) implements Reader {
        @Override
        public Counter connect(URI uri) throws Exception {
            JettyCounter c = new JettyCounter();
            c.session = client.connect(c, uri).get(10, TimeUnit.SECONDS);
            return c;
        }
    }

    /** Public: Jetty binds a listener's methods through method handles, which need a public class. */
    public static final class JettyCounter extends Counter implements Session.Listener.AutoDemanding {
        Session session;

        @Override
        public void onWebSocketText(String message) {
            message(message.length());
        }

        @Override
        public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
            message(payload.remaining());
            callback.succeed();
        }

        @Override
        void close() {
            session.close();
        }
    }

    private record TransportReader(JettyWebSocketTransport transport) implements Reader {
        @Override
        public Counter connect(URI uri) throws Exception {
            final class C extends Counter implements FrameHandler {
                SocketSession session;

                @Override
                public void onOpen(SocketSession s) {
                }

                @Override
                public void onText(String text) {
                    message(text.length());
                }

                @Override
                public void onBinary(ByteBuffer payload) {
                    message(payload.remaining());
                }

                @Override
                public void onClose(int statusCode, String reason) {
                }

                @Override
                void close() {
                    session.close();
                }
            }
            C c = new C();
            c.session = transport.connect(uri, Map.of(), Duration.ofSeconds(10), c).get(10, TimeUnit.SECONDS);
            return c;
        }
    }

    /**
     * The whole monitor: session, transport, decoder, tracker and two listeners on their own threads. A flood
     * counts as read once both listeners received all of it.
     */
    private record MonitorReader(FakeComfyServer server) implements Reader {
        @Override
        public Counter connect(URI uri) throws Exception {
            String clientId = uri.getQuery().substring(uri.getQuery().indexOf('=') + 1);
            final class C extends Counter {
                final java.util.concurrent.atomic.AtomicLong first = new java.util.concurrent.atomic.AtomicLong();
                BenchmarkMonitor monitor;

                @Override
                void await(long count, String what) throws InterruptedException {
                    // the second listener counts for the harness; the flood is done once the first has it all too
                    super.await(count, what);
                    long deadline = System.nanoTime() + WAIT.toNanos();
                    while (first.get() < count) {
                        if (System.nanoTime() > deadline) {
                            throw new IllegalStateException("timed out waiting for the first listener: " + first.get() + " of " + count);
                        }
                        java.util.concurrent.locks.LockSupport.parkNanos(100_000);
                    }
                }

                @Override
                void close() {
                    long dropped = monitor.statistics().droppedPreviews();
                    if (dropped > 0) {
                        System.out.println("  (monitor dropped " + dropped + " previews)");
                    }
                    monitor.close();
                }
            }
            C c = new C();
            comfy.workbench.monitor.api.ExecutionListener firstListener = e -> {
                if (counted(e)) {
                    c.first.incrementAndGet();
                }
            };
            comfy.workbench.monitor.api.ExecutionListener secondListener = e -> {
                if (counted(e)) {
                    c.message(e instanceof comfy.workbench.monitor.api.PreviewEvent p ? p.size() : 0);
                }
            };
            // previews are never dropped here, so that every frame is counted; drops are reported if any happen
            c.monitor = new BenchmarkMonitor(server.baseUri(), clientId, List.of(firstListener, secondListener),
                    Map.of("listenerPreviewBuffer", 4096));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!c.monitor.connected() || !server.isConnected(clientId)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the monitor did not connect");
                }
                Thread.sleep(5);
            }
            // the status the other readers count on connect
            c.first.incrementAndGet();
            c.message(0);
            return c;
        }

        private static boolean counted(comfy.workbench.monitor.api.MonitorEvent e) {
            return switch (e.type()) {
                case PROGRESS, PROGRESS_STATE, EXECUTING, PREVIEW -> true;
                default -> false;
            };
        }
    }

    // ---- the burst check

    /** One connection of the burst check: completes with null when every frame arrived intact, else with the problem. */
    private static final class BurstCheck {
        final CompletableFuture<String> outcome = new CompletableFuture<>();
        final Burst burst;
        int received;

        BurstCheck(Burst burst) {
            this.burst = burst;
        }

        void frame(ByteBuffer frame) {
            try {
                int index = burst.verify(frame);
                if (index != received) {
                    outcome.complete("frame " + index + " arrived as message " + received);
                }
            } catch (IllegalArgumentException e) {
                outcome.complete(e.getMessage());
            }
            if (++received == burst.frames()) {
                outcome.complete(null);
            }
        }

        void failed(String why) {
            outcome.complete(why + " after " + received + " frames");
        }
    }

    private static String burstJdk(HttpClient http, FakeComfyServer server, Burst burst, int n) throws Exception {
        return runBurst(n, i -> {
            BurstCheck check = new BurstCheck(burst);
            WebSocket.Listener listener = new WebSocket.Listener() {
                final ByteArrayOutputStream assembled = new ByteArrayOutputStream();

                @Override
                public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
                    byte[] part = new byte[data.remaining()];
                    data.get(part);
                    assembled.writeBytes(part);
                    if (last) {
                        check.frame(ByteBuffer.wrap(assembled.toByteArray()));
                        assembled.reset();
                    }
                    ws.request(1);
                    return null;
                }

                @Override
                public void onError(WebSocket ws, Throwable error) {
                    check.failed(error.toString());
                }

                @Override
                public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
                    check.failed("closed " + code);
                    return null;
                }
            };
            http.newWebSocketBuilder().buildAsync(server.wsUri("burst-jdk-" + i), listener).whenComplete((ws, x) -> {
                if (x != null) {
                    check.failed("connect failed: " + x);
                } else {
                    check.outcome.whenComplete((r, y) -> ws.abort());
                }
            });
            return check;
        });
    }

    private static String burstTransport(JettyWebSocketTransport transport, FakeComfyServer server, Burst burst, int n) throws Exception {
        return runBurst(n, i -> {
            BurstCheck check = new BurstCheck(burst);
            FrameHandler handler = new FrameHandler() {
                @Override
                public void onOpen(SocketSession session) {
                    check.outcome.whenComplete((r, y) -> session.close());
                }

                @Override
                public void onText(String text) {
                }

                @Override
                public void onBinary(ByteBuffer payload) {
                    check.frame(payload);
                }

                @Override
                public void onClose(int statusCode, String reason) {
                    check.failed("closed " + statusCode + " " + reason);
                }
            };
            transport.connect(server.wsUri("burst-transport-" + i), Map.of(), Duration.ofSeconds(10), handler).whenComplete((s, x) -> {
                if (x != null) {
                    check.failed("connect failed: " + x);
                }
            });
            return check;
        });
    }

    private static String runBurst(int n, java.util.function.IntFunction<BurstCheck> open) throws Exception {
        long start = System.nanoTime();
        int failed = 0;
        List<String> examples = new ArrayList<>();
        for (int first = 0; first < n; first += 40) {
            List<BurstCheck> wave = new ArrayList<>();
            for (int i = first; i < Math.min(n, first + 40); i++) {
                wave.add(open.apply(i));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            for (BurstCheck c : wave) {
                String problem;
                try {
                    problem = c.outcome.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    problem = "no complete burst within 10 s, " + c.received + " frames";
                    c.outcome.complete(problem);
                }
                if (problem != null) {
                    failed++;
                    if (examples.size() < 3) {
                        examples.add(problem);
                    }
                }
            }
        }
        return String.format(Locale.ROOT, "%d of %d connections failed in %.1f s%s", failed, n, (System.nanoTime() - start) / 1e9,
                examples.isEmpty() ? "" : "; e.g. " + examples);
    }
}
