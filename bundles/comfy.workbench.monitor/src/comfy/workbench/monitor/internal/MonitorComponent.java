package comfy.workbench.monitor.internal;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import comfy.workbench.connection.api.ComfyClients;
import comfy.workbench.connection.api.DataLocation;
import comfy.workbench.connection.api.FeatureFlags;
import comfy.workbench.connection.api.ServerChange;
import comfy.workbench.connection.api.ServerCredentials;
import comfy.workbench.connection.api.ServerDescriptor;
import comfy.workbench.connection.api.ServerRegistry;
import comfy.workbench.connection.api.ServerRegistryListener;
import comfy.workbench.monitor.api.ConnectionState;
import comfy.workbench.monitor.api.EventType;
import comfy.workbench.monitor.api.ExecutionListener;
import comfy.workbench.monitor.api.ExecutionMonitor;
import comfy.workbench.monitor.api.MonitorStatistics;
import comfy.workbench.monitor.api.MonitorStats;
import comfy.workbench.monitor.api.PromptExecution;

/**
 * The monitor: a {@link ServerSession} per registered server, following the registry, and the listener whiteboard.
 * A configuration change re-activates it (no {@code @Modified}): sockets reopen and reconcile, which is what a
 * changed timeout or buffer size needs anyway.
 */
@Component(service = { ExecutionMonitor.class, MonitorStatistics.class, ServerRegistryListener.class },
        // immediate: the sockets must be open before anyone asks, or events of prompts in flight are missed
        immediate = true, configurationPid = MonitorComponent.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = MonitorComponent.Config.class)
public final class MonitorComponent implements ExecutionMonitor, MonitorStatistics, ServerRegistryListener {

    static final String PID = "comfy.workbench.monitor";

    /** Configuration of the monitor. */
    @ObjectClassDefinition(name = "Comfy Workbench monitor", description = "The WebSocket monitor of every server")
    public @interface Config {
        @AttributeDefinition(name = "First reconnect delay (ms)", min = "1")
        long reconnectInitialMillis() default 1_000;

        @AttributeDefinition(name = "Longest reconnect delay (ms)", min = "1")
        long reconnectMaxMillis() default 15_000;

        @AttributeDefinition(name = "Reconnect jitter", description = "Spread of each delay, a fraction in [0, 1)")
        double reconnectJitter() default 0.25;

        @AttributeDefinition(name = "Connect timeout (ms)", min = "1")
        long connectTimeoutMillis() default 10_000;

        @AttributeDefinition(name = "Ping interval (s)", description = "How often open sockets are pinged", min = "1")
        long pingIntervalSeconds() default 15;

        @AttributeDefinition(name = "Idle timeout (s)", description = "No frame for this long: check the server "
                + "over HTTP and reconcile (the server sends no heartbeat)", min = "1")
        long idleTimeoutSeconds() default 60;

        @AttributeDefinition(name = "Reconcile interval (s)", description = "Unfinished prompts are looked up in "
                + "the server's queue and history at least this often, even on a busy socket", min = "1")
        long reconcileIntervalSeconds() default 30;

        @AttributeDefinition(name = "Listener buffer", description = "Events a listener may have waiting before it "
                + "is disconnected (previews not counted)", min = "1")
        int listenerBuffer() default 100_000;

        @AttributeDefinition(name = "Listener preview buffer", description = "Previews a listener may have waiting; "
                + "newer ones are dropped and counted", min = "0")
        int listenerPreviewBuffer() default 32;

        @AttributeDefinition(name = "Finished prompts kept", description = "Per server, for late queries", min = "0")
        int finishedRetention() default 1_000;

        @AttributeDefinition(name = "Largest message (MiB)", min = "1")
        int maxMessageMegabytes() default 64;

        @AttributeDefinition(name = "Post previews to Event Admin")
        boolean eventAdminPreviews() default false;
    }

    private static final Logger LOG = LoggerFactory.getLogger(MonitorComponent.class);

    @Reference
    private ServerRegistry registry;

