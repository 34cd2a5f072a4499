package comfy.workbench.monitor.tests;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.framework.ServiceRegistration;

import comfy.workbench.connection.api.ComfyClient;
import comfy.workbench.connection.api.ComfyClients;
import comfy.workbench.connection.api.PromptRequest;
import comfy.workbench.connection.api.ServerDescriptor;
import comfy.workbench.connection.api.ServerRegistry;
import comfy.workbench.model.api.PromptGraph;
import comfy.workbench.monitor.api.ConnectionState;
import comfy.workbench.monitor.api.ExecutionListener;
import comfy.workbench.monitor.api.ExecutionMonitor;
import comfy.workbench.monitor.api.StatusEvent;
import comfy.workbench.testing.fake.FakeComfyServer;
import comfy.workbench.testing.fake.TestPrompts;
import comfy.workbench.testing.osgi.Eventually;
import comfy.workbench.testing.osgi.Osgi;

/** The monitor's services configured for tests (fast reconnects, a private data folder) and one fake server. */
final class MonitorFixture implements AutoCloseable {

    static final String MONITOR = "comfy.workbench.monitor.internal.MonitorComponent";
    static final String REGISTRY = "comfy.workbench.connection.internal.ServerRegistryComponent";
    static final String DATA = "comfy.workbench.connection.internal.DataLocationComponent";

    final FakeComfyServer fake;
    final String serverId;
    final ExecutionMonitor monitor;
    final ComfyClient client;
    private final List<ServiceRegistration<?>> registrations = new CopyOnWriteArrayList<>();

    private MonitorFixture(FakeComfyServer fake, String serverId) {
        this.fake = fake;
        this.serverId = serverId;
        this.monitor = Osgi.service(ExecutionMonitor.class);
        this.client = Osgi.service(ComfyClients.class).client(serverId).orElseThrow();
    }

    /** Configures the services under {@code data} and registers the fake as a new server. */
    static MonitorFixture start(Path data, FakeComfyServer.Builder fakeBuilder, Map<String, Object> monitorConfig)
            throws Exception {
        Osgi.configure("comfy.workbench.data", DATA, Map.of("directory", data.toString()));
        Osgi.configure("comfy.workbench.connection.registry", REGISTRY, Map.of("dataDirectory", data.toString()));
        Map<String, Object> config = new java.util.HashMap<>(Map.of("reconnectInitialMillis", 20L,
                "reconnectMaxMillis", 200L, "connectTimeoutMillis", 5_000L));
        config.putAll(monitorConfig);
        Osgi.configure("comfy.workbench.monitor", MONITOR, config);
        ServerRegistry registry = Osgi.service(ServerRegistry.class);
        // the default server points at a port nobody listens on here: keep the monitor's work to the fake
        registry.remove(ServerDescriptor.DEFAULT_ID);
        FakeComfyServer fake = fakeBuilder.start();
        String serverId = "fake-" + UUID.randomUUID().toString().substring(0, 8);
        // the server's first status greets the socket; a prompt sent before it arrived would be looked up in the
        // history (its events might have gone nowhere), so the tests start once it has come
        Recorder greeting = new Recorder();
        ServiceRegistration<ExecutionListener> listening = Osgi.context().registerService(ExecutionListener.class,
                greeting, new Hashtable<>(Map.of(ExecutionListener.SERVERS, serverId, ExecutionListener.TYPES,
                        new String[] { "STATUS" })));
        try {
            registry.add(new ServerDescriptor(serverId, "Fake ComfyUI", fake.baseUri(), null));
            MonitorFixture fixture = new MonitorFixture(fake, serverId);
            fixture.awaitConnected();
            greeting.await("the greeting of " + serverId, StatusEvent.class, e -> true);
            return fixture;
        } finally {
            listening.unregister();
        }
    }

    /** The same fixture with the monitor service looked up again (after the component was restarted). */
    MonitorFixture reattached() {
        MonitorFixture again = new MonitorFixture(fake, serverId);
        again.registrations.addAll(registrations);
        return again;
    }

    void awaitConnected() throws Exception {
        Eventually.until(serverId + " connected", () -> monitor.connectionState(serverId) == ConnectionState.CONNECTED
                && fake.isConnected(monitor.clientId(serverId)));
    }

    String clientId() {
        return monitor.clientId(serverId);
    }

    /** Registers a listener with the given filter properties, unregistered on {@link #close()}. */
    <L extends ExecutionListener> L listen(L listener, Map<String, Object> properties) {
        Dictionary<String, Object> dict = new Hashtable<>(properties);
        registrations.add(Osgi.context().registerService(ExecutionListener.class, listener, dict));
        return listener;
    }

    /** Submits a graph with the monitor's client id and tracks it with the time it was sent, as the queue does. */
    String submit(PromptGraph graph) throws Exception {
        String promptId = UUID.randomUUID().toString();
        Instant sent = Instant.now();
        client.submit(PromptRequest.of(graph).withPromptId(promptId).withClientId(clientId()));
        monitor.track(serverId, promptId, graph.ids(), sent);
        return promptId;
    }

    /** A quick prompt that no other prompt shares a cache entry with ({@link TestPrompts#quick}). */
    static PromptGraph quick(int color, String prefix) {
        return PromptGraph.parse(TestPrompts.quick(color, prefix), "quick " + prefix);
    }

    /** A prompt whose ImageBlur, node {@value TestPrompts#SLOW_NODE}, a test can hold ({@link TestPrompts#slow}). */
    static PromptGraph slow(int color) {
        return PromptGraph.parse(TestPrompts.slow(color), "slow " + color);
    }

    @Override
    public void close() {
        registrations.forEach(ServiceRegistration::unregister);
        Osgi.service(ServerRegistry.class).remove(serverId);
        fake.close();
    }
}
