package comfy.workbench.monitor.internal;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;

import comfy.workbench.connection.api.ComfyClient;
import comfy.workbench.connection.api.ComfyClients;
import comfy.workbench.connection.api.ServerDescriptor;
import comfy.workbench.connection.internal.BenchmarkClients;
import comfy.workbench.monitor.api.ConnectionState;
import comfy.workbench.monitor.api.ExecutionListener;
import comfy.workbench.monitor.api.MonitorStats;

/**
 * The monitor's real pipeline for one server outside OSGi — session, Jetty transport, decoder, tracker, listener
 * channels — with the component's default settings, so that harnesses measure exactly what the platform runs.
 * It lives in the bundle's internal package (a split package is harmless on a flat class path).
 */
public final class BenchmarkMonitor implements AutoCloseable {

    private final JettyWebSocketTransport transport = new JettyWebSocketTransport();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService blocking = Executors.newCachedThreadPool();
    private final ListenerDispatcher dispatcher;
    private final ServerSession session;

    public BenchmarkMonitor(URI baseUrl, String clientId, List<ExecutionListener> listeners) {
        this(baseUrl, clientId, listeners, 32);
    }

    /** @param previewBuffer previews a listener may have queued before further ones are dropped (the default is 32) */
    public BenchmarkMonitor(URI baseUrl, String clientId, List<ExecutionListener> listeners, int previewBuffer) {
        dispatcher = new ListenerDispatcher(1_000_000, previewBuffer);
        MonitorSettings settings = new MonitorSettings(new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(15), 0.25),
                Duration.ofSeconds(10), Duration.ofSeconds(15), Duration.ofSeconds(60), Duration.ofSeconds(30),
                1_000_000, previewBuffer, 1000, 64 << 20, false);
        ComfyClients clients = new ComfyClients() {
            @Override
            public Optional<ComfyClient> client(String serverId) {
                return Optional.empty();
            }

            @Override
            public ComfyClient client(ServerDescriptor server) {
                return BenchmarkClients.create(server);
            }

            @Override
            public ComfyClient client(ServerDescriptor server, Duration requestTimeout) {
                return BenchmarkClients.create(server);
            }
        };
        listeners.forEach(l -> dispatcher.add(l, Map.of()));
        MonitorRuntime runtime = new MonitorRuntime(transport, scheduler, blocking, dispatcher, clients, () -> settings,
                System::nanoTime, () -> ThreadLocalRandom.current().nextDouble());
        ServerDescriptor server = new ServerDescriptor("bench", null, baseUrl, null);
        session = new ServerSession(server, clientId, runtime, new PromptTracker("bench", Runnable::run, 1000));
        session.start();
    }

    public boolean connected() {
        return session.state() == ConnectionState.CONNECTED;
    }

    public MonitorStats statistics() {
        return session.statistics().snapshot();
    }

    @Override
    public void close() {
        session.stop();
        dispatcher.close();
        transport.close();
        scheduler.shutdownNow();
        blocking.shutdownNow();
    }
}
