package comfy.workbench.monitor.internal;

import java.lang.reflect.Proxy;
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

    private final JettyWebSocketTransport transport;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService blocking = Executors.newCachedThreadPool();
    private final ListenerDispatcher dispatcher;
    private final ServerSession session;

    public BenchmarkMonitor(URI baseUrl, String clientId, List<ExecutionListener> listeners) {
        this(baseUrl, clientId, listeners, Map.of());
    }

    /**
     * @param overrides configuration values of {@link MonitorComponent.Config} by method name (e.g.
     *                  {@code listenerPreviewBuffer}); every other value is the component's default
     */
    public BenchmarkMonitor(URI baseUrl, String clientId, List<ExecutionListener> listeners, Map<String, Object> overrides) {
        MonitorSettings settings = MonitorComponent.settings(configuration(overrides));
        dispatcher = new ListenerDispatcher(settings.listenerBuffer(), settings.previewBuffer());
        transport = new JettyWebSocketTransport(settings.maxMessageBytes());
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
        try {
            MonitorRuntime runtime = new MonitorRuntime(transport, scheduler, blocking, dispatcher, clients,
                    BenchmarkClients.storedAuthOnly(), () -> settings,
                    System::nanoTime, () -> ThreadLocalRandom.current().nextDouble());
            ServerDescriptor server = new ServerDescriptor("bench", null, baseUrl, null);
            session = new ServerSession(server, clientId, runtime, new PromptTracker("bench", Runnable::run, settings.finishedRetention()));
            session.start();
        } catch (RuntimeException | Error e) {
            // the transport's threads are not daemons: left running they would keep a failed harness's JVM alive
            closeAll();
            throw e;
        }
    }

    /** The component's configuration as DS would give it with nothing configured, plus the overrides. */
    private static MonitorComponent.Config configuration(Map<String, Object> overrides) {
        return (MonitorComponent.Config) Proxy.newProxyInstance(MonitorComponent.Config.class.getClassLoader(),
                new Class<?>[] { MonitorComponent.Config.class }, (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return method.getName().equals("toString") ? "monitor defaults " + overrides : null;
                    }
                    Object value = overrides.get(method.getName());
                    return value != null ? value : method.getDefaultValue();
                });
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
        closeAll();
    }

    private void closeAll() {
        dispatcher.close();
        transport.close();
        scheduler.shutdownNow();
        blocking.shutdownNow();
    }
}
