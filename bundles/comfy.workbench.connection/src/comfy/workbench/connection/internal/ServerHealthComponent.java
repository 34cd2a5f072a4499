package comfy.workbench.connection.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import comfy.workbench.connection.api.ComfyClient;
import comfy.workbench.connection.api.ComfyClients;
import comfy.workbench.connection.api.ComfyException;
import comfy.workbench.connection.api.ConnectionTopics;
import comfy.workbench.connection.api.FeatureFlags;
import comfy.workbench.connection.api.HealthState;
import comfy.workbench.connection.api.ServerCapabilities;
import comfy.workbench.connection.api.ServerChange;
import comfy.workbench.connection.api.ServerHealth;
import comfy.workbench.connection.api.ServerHealthListener;
import comfy.workbench.connection.api.ServerHealthService;
import comfy.workbench.connection.api.ServerRegistry;
import comfy.workbench.connection.api.ServerRegistryListener;
import comfy.workbench.connection.api.SystemStats;

/**
 * Probes every registered server on a schedule and on demand: {@code /system_stats} (its round trip is the
 * latency), then {@code /features} and the jobs API. Also a {@link ServerRegistryListener}, so that a server added
 * or changed is probed at once and a removed one forgotten.
 */
@Component(service = { ServerHealthService.class, ServerRegistryListener.class },
        // immediate: the schedule must run even while nobody holds the service
        immediate = true, configurationPid = ServerHealthComponent.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = ServerHealthComponent.Config.class)
public final class ServerHealthComponent implements ServerHealthService, ServerRegistryListener {

    static final String PID = "comfy.workbench.connection.health";

    /** Configuration of the health checks. */
    @ObjectClassDefinition(name = "Comfy Workbench server health", description = "How often and how strictly servers are probed")
    public @interface Config {
        @AttributeDefinition(name = "Interval (s)", description = "Seconds between probes of every server; 0 probes only on demand", min = "0")
        int intervalSeconds() default 30;

        @AttributeDefinition(name = "Degraded latency (ms)", description = "A /system_stats round trip longer than this makes a server DEGRADED", min = "1")
        int degradedLatencyMillis() default 2_000;
    }

