package comfy.workbench.queue.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import comfy.workbench.connection.api.ComfyClients;
import comfy.workbench.connection.api.DataLocation;
import comfy.workbench.connection.api.ServerDescriptor;
import comfy.workbench.connection.api.ServerHealth;
import comfy.workbench.connection.api.ServerHealthListener;
import comfy.workbench.connection.api.ServerHealthService;
import comfy.workbench.connection.api.ServerRegistry;
import comfy.workbench.connection.api.ServerRegistryListener;
import comfy.workbench.monitor.api.EventType;
import comfy.workbench.monitor.api.ExecutionListener;
import comfy.workbench.monitor.api.ExecutionMonitor;
import comfy.workbench.monitor.api.NodeSchemas;
import comfy.workbench.cache.api.BlobCache;
import comfy.workbench.cache.api.Cache;
import comfy.workbench.cache.api.CacheManager;
import comfy.workbench.cache.api.CachePolicy;
import comfy.workbench.cache.api.CacheSpec;
import comfy.workbench.connection.api.HistoryEntry;
import comfy.workbench.queue.api.Job;
import comfy.workbench.queue.api.JobEvent;
import comfy.workbench.queue.api.JobListener;
import comfy.workbench.queue.api.JobQueue;
import comfy.workbench.queue.api.JobRequest;
import comfy.workbench.queue.api.JobState;
import comfy.workbench.queue.api.DispatchPolicy;
import comfy.workbench.queue.api.OutputHandler;
import comfy.workbench.queue.api.Priority;
import comfy.workbench.queue.api.QueueDiagnostics;
import comfy.workbench.queue.api.QueueTopics;

/** The {@link JobQueue} service: the {@link QueueEngine} on {@code queue/jobs.mv.db} under the data folder. */
// immediate: jobs recovered from the store go on at start-up, before anyone asks for the queue
@Component(service = JobQueue.class, immediate = true, configurationPid = QueueComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = QueueComponent.Config.class)
public final class QueueComponent implements JobQueue {

    static final String PID = "comfy.workbench.queue";
    static final String HISTORY_CACHE = "queue.finished-history";
    static final String OUTPUTS_CACHE = "queue.outputs";
    /** Framework property overriding {@link Config#perServerLimit()}. */
    public static final String LIMIT_PROPERTY = "comfy.workbench.queue.perServerLimit";
    /** Framework property overriding {@link Config#outputDirectory()}. */
    public static final String OUTPUT_PROPERTY = "comfy.workbench.queue.outputDirectory";
    /** Framework property overriding {@link Config#dispatch()} (the command line's commands that run no jobs). */
    public static final String DISPATCH_PROPERTY = "comfy.workbench.queue.dispatch";
    /** Framework property overriding {@link Config#dispatchPolicy()}. */
    public static final String DISPATCH_POLICY_PROPERTY = "comfy.workbench.queue.dispatchPolicy";
    private static final Logger LOG = LoggerFactory.getLogger(QueueComponent.class);

    /** Configuration of the queue. */
    @ObjectClassDefinition(name = "Comfy Workbench queue", description = "The client-side job queue")
    public @interface Config {
        @AttributeDefinition(name = "Prompts in flight per server", description = "Keeps each server's own queue "
                + "shallow so that the client's priorities decide the order", min = "1")
        int perServerLimit() default 2;

        @AttributeDefinition(name = "Output directory", description = "Empty for outputs/ under the data folder")
        String outputDirectory() default "";

        @AttributeDefinition(name = "Lost server grace (ms)", description = "How long a server may be down before its "
                + "running jobs are tried elsewhere, and how long the outputs of a finished job are fetched again "
                + "before it is run again")
        long lostServerGraceMillis() default 60_000;

        @AttributeDefinition(name = "Unanswering server grace (ms)", description = "The same for a server that does "
                + "not answer (timeouts, broken connections, a proxy's errors) rather than refuse connections: it may "
                + "still run its queue behind a network partition, and its jobs sent elsewhere could run twice")
        long unansweringServerGraceMillis() default 600_000;

        @AttributeDefinition(name = "Reconcile retry (ms)", description = "How often an unreachable server is asked "
                + "again about a job whose fate is unknown")
        long reconcileRetryMillis() default 2_000;

        @AttributeDefinition(name = "Timeout check interval (ms)")
        long tickMillis() default 250;

        @AttributeDefinition(name = "History entries cached", description = "Finished prompts' history entries kept "
                + "for reconciliation", min = "1")
        long historyCacheEntries() default 10_000;

        @AttributeDefinition(name = "Downloaded outputs cache (MB)", description = "The client's own copies of the "
                + "outputs it downloaded, so that a download redone fetches only what it lacks; 0 for none", min = "0")
        long outputCacheMegabytes() default 1024;

