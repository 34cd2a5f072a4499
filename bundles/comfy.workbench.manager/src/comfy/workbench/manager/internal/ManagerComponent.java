package comfy.workbench.manager.internal;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.Constants;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.util.promise.Promise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import comfy.workbench.manager.api.ComponentInfo;
import comfy.workbench.manager.api.ComponentState;
import comfy.workbench.manager.api.HealthChange;
import comfy.workbench.manager.api.HealthCheck;
import comfy.workbench.manager.api.HealthReport;
import comfy.workbench.manager.api.ManagerTopics;
import comfy.workbench.manager.api.PlatformManager;
import comfy.workbench.manager.api.ShutdownReport;

/**
 * The {@link PlatformManager}: component states from {@link ServiceComponentRuntime}, the health-check whiteboard, and
 * the platform's lifecycle, including a graceful shutdown when the framework stops.
 */
@Component(service = PlatformManager.class, immediate = true, configurationPid = ManagerComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = ManagerComponent.Config.class)
public final class ManagerComponent implements PlatformManager {

    /** How long a restart waits for the component to be up before it answers with the state it is in. */
    private static final Duration SETTLE = Duration.ofSeconds(2);
    private static final long SETTLE_POLL_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(5);
    static final String PID = "comfy.workbench.manager";
    /** The platform's layers in start order; other comfy.workbench bundles (CLI, UI, ...) come after them. */
    static final List<String> LAYERS = List.of("comfy.workbench.connection", "comfy.workbench.monitor",
            "comfy.workbench.cache", "comfy.workbench.workflows", "comfy.workbench.templates", "comfy.workbench.queue");
    private static final String PLATFORM = "comfy.workbench.";
    private static final String OWN_BUNDLE = "comfy.workbench.manager";
    private static final Logger LOG = LoggerFactory.getLogger(ManagerComponent.class);

    /** Configuration of the service manager. */
    @ObjectClassDefinition(name = "Comfy Workbench service manager")
    public @interface Config {
        @AttributeDefinition(name = "Check interval (ms)", description = "For checks that do not set hc.interval")
        long checkIntervalMillis() default 30_000;

        @AttributeDefinition(name = "Check timeout (ms)", description = "For checks that do not set hc.timeout")
        long checkTimeoutMillis() default 10_000;

        @AttributeDefinition(name = "First check after (ms)", description = "Delay of each check's first run, so that "
                + "short command-line runs are not slowed by checks")
        long initialDelayMillis() default 2_000;

        @AttributeDefinition(name = "First recovery backoff (ms)")
        long recoveryInitialMillis() default 1_000;

        @AttributeDefinition(name = "Longest recovery backoff (ms)")
        long recoveryMaxMillis() default 300_000;

        @AttributeDefinition(name = "Shutdown deadline (ms)", description = "How long a graceful shutdown may take "
                + "when the framework stops")
        long shutdownDeadlineMillis() default 10_000;
    }

    private final ServiceComponentRuntime scr;
    private final ComponentInspector inspector;
    private final BundleContext context;
    private final Duration shutdownDeadline;
    private final HealthRunner health;
    private final SynchronousBundleListener frameworkStop;
    private volatile EventAdmin eventAdmin;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ConfigurationAdmin configurationAdmin;
    private final ComponentRestarter restarter;
    /** Components the last shutdown stopped, as bundle id + name, for {@link #start()}. */
    private final Set<String> stoppedNames = new LinkedHashSet<>();
    private final Object lifecycle = new Object();

    @Activate
    public ManagerComponent(@Reference ServiceComponentRuntime scr, BundleContext context, Config config) {
        this.scr = scr;
        this.context = context;
        this.inspector = new ComponentInspector(scr);
        this.restarter = new ComponentRestarter(scr, () -> configurationAdmin);
        this.shutdownDeadline = positive(config.shutdownDeadlineMillis(), "shutdownDeadlineMillis");
        HealthRunner.Settings settings = new HealthRunner.Settings(
                positive(config.checkIntervalMillis(), "checkIntervalMillis"),
                positive(config.checkTimeoutMillis(), "checkTimeoutMillis"),
                Duration.ofMillis(Math.max(0, config.initialDelayMillis())),
                positive(config.recoveryInitialMillis(), "recoveryInitialMillis"),
                positive(config.recoveryMaxMillis(), "recoveryMaxMillis"), 100);
        this.health = new HealthRunner(settings, new HealthRunner.Sink() {
            @Override
            public void changed(HealthChange change) {
                post(ManagerTopics.HEALTH_CHANGED, Map.of("status", change.status().name(), "previous",
                        change.previous().name(), "reasons", change.reasons().toArray(String[]::new), "change", change));
            }

            @Override
            public void recovering(String check, String action) {
                post(ManagerTopics.RECOVERY, Map.of("check", check, "action", action));
            }
        }, Clock.systemUTC());
        // the system bundle says STOPPING before any bundle stops: the moment for an orderly shutdown
        this.frameworkStop = event -> {
            if (event.getBundle().getBundleId() == 0 && event.getType() == BundleEvent.STOPPING) {
                ShutdownReport report = shutdown(shutdownDeadline);
                if (!report.clean()) {
                    LOG.warn("shutdown: {} did not stop within {} ms", report.late(), shutdownDeadline.toMillis());
                }
            }
        };
        context.addBundleListener(frameworkStop);
    }

    private static Duration positive(long millis, String name) {
        if (millis <= 0) {
            throw new IllegalArgumentException(name + " must be positive: " + millis);
        }
        return Duration.ofMillis(millis);
    }