    @Reference
    private ComfyClients clients;

    @Reference
    private ServerCredentials credentials;

    @Reference
    private DataLocation dataLocation;

    private final Map<String, ServerSession> sessions = new ConcurrentHashMap<>();
    private final Map<String, PromptTracker> trackers = new ConcurrentHashMap<>();
    private final ListenerDispatcher dispatcher = new ListenerDispatcher(100_000, 32);
    private final EventAdminBridge eventAdminBridge = new EventAdminBridge();
    private volatile MonitorSettings settings;
    private ClientIds clientIds;
    private WebSocketTransport transport;
    private ScheduledThreadPoolExecutor scheduler;
    private ExecutorService blocking;
    private ExecutorService completions;
    private MonitorRuntime runtime;

    @Activate
    void activate(Config config) throws IOException {
        settings = settings(config);
        clientIds = new ClientIds(dataLocation.area("monitor").resolve("client-ids.properties"));
        dispatcher.resize(settings.listenerBuffer(), settings.previewBuffer());
        scheduler = new ScheduledThreadPoolExecutor(1, daemon("comfy-monitor-timer"));
        scheduler.setRemoveOnCancelPolicy(true);
        blocking = new ThreadPoolExecutor(0, 4, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                daemon("comfy-monitor-http"));
        completions = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                daemon("comfy-monitor-completions"));
        transport = new JettyWebSocketTransport(settings.maxMessageBytes());
        runtime = new MonitorRuntime(transport, scheduler, blocking, dispatcher, clients, credentials, () -> settings,
                System::nanoTime, () -> ThreadLocalRandom.current().nextDouble());
        dispatcher.add(eventAdminBridge, Map.of(ExecutionListener.TYPES, eventAdminTypes(settings)));
        for (ServerDescriptor server : registry.servers()) {
            open(server);
        }
        LOG.info("monitor started for {} server(s)", sessions.size());
    }

    @Deactivate
    void deactivate() {
        sessions.values().forEach(ServerSession::stop);
        sessions.clear();
        dispatcher.close();
        transport.close();
        scheduler.shutdownNow();
        blocking.shutdownNow();
        completions.shutdown();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addListener(ExecutionListener listener, Map<String, Object> properties) {
        try {
            dispatcher.add(listener, properties);
        } catch (IllegalArgumentException e) {
            LOG.error("monitor listener {} ignored: {}", listener.getClass().getName(), e.getMessage());
        }
    }

    void removeListener(ExecutionListener listener) {
        dispatcher.remove(listener);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setEventAdmin(EventAdmin admin) {
        eventAdminBridge.eventAdmin(admin);
    }

    void unsetEventAdmin(EventAdmin admin) {
        eventAdminBridge.eventAdmin(null);
    }

    @Override
    public void serverChanged(ServerChange change) {
        ServerDescriptor server = change.server();
        switch (change.type()) {
            case ADDED -> open(server);
            case CHANGED -> {
                ServerSession session = sessions.get(server.id());
                if (session == null) {
                    open(server);
                } else {
                    session.update(server);
                }
            }
            case REMOVED -> {
                ServerSession session = sessions.remove(server.id());
                if (session != null) {
                    session.stop();
                }
            }
        }
    }

    private void open(ServerDescriptor server) {
        if (runtime == null) {
            return; // not active yet: activate opens every registered server
        }
        sessions.computeIfAbsent(server.id(), id -> {
            PromptTracker tracker = trackers.computeIfAbsent(id,
                    i -> new PromptTracker(i, completions, settings.finishedRetention()));
            ServerSession session = new ServerSession(server, clientIds.of(id), runtime, tracker);
            session.start();
            return session;
        });
    }

    // ---- ExecutionMonitor

    @Override
    public String clientId(String serverId) {
        ServerSession session = sessions.get(serverId);
        return session != null ? session.clientId() : clientIds.of(serverId);
    }

    @Override
    public Optional<FeatureFlags> featureFlags(String serverId) {
        ServerSession session = sessions.get(serverId);
        return session == null ? Optional.empty() : session.serverFlags();
    }

    @Override
    public ConnectionState connectionState(String serverId) {
        ServerSession session = sessions.get(serverId);
        return session == null ? ConnectionState.STOPPED : session.state();
    }

    @Override
    public PromptExecution track(String serverId, String promptId, Collection<String> nodeIds) {
        return track(serverId, promptId, nodeIds, null);
    }

    @Override
    public PromptExecution track(String serverId, String promptId, Collection<String> nodeIds, Instant sent) {
        PromptExecution snapshot = tracker(serverId).track(promptId, nodeIds, Instant.now());
        ServerSession session = sessions.get(serverId);
        if (session == null) {
            LOG.warn("tracking prompt {} on {}, which the monitor does not watch", promptId, serverId);
        } else if (!snapshot.terminal()) {
            session.tracked(sent);
        }
        return snapshot;
    }

    @Override
    public Optional<PromptExecution> execution(String serverId, String promptId) {
        PromptTracker tracker = trackers.get(serverId);
        return tracker == null ? Optional.empty() : tracker.snapshot(promptId);
    }

    @Override
    public List<PromptExecution> unfinished(String serverId) {
        PromptTracker tracker = trackers.get(serverId);
        return tracker == null ? List.of() : tracker.unfinishedSnapshots();
    }

    @Override
    public CompletionStage<PromptExecution> completion(String serverId, String promptId) {
        return tracker(serverId).completion(promptId);
    }

    @Override
    public void untrack(String serverId, String promptId) {
        PromptTracker tracker = trackers.get(serverId);
        if (tracker != null) {
            tracker.untrack(promptId);
        }
    }

    @Override
    public void reconnect(String serverId) {
        ServerSession session = sessions.get(serverId);
        if (session == null) {
            throw new IllegalArgumentException("the monitor does not watch server " + serverId);
        }
        session.reconnect();
    }

    // ---- MonitorStatistics

    @Override
    public Optional<MonitorStats> statistics(String serverId) {
        ServerSession session = sessions.get(serverId);
        return session == null ? Optional.empty() : Optional.of(session.statistics().snapshot());
    }

    @Override
    public List<MonitorStats> all() {
        List<MonitorStats> all = new ArrayList<>();
        sessions.values().forEach(s -> all.add(s.statistics().snapshot()));
        return all;
    }

    private PromptTracker tracker(String serverId) {
        return trackers.computeIfAbsent(serverId, id -> new PromptTracker(id, completions, settings.finishedRetention()));
    }

    private static String[] eventAdminTypes(MonitorSettings settings) {
        EnumSet<EventType> types = EnumSet.allOf(EventType.class);
        if (!settings.eventAdminPreviews()) {
            types.remove(EventType.PREVIEW);
        }
        return types.stream().map(Enum::name).toArray(String[]::new);
    }

    static MonitorSettings settings(Config c) {
        if (c.reconnectMaxMillis() < c.reconnectInitialMillis()) {
            throw new IllegalArgumentException("monitor: reconnectMaxMillis must be >= reconnectInitialMillis");
        }
        long maxBytes = (long) c.maxMessageMegabytes() << 20;
        if (c.maxMessageMegabytes() < 1 || maxBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("monitor: maxMessageMegabytes must be within 1..2047");
        }
        return new MonitorSettings(
                new Backoff(Duration.ofMillis(c.reconnectInitialMillis()), Duration.ofMillis(c.reconnectMaxMillis()),
                        c.reconnectJitter()),
                Duration.ofMillis(c.connectTimeoutMillis()), Duration.ofSeconds(c.pingIntervalSeconds()),
                Duration.ofSeconds(c.idleTimeoutSeconds()), Duration.ofSeconds(c.reconcileIntervalSeconds()),
                c.listenerBuffer(), c.listenerPreviewBuffer(),
                c.finishedRetention(), (int) maxBytes, c.eventAdminPreviews());
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