        @AttributeDefinition(name = "Send jobs", description = "Off for a process that only lists or cancels jobs: "
                + "waiting jobs stay where they are for the process that runs them")
        boolean dispatch() default true;

        @AttributeDefinition(name = "Dispatch policy", description = "The name of the registered dispatch policy "
                + "that chooses each job's server (service property dispatch.policy); empty for the built-in "
                + "most-free-slots, most-free-vram for the server with the most free GPU memory")
        String dispatchPolicy() default "";
    }

    private final List<JobListener> listeners = new CopyOnWriteArrayList<>();
    private final List<OutputHandler> handlers = new CopyOnWriteArrayList<>();
    private volatile EventAdmin eventAdmin;
    private final List<ServiceRegistration<?>> registrations = new CopyOnWriteArrayList<>();
    private QueueEngine engine;
    private final CacheManager caches;
    private final DispatchPolicies policies;

    @Activate
    public QueueComponent(@Reference DataLocation data, @Reference ComfyClients clients,
            @Reference ServerRegistry registry, @Reference ServerHealthService health,
            @Reference ExecutionMonitor monitor, @Reference NodeSchemas schemas, @Reference CacheManager caches,
            BundleContext context, Config config) throws IOException {
        this.caches = caches;
        String policyProperty = context.getProperty(DISPATCH_POLICY_PROPERTY);
        this.policies = new DispatchPolicies(policyProperty != null ? policyProperty : config.dispatchPolicy());
        // framework properties (the command line's --concurrency and --out) win over the configuration
        String limitProperty = context.getProperty(LIMIT_PROPERTY);
        int limit = limitProperty != null ? wholeNumber(limitProperty, "--concurrency") : config.perServerLimit();
        String dispatchProperty = context.getProperty(DISPATCH_PROPERTY);
        boolean dispatch = dispatchProperty != null ? Boolean.parseBoolean(dispatchProperty.strip()) : config.dispatch();
        String outProperty = context.getProperty(OUTPUT_PROPERTY);
        String out = outProperty != null && !outProperty.isBlank() ? outProperty : config.outputDirectory();
        Path outputs = out.isBlank() ? data.area("outputs") : Path.of(out).toAbsolutePath();
        BlobCache outputsCache = outputsCache(config.outputCacheMegabytes());
        QueueEngine.Settings settings = new QueueEngine.Settings(limit, outputs,
                Duration.ofMillis(config.lostServerGraceMillis()),
                Duration.ofMillis(config.unansweringServerGraceMillis()), Duration.ofMillis(config.reconcileRetryMillis()),
                Duration.ofMillis(config.tickMillis()), dispatch);
        // reconciliation after a restart asks for the same finished prompts again: their entries are final
        Cache<String, HistoryEntry> history = caches.create(CacheSpec.<String, HistoryEntry>of(HISTORY_CACHE,
                CachePolicy.entries(config.historyCacheEntries()).withExpireAfterAccess(Duration.ofHours(1))));
        // opened (and locked) last: a bad value above must not leave it open
        JobStore store = null;
        try {
            store = new JobStore(data.area("queue").resolve("jobs.mv.db"));
            engine = new QueueEngine(store, clients, registry, health, monitor, schemas, history, outputsCache, settings,
                    policies, publisher(), Clock.systemUTC());
        } catch (IOException | RuntimeException | Error e) {
            // a failed activation is not deactivated: what it made is undone here, or the next one finds the store
            // locked and the history cache made with the old settings
            try {
                if (store != null) {
                    store.close();
                }
            } catch (RuntimeException closing) {
                e.addSuppressed(closing);
            }
            caches.remove(HISTORY_CACHE);
            throw e;
        }
        Dictionary<String, Object> types = new Hashtable<>();
        types.put(ExecutionListener.TYPES, new String[] { EventType.EXECUTION_START.name(), EventType.EXECUTING.name(),
                EventType.PROGRESS.name(), EventType.PROGRESS_STATE.name(), EventType.EXECUTED.name(),
                EventType.EXECUTION_CACHED.name(), EventType.CONNECTION.name(), EventType.STATUS.name() });
        registrations.add(context.registerService(ExecutionListener.class, engine::onMonitorEvent, types));
        registrations.add(context.registerService(ServerHealthListener.class, engine::onHealth, null));
        // the health service announces changes only: a server found down before this queue listened (a client
        // restarted while it was down) would never be heard of, and the jobs left on it would wait for it for ever
        for (ServerDescriptor server : registry.servers()) {
            engine.onHealth(ServerHealth.unknown(server.id()), health.health(server.id()));
        }
        registrations.add(context.registerService(ServerRegistryListener.class, change -> engine.wake(), null));
    }