    /** The validated configuration. */
    private record Settings(Duration interval, Duration degradedLatency) {
        static Settings of(Config config) {
            if (config.intervalSeconds() < 0 || config.degradedLatencyMillis() < 1) {
                throw new IllegalArgumentException("health: intervalSeconds must be >= 0 and degradedLatencyMillis >= 1");
            }
            return new Settings(Duration.ofSeconds(config.intervalSeconds()), Duration.ofMillis(config.degradedLatencyMillis()));
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(ServerHealthComponent.class);

    @Reference
    private ServerRegistry registry;

    @Reference
    private ComfyClients clients;

    private final CopyOnWriteArrayList<ServerHealthListener> listeners = new CopyOnWriteArrayList<>();
    private volatile EventAdmin eventAdmin;

    private final Map<String, ServerHealth> health = new ConcurrentHashMap<>();
    /** Per server, the start number of the probe whose result {@link #health} holds. */
    private final Map<String, Long> resultOfProbe = new ConcurrentHashMap<>();
    private final AtomicLong probesStarted = new AtomicLong();
    private volatile Settings settings;
    /** Runs the schedule only; the probes run on {@link #probes}. */
    private ScheduledExecutorService scheduler;
    /**
     * A thread per probe in flight: a server that hangs until its requests time out must not hold up the probes of
     * the others, nor a newer probe of itself (a pool of two did, once two probes of a stalled server held both).
     */
    private ExecutorService probes;
    private java.util.concurrent.ScheduledFuture<?> schedule;

    @Activate
    void activate(Config config) {
        AtomicInteger count = new AtomicInteger();
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "comfy-health-schedule");
            t.setDaemon(true);
            return t;
        });
        pool.setRemoveOnCancelPolicy(true);
        scheduler = pool;
        probes = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "comfy-health-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        modified(config);
    }

    @Modified
    synchronized void modified(Config config) {
        settings = Settings.of(config);
        if (schedule != null) {
            schedule.cancel(false);
            schedule = null;
        }
        if (!settings.interval().isZero()) {
            schedule = scheduler.scheduleWithFixedDelay(this::refreshAll, 0, settings.interval().toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    @Deactivate
    synchronized void deactivate() {
        scheduler.shutdownNow();
        probes.shutdownNow();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addListener(ServerHealthListener listener) {
        listeners.addIfAbsent(listener); // once, as the registry's listeners
    }

    void removeListener(ServerHealthListener listener) {
        listeners.remove(listener);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setEventAdmin(EventAdmin admin) {
        eventAdmin = admin;
    }

    void unsetEventAdmin(EventAdmin admin) {
        if (eventAdmin == admin) {
            eventAdmin = null;
        }
    }

    @Override
    public ServerHealth health(String serverId) {
        return health.getOrDefault(serverId, ServerHealth.unknown(serverId));
    }

    @Override
    public List<ServerHealth> all() {
        return registry.servers().stream().map(s -> health(s.id())).toList();
    }

    @Override
    public CompletableFuture<ServerHealth> refresh(String serverId) {
        Objects.requireNonNull(serverId, "serverId");
        try {
            return CompletableFuture.supplyAsync(() -> probe(serverId), probes);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // deactivated meanwhile: report what is known rather than failing the caller
            return CompletableFuture.completedFuture(health(serverId));
        }
    }

    @Override
    public CompletableFuture<List<ServerHealth>> refreshAll() {
        List<CompletableFuture<ServerHealth>> probes = registry.servers().stream().map(s -> refresh(s.id())).toList();
        return CompletableFuture.allOf(probes.toArray(CompletableFuture[]::new))
                .thenApply(done -> probes.stream().map(CompletableFuture::join).toList());
    }

    @Override
    public void serverChanged(ServerChange change) {
        if (change.type() == ServerChange.Type.REMOVED) {
            health.remove(change.server().id());
        } else {
            refresh(change.server().id());
        }
    }

    private ServerHealth probe(String serverId) {
        long started = probesStarted.incrementAndGet();
        Optional<ComfyClient> client = clients.client(serverId);
        if (client.isEmpty()) {
            health.remove(serverId);
            return ServerHealth.unknown(serverId);
        }
        ServerHealth result;
        try {
            result = probe(serverId, client.get(), settings);
        } catch (RuntimeException e) {
            // a bug must not stop the schedule; report the server as unknown with the reason
            LOG.error("health probe of {} failed", serverId, e);
            result = new ServerHealth(serverId, HealthState.UNKNOWN, "probe failed: " + e, Optional.empty(),
                    Optional.empty(), Instant.now(), Optional.empty());
        }
        if (registry.server(serverId).isEmpty()) {
            // removed while the probe ran
            health.remove(serverId);
            return result;
        }
        // probes overlap (the schedule, a refresh on request): one that started earlier and ends later, say with the
        // server answering half of its requests before it went away, must not replace a newer result; and changes are
        // announced in the order they are stored, or a listener would be left with a state the server is not in
        synchronized (resultOfProbe) {
            if (resultOfProbe.getOrDefault(serverId, 0L) > started) {
                return health(serverId);
            }
            resultOfProbe.put(serverId, started);
            ServerHealth previous = health.put(serverId, result);
            if (previous == null) {
                previous = ServerHealth.unknown(serverId);
            }
            if (previous.state() != result.state() || !previous.reason().equals(result.reason())) {
                announce(previous, result);
            }
        }
        return result;
    }

    private static ServerHealth probe(String serverId, ComfyClient client, Settings settings) {
        long start = System.nanoTime();
        SystemStats stats;
        try {
            stats = client.systemStats();
        } catch (ComfyException e) {
            return new ServerHealth(serverId, HealthState.DOWN, e.getMessage(), Optional.of(e.kind()), Optional.empty(),
                    Instant.now(), Optional.empty());
        }
        Duration latency = Duration.ofNanos(System.nanoTime() - start);
        HealthState state = HealthState.UP;
        String reason = "ok";
        Optional<ComfyException.Kind> failure = Optional.empty();
        FeatureFlags features = FeatureFlags.NONE;
        boolean jobsApi = false;
        try {
            features = client.features();
            jobsApi = client.hasJobsApi();
        } catch (ComfyException e) {
            state = HealthState.DEGRADED;
            reason = "system_stats answers but " + e.getMessage();
            failure = Optional.of(e.kind());
        }
        if (state == HealthState.UP && latency.compareTo(settings.degradedLatency()) > 0) {
            state = HealthState.DEGRADED;
            // the reason names the threshold, not the latency, so that it does not change on every probe
            reason = "slow: /system_stats took more than " + settings.degradedLatency().toMillis() + " ms";
        }
        return new ServerHealth(serverId, state, reason, failure, Optional.of(latency), Instant.now(),
                Optional.of(new ServerCapabilities(stats, features, jobsApi)));
    }

    private void announce(ServerHealth previous, ServerHealth current) {
        LOG.info("server {} is {}: {}", current.serverId(), current.state(), current.reason());
        for (ServerHealthListener listener : listeners) {
            try {
                listener.healthChanged(previous, current);
            } catch (RuntimeException e) {
                LOG.error("health listener {} failed", listener, e);
            }
        }
        EventAdmin admin = eventAdmin;
        if (admin != null) {
            Map<String, Object> properties = new HashMap<>();
            properties.put(ConnectionTopics.SERVER_ID, current.serverId());
            properties.put(ConnectionTopics.STATE, current.state().name());
            properties.put(ConnectionTopics.PREVIOUS_STATE, previous.state().name());
            properties.put(ConnectionTopics.REASON, current.reason());
            current.latency().ifPresent(l -> properties.put(ConnectionTopics.LATENCY_MILLIS, l.toMillis()));
            admin.postEvent(new Event(ConnectionTopics.HEALTH, properties));
        }
    }
}