    @Deactivate
    void deactivate() {
        try {
            context.removeBundleListener(frameworkStop);
        } catch (IllegalStateException e) {
            // the framework is gone already
        }
        health.close();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addCheck(HealthCheck check, Map<String, Object> properties) {
        health.add((Long) properties.get(Constants.SERVICE_ID), check, properties);
    }

    void removeCheck(HealthCheck check, Map<String, Object> properties) {
        health.remove((Long) properties.get(Constants.SERVICE_ID));
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void setEventAdmin(EventAdmin admin) {
        eventAdmin = admin;
    }

    void unsetEventAdmin(EventAdmin admin) {
        if (eventAdmin == admin) {
            eventAdmin = null;
        }
    }

    private void post(String topic, Map<String, Object> properties) {
        EventAdmin admin = eventAdmin;
        if (admin != null) {
            admin.postEvent(new Event(topic, properties));
        }
    }

    @Override
    public List<ComponentInfo> components() {
        return inspector.all();
    }

    @Override
    public List<ComponentInfo> component(String name) {
        return scr.getComponentDescriptionDTOs().stream().filter(d -> d.name.equals(name))
                .flatMap(d -> inspector.describe(d).stream()).toList();
    }

    @Override
    public HealthReport health() {
        return health.report();
    }

    @Override
    public HealthReport checkNow() {
        return health.checkNow();
    }

    @Override
    public List<HealthChange> history() {
        return health.history();
    }

    @Override
    public ShutdownReport shutdown(Duration deadline) {
        synchronized (lifecycle) {
            long start = System.nanoTime();
            long end = start + deadline.toNanos();
            health.suspend(true);
            List<String> stopped = new ArrayList<>();
            List<String> late = new ArrayList<>();
            List<List<ComponentDescriptionDTO>> layers = layers();
            for (int i = layers.size() - 1; i >= 0; i--) {
                Map<ComponentDescriptionDTO, Promise<Void>> stopping = new HashMap<>();
                for (ComponentDescriptionDTO d : layers.get(i)) {
                    if (scr.isComponentEnabled(d)) {
                        stopping.put(d, scr.disableComponent(d));
                        stoppedNames.add(key(d));
                    }
                }
                for (Map.Entry<ComponentDescriptionDTO, Promise<Void>> e : stopping.entrySet()) {
                    if (await(e.getValue(), end)) {
                        stopped.add(e.getKey().name);
                    } else {
                        late.add(e.getKey().name);
                    }
                }
            }
            ShutdownReport report = new ShutdownReport(stopped, late, Duration.ofNanos(System.nanoTime() - start));
            LOG.info("shutdown: {} components stopped in {} ms{}", stopped.size(), report.took().toMillis(),
                    late.isEmpty() ? "" : "; still stopping: " + late);
            return report;
        }
    }

    private static String key(ComponentDescriptionDTO d) {
        return d.bundle.id + "/" + d.name;
    }

    @Override
    public void start() {
        synchronized (lifecycle) {
            long end = System.nanoTime() + shutdownDeadline.toNanos();
            for (List<ComponentDescriptionDTO> layer : layers()) {
                List<Promise<Void>> starting = new ArrayList<>();
                for (ComponentDescriptionDTO d : layer) {
                    if (stoppedNames.remove(key(d)) && !scr.isComponentEnabled(d)) {
                        starting.add(scr.enableComponent(d));
                    }
                }
                starting.forEach(p -> await(p, end));
            }
            stoppedNames.clear();
            health.suspend(false);
        }
    }

    @Override
    public Optional<ComponentInfo> restart(String componentName, Duration deadline) {
        List<ComponentDescriptionDTO> found = scr.getComponentDescriptionDTOs().stream()
                .filter(d -> d.name.equals(componentName)).toList();
        if (found.isEmpty()) {
            return Optional.empty();
        }
        for (ComponentDescriptionDTO d : found) {
            try {
                String how = restarter.restart(d, deadline.toNanos());
                LOG.info("restarted component {} ({})", componentName, how);
            } catch (IOException e) {
                LOG.error("could not restart component {}: its configuration cannot be stored", componentName, e);
            }
        }
        return settled(componentName, found.get(0).immediate, System.nanoTime() + Math.min(deadline.toNanos(),
                SETTLE.toNanos()));
    }

    /**
     * The component as it is once up, or as it is at {@code endNanos}: SCR may still be finishing with the instance it
     * replaced (listed beside the new one) or activating the new one on its own thread when the restart returns.
     */
    private Optional<ComponentInfo> settled(String componentName, boolean immediate, long endNanos) {
        while (true) {
            List<ComponentInfo> now = component(componentName);
            Optional<ComponentInfo> up = now.stream().filter(c -> c.state() == ComponentState.ACTIVE
                    || (!immediate && c.state() == ComponentState.SATISFIED)).findFirst();
            if (up.isPresent() || System.nanoTime() - endNanos >= 0 || Thread.currentThread().isInterrupted()) {
                return up.or(() -> now.stream().findFirst());
            }
            java.util.concurrent.locks.LockSupport.parkNanos(SETTLE_POLL_NANOS);
        }
    }

    /** The platform's components (not the manager's own), grouped into layers in start order. */
    private List<List<ComponentDescriptionDTO>> layers() {
        List<List<ComponentDescriptionDTO>> layers = new ArrayList<>();
        for (int i = 0; i <= LAYERS.size(); i++) {
            layers.add(new ArrayList<>());
        }
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
            String bundle = d.bundle.symbolicName;
            if (!bundle.startsWith(PLATFORM) || bundle.equals(OWN_BUNDLE)) {
                continue;
            }
            int layer = LAYERS.indexOf(bundle);
            layers.get(layer < 0 ? LAYERS.size() : layer).add(d);
        }
        return layers;
    }

    private static boolean await(Promise<Void> promise, long endNanos) {
        return ComponentRestarter.await(promise, endNanos);
    }
}