    /** Where the engine's results go: listeners and Event Admin ({@link #publish}), output handlers. */
    private static int wholeNumber(String value, String option) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes a whole number of prompts in flight per server, not "
                    + value, e);
        }
    }

    private QueueEngine.Publisher publisher() {
        return new QueueEngine.Publisher() {
            @Override
            public void published(JobEvent event) {
                publish(event);
            }

            @Override
            public void outputsReady(Job job, List<Path> files) {
                for (OutputHandler h : handlers) {
                    try {
                        h.outputsReady(job, files);
                    } catch (Exception e) {
                        LOG.error("output handler {} failed on job {}", h, job.id(), e);
                    }
                }
            }
        };
    }

    /** The downloaded outputs' blob cache, kept across restarts (so never removed here), or null for none. */
    private BlobCache outputsCache(long megabytes) {
        if (megabytes < 0 || megabytes > Long.MAX_VALUE >> 20) {
            throw new IllegalArgumentException("outputCacheMegabytes must be 0 to " + (Long.MAX_VALUE >> 20) + ": "
                    + megabytes);
        }
        if (megabytes == 0) {
            return null;
        }
        try {
            return caches.blobCache(OUTPUTS_CACHE, megabytes << 20);
        } catch (IllegalStateException e) {
            // its budget was changed while the cache manager runs: the new one applies from the next start
            LOG.warn("{}; the downloaded outputs cache keeps its budget until the next start", e.getMessage());
            return caches.findBlobCache(OUTPUTS_CACHE).orElse(null);
        }
    }

    @Deactivate
    void deactivate() {
        registrations.forEach(r -> {
            try {
                r.unregister();
            } catch (IllegalStateException e) {
                // already gone with the bundle
            }
        });
        engine.close();
        caches.remove(HISTORY_CACHE);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addListener(JobListener listener) {
        listeners.add(listener);
    }

    void removeListener(JobListener listener) {
        listeners.remove(listener);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addHandler(OutputHandler handler) {
        handlers.add(handler);
    }

    void removeHandler(OutputHandler handler) {
        handlers.remove(handler);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addPolicy(DispatchPolicy policy, Map<String, Object> properties) {
        if (policies.add(policy, properties) && engine != null) {
            engine.wake(); // jobs may have waited for it
        }
    }

    void removePolicy(DispatchPolicy policy, Map<String, Object> properties) {
        policies.remove(policy, properties);
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

    private void publish(JobEvent event) {
        for (JobListener l : listeners) {
            try {
                l.jobChanged(event);
            } catch (RuntimeException e) {
                LOG.error("job listener {} failed", l, e);
            }
        }
        EventAdmin admin = eventAdmin;
        if (admin != null) {
            Map<String, Object> props = new HashMap<>();
            Job job = event.job();
            props.put("job.id", job.id());
            props.put("job.state", job.state().name());
            if (event.previous() != null) {
                props.put("job.previous", event.previous().name());
            }
            if (job.serverId() != null) {
                props.put("job.server", job.serverId());
            }
            if (job.batchId() != null) {
                props.put("job.batch", job.batchId());
            }
            props.put("job", job);
            admin.postEvent(new Event(QueueTopics.JOB_STATE, props));
        }
    }

    @Override
    public Job submit(JobRequest request) {
        return engine.submit(request);
    }

    @Override
    public List<Job> submitAll(List<JobRequest> requests) {
        return engine.submitAll(requests);
    }

    @Override
    public Optional<Job> job(String id) {
        return engine.job(id);
    }

    @Override
    public List<Job> jobs(Collection<JobState> states) {
        return engine.jobs(states);
    }

    @Override
    public List<Job> batch(String batchId) {
        return engine.batch(batchId);
    }

    @Override
    public CompletionStage<Job> completion(String id) {
        return engine.completion(id);
    }

    @Override
    public boolean cancel(String id) {
        return engine.cancel(id);
    }

    @Override
    public int cancelBatch(String batchId) {
        return engine.cancelBatch(batchId);
    }

    @Override
    public int clear() {
        return engine.clear();
    }

    @Override
    public boolean reprioritise(String id, Priority priority) {
        return engine.reprioritise(id, priority);
    }

    @Override
    public void pause() {
        engine.pause();
    }

    @Override
    public void resume() {
        engine.resume();
    }

    @Override
    public boolean paused() {
        return engine.paused();
    }

    @Override
    public void pause(String serverId) {
        engine.pause(serverId);
    }

    @Override
    public void resume(String serverId) {
        engine.resume(serverId);
    }

    @Override
    public QueueDiagnostics diagnostics() {
        return engine.diagnostics();
    }

    @Override
    public int forget(java.util.Collection<String> ids) {
        return engine.forget(ids);
    }

    @Override
    public List<String> leftUnfinished() {
        return engine.leftUnfinished();
    }
}
