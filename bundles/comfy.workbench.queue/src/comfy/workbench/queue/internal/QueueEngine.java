package comfy.workbench.queue.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import comfy.workbench.connection.api.ComfyClient;
import comfy.workbench.connection.api.ComfyClients;
import comfy.workbench.connection.api.ComfyException;
import comfy.workbench.connection.api.FileRef;
import comfy.workbench.connection.api.HealthState;
import comfy.workbench.connection.api.HistoryEntry;
import comfy.workbench.connection.api.JobStatus;
import comfy.workbench.connection.api.ServerCapabilities;
import comfy.workbench.connection.api.PromptRejectedException;
import comfy.workbench.connection.api.PromptRequest;
import comfy.workbench.connection.api.QueueSnapshot;
import comfy.workbench.connection.api.ServerDescriptor;
import comfy.workbench.connection.api.ServerHealth;
import comfy.workbench.connection.api.ServerHealthService;
import comfy.workbench.connection.api.ServerRegistry;
import comfy.workbench.model.api.NodeSchema;
import comfy.workbench.monitor.api.ConnectionEvent;
import comfy.workbench.monitor.api.ConnectionState;
import comfy.workbench.monitor.api.EventType;
import comfy.workbench.monitor.api.ExecutionMonitor;
import comfy.workbench.monitor.api.NodeSchemas;
import comfy.workbench.cache.api.BlobCache;
import comfy.workbench.cache.api.Cache;
import comfy.workbench.monitor.api.MonitorEvent;
import comfy.workbench.monitor.api.PromptExecution;
import comfy.workbench.monitor.api.PromptState;
import comfy.workbench.monitor.api.StatusEvent;
import comfy.workbench.queue.api.DispatchCandidate;
import comfy.workbench.queue.api.Job;
import comfy.workbench.queue.api.JobError;
import comfy.workbench.queue.api.JobEvent;
import comfy.workbench.queue.api.JobRequest;
import comfy.workbench.queue.api.JobState;
import comfy.workbench.queue.api.Priority;
import comfy.workbench.queue.api.QueueDiagnostics;
import comfy.workbench.queue.api.ServerPolicy;

/**
 * The queue's engine. All state lives on one thread, which takes tasks from an inbox, lets the dispatcher fill free
 * server slots, commits the store once for everything it did, and only then publishes the events, answers the
 * callers and hands network work (sending, cancelling on the server, downloading) to worker threads, whose results
 * come back through the inbox. So a job is always stored before it is sent, and each round of changes costs one
 * commit however many jobs it touched.
 * <p>
 * Every result of a network call carries the attempt number it belongs to; a result for an attempt that is no
 * longer current (cancelled, timed out, already ended by another path) is ignored. That is what makes the several
 * ways of learning a prompt's end (socket, history, reconciliation) deliver it once.
 */
public final class QueueEngine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(QueueEngine.class);
    private static final Comparator<Job> ORDER = Comparator.comparing(Job::priority).thenComparingLong(Job::sequence);
    private static final String PAUSED = "paused";
    private static final String PAUSED_SERVERS = "pausedServers";
    /** Setting per server: prompt ids taken back while it was unreachable, to remove from it when it answers. */
    private static final String REMOVE_WHEN_BACK = "removeWhenBack.";
    /** How long changes that may wait (a job started running) stay uncommitted at most when nothing else happens. */
    private static final Duration WAITING_CHANGES = Duration.ofSeconds(1);

    /**
     * @param perServerLimit  prompts in flight per server
     * @param outputRoot      where outputs go ({@code <root>/<batch or date>/<job id>/})
     * @param lostServerGrace how long a server may be DOWN before its running jobs are tried elsewhere, and how long
     *            the outputs of a finished job are fetched again (every {@code reconcileRetry}) before it is run again
     * @param unansweringServerGrace the same for a server DOWN because it does not answer (timeouts, a broken
     *            connection, a proxy's error) rather than refuses connections: it may still be running its queue
     *            behind a network partition or a frozen proxy, and a job sent elsewhere could run twice; its
     *            waiting jobs stay with it this long too (a refused server's are sent elsewhere at once)
     * @param reconcileRetry  how often an unreachable server is asked again about a job whose fate is unknown
     * @param tick            how often timeouts are checked
     */
    /**
     * @param dispatch whether jobs are sent to servers: off in a process that only lists or cancels them, so that
     *                 waiting jobs stay for the process that runs them
     */
    public record Settings(int perServerLimit, Path outputRoot, Duration lostServerGrace,
            Duration unansweringServerGrace, Duration reconcileRetry, Duration tick, boolean dispatch) {

        /** Checks the values, naming the one that is wrong. */
        public Settings {
            if (perServerLimit < 1) {
                throw new IllegalArgumentException("perServerLimit must be at least 1: " + perServerLimit);
            }
            if (lostServerGrace.isNegative()) {
                throw new IllegalArgumentException("lostServerGrace must not be negative: " + lostServerGrace);
            }
            if (unansweringServerGrace.isNegative()) {
                throw new IllegalArgumentException("unansweringServerGrace must not be negative: "
                        + unansweringServerGrace);
            }
            if (reconcileRetry.isNegative() || reconcileRetry.isZero()) {
                throw new IllegalArgumentException("reconcileRetry must be positive: " + reconcileRetry);
            }
            if (tick.isNegative() || tick.isZero()) {
                throw new IllegalArgumentException("tick must be positive: " + tick);
            }
        }
    }

    /** Where the engine's results go: listeners, Event Admin, output handlers. Called on the event thread, in order. */
    public interface Publisher {
        void published(JobEvent event);

        void outputsReady(Job job, List<Path> files);
    }

    /** A download answered 404 by a server that no longer has the run at all. */
    private static final class OutputsLost extends Exception {
        private static final long serialVersionUID = 1L;

        OutputsLost(ComfyException cause) {
            super(cause);
        }
    }

    /** The current attempt of a sent job. Engine thread only. */
    private static final class Attempt {
        final String server;
        final int number;
        final Instant sentAt;
        Instant startedAt;
        boolean holdsSlot = true;
        boolean downloading;
        /** When its downloads began to fail for a transient reason, or null. */
        Instant downloadFailingSince;

        Attempt(String server, int number, Instant sentAt) {
            this.server = server;
            this.number = number;
            this.sentAt = sentAt;
        }
    }

    private final JobStore store;
    private final ComfyClients clients;
    private final ServerRegistry registry;
    private final ServerHealthService health;
    private final ExecutionMonitor monitor;
    private final NodeSchemas schemas;
    private final DispatchPolicies policies;
    /** History entries of finished prompts, by server id + "/" + prompt id. */
    private final Cache<String, HistoryEntry> finishedHistory;
    private final DownloadedOutputs downloadedOutputs;
    private final Settings settings;
    private final Publisher publisher;
    private final Clock clock;

    private final LinkedBlockingQueue<Runnable> inbox = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final ExecutorService workers;
    private final ScheduledExecutorService timer;
    /** Syncs the store to disk; never interrupted (an interrupt in the middle of file I/O closes the store's file). */
    private final ScheduledExecutorService syncer;
    private final ExecutorService events;
    private volatile boolean closed;

    // engine thread only, except jobs (a concurrent map written by the engine thread, read by anyone)
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final TreeSet<Job> queued = new TreeSet<>(ORDER);
    private final Map<String, Attempt> attempts = new HashMap<>();
    private final Map<String, Integer> inFlight = new HashMap<>();
    private final Map<String, List<CompletableFuture<Job>>> waiters = new HashMap<>();
    private final Map<String, Down> down = new HashMap<>();
    /**
     * Prompts taken back from servers that could not be reached: removed from them (deleted, interrupted) when they
     * answer again, and until they have left, nothing is sent to that server (a job sent there again under the same
     * prompt id would be deleted with the old one, or take the old one's events for its own). Persisted.
     */
    private final Map<String, Set<String>> removeWhenBack = new HashMap<>();
    private final Set<String> removing = new HashSet<>();
    private final Set<String> pausedServers = new HashSet<>();
    private final List<Runnable> afterCommit = new ArrayList<>();
    /** Event deliveries and answers to waiters, run on the event thread in order after the commit. */
    private final List<Runnable> pending = new ArrayList<>();
    private boolean paused;
    private long nextSequence;

    // written by other threads
    private final Map<String, java.util.concurrent.Executor> lanes = new ConcurrentHashMap<>();
    private final Set<String> fetchingSchemas = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> lastActivity = new ConcurrentHashMap<>();
    /**
     * Prompts running or waiting on each server, this client's and others', by its last status message while its socket
     * is up. Written by the monitor's listener thread, read by the engine's.
     */
    private final Map<String, Integer> reportedQueues = new ConcurrentHashMap<>();
    /** Whether a dispatch round for changed server queues is posted and has not run yet (one is enough). */
    private final AtomicBoolean queuesChanged = new AtomicBoolean();
    /** Other clients' prompts on each server as the last dispatch round saw them, for the diagnostics. */
    private volatile Map<String, Integer> othersQueued = Map.of();
    private volatile List<String> leftUnfinished = List.of();
    private volatile String commitProblem;
    private volatile Instant lastCommit = Instant.EPOCH;
    /** The store's version when it was last synced to disk (timer thread only). */
    private long syncedVersion = -1;

    /** An engine on an open store; {@code downloadedOutputs} may be null (every output is fetched from its server). */
    public QueueEngine(JobStore store, ComfyClients clients, ServerRegistry registry, ServerHealthService health,
            ExecutionMonitor monitor, NodeSchemas schemas, Cache<String, HistoryEntry> finishedHistory,
            BlobCache downloadedOutputs, Settings settings, DispatchPolicies policies, Publisher publisher,
            Clock clock) {
        this.schemas = schemas;
        this.policies = policies;
        this.finishedHistory = finishedHistory;
        this.downloadedOutputs = new DownloadedOutputs(downloadedOutputs);
        this.store = store;
        this.clients = clients;
        this.registry = registry;
        this.health = health;
        this.monitor = monitor;
        this.settings = settings;
        this.publisher = publisher;
        this.clock = clock;
        this.workers = Executors.newFixedThreadPool(Math.max(4, Math.min(32, settings.perServerLimit() * 8)),
                named("comfy-queue-io"));
        this.timer = Executors.newSingleThreadScheduledExecutor(named("comfy-queue-timer"));
        this.syncer = Executors.newSingleThreadScheduledExecutor(named("comfy-queue-sync"));
        this.events = Executors.newSingleThreadExecutor(named("comfy-queue-events"));
        recover(); // before anyone can read the jobs; its events and reconciliations go out with the first round
        this.thread = named("comfy-queue").newThread(this::loop);
        thread.start();
        long tick = settings.tick().toMillis();
        timer.scheduleWithFixedDelay(() -> post(this::checkTimes), tick, tick, TimeUnit.MILLISECONDS);
        syncer.scheduleWithFixedDelay(this::syncStore, JobStore.SYNC_INTERVAL.toMillis(), JobStore.SYNC_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private static ThreadFactory named(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    // ---- the engine thread

    private void loop() {
        inbox.add(() -> {
        }); // a first round that commits and sends what recovery prepared
        boolean changesWait = false;
        long waitingSince = 0; // System.nanoTime() when the oldest uncommitted change was made
        while (!closed) {
            Runnable task;
            try {
                task = changesWait ? inbox.poll(WAITING_CHANGES.toNanos() - (System.nanoTime() - waitingSince),
                        TimeUnit.NANOSECONDS) : inbox.take();
            } catch (InterruptedException e) {
                return;
            }
            // a steady trickle of rounds (timer ticks) must not keep changes that may wait from ever being committed
            boolean commitAll = changesWait && System.nanoTime() - waitingSince >= WAITING_CHANGES.toNanos();
            int n = 0;
            while (task != null) {
                runSafely(task);
                task = ++n < 4096 ? inbox.poll() : null;
            }
            if (!closed) {
                runSafely(this::dispatch);
            }
            try {
                if (commitAll) {
                    store.commit();
                    changesWait = false;
                } else {
                    boolean waited = changesWait;
                    changesWait = store.commitUrgent();
                    if (changesWait && !waited) {
                        waitingSince = System.nanoTime();
                    }
                }
                commitProblem = null;
                lastCommit = clock.instant();
            } catch (RuntimeException e) {
                if (commitProblem == null) {
                    LOG.error("the job store could not commit; changes stay in memory and are retried", e);
                }
                commitProblem = String.valueOf(e.getMessage());
            }
            if (!pending.isEmpty()) {
                List<Runnable> batch = new ArrayList<>(pending);
                pending.clear();
                events.execute(() -> batch.forEach(this::runSafely));
            }
            if (!afterCommit.isEmpty()) {
                List<Runnable> actions = new ArrayList<>(afterCommit);
                afterCommit.clear();
                actions.forEach(this::runSafely);
            }
        }
    }

    /** On its own thread: the disk's flush does not hold up the engine. */
    private void syncStore() {
        long version = store.version();
        if (version != syncedVersion) {
            try {
                store.sync();
                syncedVersion = version;
            } catch (RuntimeException e) {
                LOG.warn("the job store could not be synced to disk: {}", e.toString());
            }
        }
    }

    private void runSafely(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.error("queue task failed", e);
        }
    }

    private void publishSafely(JobEvent event) {
        try {
            publisher.published(event);
        } catch (RuntimeException e) {
            LOG.error("publishing {} failed", event, e);
        }
    }

    private void post(Runnable task) {
        if (!closed) {
            inbox.add(task);
        }
    }

    /** Runs {@code action} on the engine thread and answers once its changes are committed. */
    private <T> T call(Supplier<T> action) {
        if (closed) {
            throw new IllegalStateException("the queue is closed");
        }
        CompletableFuture<T> answer = new CompletableFuture<>();
        inbox.add(() -> {
            try {
                T result = action.get();
                afterCommit.add(() -> answer.complete(result));
            } catch (RuntimeException e) {
                answer.completeExceptionally(e);
            }
        });
        try {
            return answer.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the queue", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private void put(Job next) {
        Job previous = jobs.put(next.id(), next);
        if (previous != null) {
            queued.remove(previous);
        }
        if (next.state() == JobState.QUEUED) {
            queued.add(next);
        }
        // that a job started running can wait for the next commit: after a crash, a dispatched job is reconciled
        // with its server just as a running one is (this saves a third of the commits of a stream of small jobs)
        store.put(next, previous != null && previous.state() == JobState.DISPATCHED && next.state() == JobState.RUNNING);
        // a change of state, of the error shown with the job (a download being tried again), or of its priority
        if (previous == null || previous.state() != next.state() || !Objects.equals(previous.error(), next.error())
                || previous.priority() != next.priority()) {
            JobEvent event = new JobEvent(next, previous == null ? null : previous.state());
            pending.add(() -> publishSafely(event));
        }
        if (next.state().terminal()) {
            List<CompletableFuture<Job>> done = waiters.remove(next.id());
            if (done != null) {
                pending.add(() -> done.forEach(f -> f.complete(next)));
            }
            lastActivity.remove(next.id());
        }
    }

    private Job with(Job job, JobState state, String server, int attempts, JobError error, List<Path> outputs,
            Priority priority) {
        return new Job(job.id(), job.sequence(), job.request(), priority, state, server, attempts, job.created(),
                clock.instant(), error, outputs);
    }

    private Job with(Job job, JobState state) {
        return with(job, state, job.serverId(), job.attempts(), job.error(), job.outputs(), job.priority());
    }

    private Job with(Job job, JobState state, JobError error) {
        return with(job, state, job.serverId(), job.attempts(), error, job.outputs(), job.priority());
    }

    // ---- recovery

    private void recover() {
        paused = Boolean.parseBoolean(store.setting(PAUSED));
        String servers = store.setting(PAUSED_SERVERS);
        if (servers != null && !servers.isEmpty()) {
            pausedServers.addAll(List.of(servers.split("\n")));
        }
        for (Map.Entry<String, String> e : store.settings(REMOVE_WHEN_BACK).entrySet()) {
            String server = e.getKey().substring(REMOVE_WHEN_BACK.length());
            removeWhenBack.put(server, new java.util.TreeSet<>(List.of(e.getValue().split("\n"))));
            removeTakenBack(server);
        }
        List<Job> loaded = store.load();
        loaded.sort(Comparator.comparingLong(Job::sequence));
        leftUnfinished = loaded.stream().filter(j -> !j.state().terminal()).map(Job::id).toList();
        int resumed = 0;
        for (Job job : loaded) {
            nextSequence = Math.max(nextSequence, job.sequence() + 1);
            jobs.put(job.id(), job);
            switch (job.state()) {
                case QUEUED, PAUSED, RETRY_WAIT -> put(with(job, paused ? JobState.PAUSED : JobState.QUEUED));
                case DISPATCHED, RUNNING -> {
                    Attempt attempt = new Attempt(job.serverId(), job.attempts(), clock.instant());
                    attempts.put(job.id(), attempt);
                    inFlight.merge(job.serverId(), 1, Integer::sum);
                    // a process that does not dispatch leaves them as stored: the run that resumes them fetches
                    // their outputs into its own output folder
                    if (settings.dispatch()) {
                        resumed++;
                        afterCommit.add(() -> workers.execute(() -> reconcile(job, attempt.number, true)));
                    }
                }
                default -> {
                    // terminal: kept for listing
                }
            }
        }
        if (!loaded.isEmpty()) {
            LOG.info("recovered {} jobs from {} ({} were sent before the restart and are reconciled)", loaded.size(),
                    store.file(), resumed);
        }
    }

    // ---- dispatching

    private void dispatch() {
        noteOthersQueued();
        if (!settings.dispatch() || paused || queued.isEmpty()) {
            return;
        }
        Map<String, Integer> free = new LinkedHashMap<>();
        List<String> full = new ArrayList<>();
        for (ServerDescriptor server : registry.servers()) {
            String id = server.id();
            // without its socket a server's progress and start would go unheard: wait for the monitor
            if (pausedServers.contains(id) || removeWhenBack.containsKey(id) || health.health(id).state() == HealthState.DOWN
                    || monitor.connectionState(id) != ConnectionState.CONNECTED) {
                continue;
            }
            int slots = settings.perServerLimit() - inFlight.getOrDefault(id, 0);
            if (slots > 0) {
                free.put(id, slots);
            } else {
                full.add(id);
            }
        }
        List<Map.Entry<Job, String>> sends = new ArrayList<>();
        Map<String, Integer> picked = new HashMap<>();
        for (Iterator<Job> it = queued.iterator(); it.hasNext() && !free.isEmpty();) {
            Job job = it.next();
            String server = pick(job, free, full, picked);
            if (server != null) {
                it.remove();
                picked.merge(server, 1, Integer::sum);
                if (free.merge(server, -1, Integer::sum) == 0) {
                    free.remove(server);
                    full.add(server);
                }
                sends.add(Map.entry(job, server));
            }
        }
        sends.forEach(e -> send(e.getKey(), e.getValue()));
    }

    /** What the diagnostics show of other clients' prompts: a server's count less this client's own prompts on it. */
    private void noteOthersQueued() {
        Map<String, Integer> others = new HashMap<>();
        reportedQueues.forEach((server, count) -> {
            int n = count - inFlight.getOrDefault(server, 0);
            if (n > 0) {
                others.put(server, n);
            }
        });
        if (!others.equals(othersQueued)) {
            othersQueued = Map.copyOf(others);
        }
    }

    /** This client's prompts on {@code server}, those picked for it in this round included. */
    private int ownOn(String server, Map<String, Integer> picked) {
        return inFlight.getOrDefault(server, 0) + picked.getOrDefault(server, 0);
    }

    /** The prompts a job sent to {@code server} now would wait for: its last status's count, at least our own. */
    private int queuedOn(String server, Map<String, Integer> picked) {
        return Math.max(inFlight.getOrDefault(server, 0), reportedQueues.getOrDefault(server, 0))
                + picked.getOrDefault(server, 0);
    }

    /**
     * The server for {@code job} among those with a free slot, by the dispatch policy. A server with at least as many
     * prompts queued as one the job may go to that is full of this client's own prompts is not offered: the job waits
     * for a slot there rather than queue behind other clients' prompts (with no such server it goes, so that a server
     * shared with a busy client still serves this one).
     */
    private String pick(Job job, Map<String, Integer> free, List<String> full, Map<String, Integer> picked) {
        Set<String> needed = job.request().policy().kind() == ServerPolicy.Kind.CAPABLE ? nodeClasses(job) : Set.of();
        int shortestFull = Integer.MAX_VALUE;
        for (String server : full) {
            if (allowed(job, server, needed)) {
                shortestFull = Math.min(shortestFull, queuedOn(server, picked));
            }
        }
        List<DispatchCandidate> candidates = new ArrayList<>(free.size());
        for (Map.Entry<String, Integer> e : free.entrySet()) {
            String server = e.getKey();
            int queuedThere = queuedOn(server, picked);
            // (a tie holds the job too: a count may still include a prompt of ours that has just ended)
            if (queuedThere < shortestFull && allowed(job, server, needed)) {
                candidates.add(new DispatchCandidate(server, e.getValue(), ownOn(server, picked), queuedThere,
                        health.health(server)));
            }
        }
        return candidates.isEmpty() ? null : policies.choose(job, List.copyOf(candidates)).orElse(null);
    }

    private static Set<String> nodeClasses(Job job) {
        Set<String> classes = new HashSet<>();
        for (var node : job.request().prompt().nodes().values()) {
            classes.add(node.classType());
        }
        return classes;
    }

    /** Whether the job's server policy lets it run on {@code server}; {@code needed}: its node classes if CAPABLE. */
    private boolean allowed(Job job, String server, Set<String> needed) {
        return switch (job.request().policy().kind()) {
            case NAMED -> job.request().policy().servers().contains(server);
            case CAPABLE -> {
                Optional<NodeSchema> schema = schemas.cached(server);
                if (schema.isEmpty()) {
                    fetchSchema(server);
                    yield false;
                }
                yield needed.stream().allMatch(c -> schema.get().nodeClass(c).isPresent());
            }
            default -> true;
        };
    }

    private void fetchSchema(String server) {
        if (fetchingSchemas.add(server)) {
            workers.execute(() -> {
                try {
                    schemas.schema(server);
                } catch (ComfyException | IllegalArgumentException e) {
                    LOG.debug("node classes of {} unknown for now: {}", server, e.getMessage());
                } finally {
                    fetchingSchemas.remove(server);
                    post(() -> {
                    }); // dispatch again
                }
            });
        }
    }

    private void send(Job job, String server) {
        int number = job.attempts() + 1;
        Job sent = with(job, JobState.DISPATCHED, server, number, job.error(), List.of(), job.priority());
        put(sent);
        attempts.put(job.id(), new Attempt(server, number, clock.instant()));
        inFlight.merge(server, 1, Integer::sum);
        // one lane per server: prompts reach a server in the order they were dispatched (its own queue is FIFO)
        afterCommit.add(() -> lane(server).execute(() -> submit(sent, number)));
    }

    private java.util.concurrent.Executor lane(String server) {
        return lanes.computeIfAbsent(server, s -> new SerialLane(workers));
    }

    /** Runs its tasks one after the other, in order, on the shared workers. */
    private static final class SerialLane implements java.util.concurrent.Executor {
        private final java.util.concurrent.Executor base;
        private final java.util.ArrayDeque<Runnable> tasks = new java.util.ArrayDeque<>();
        private boolean running;

        SerialLane(java.util.concurrent.Executor base) {
            this.base = base;
        }

        @Override
        public synchronized void execute(Runnable task) {
            tasks.add(task);
            if (!running) {
                running = true;
                base.execute(this::drain);
            }
        }

        private void drain() {
            while (true) {
                Runnable next;
                synchronized (this) {
                    next = tasks.poll();
                    if (next == null) {
                        running = false;
                        return;
                    }
                }
                try {
                    next.run();
                } catch (RuntimeException e) {
                    LOG.error("queue lane task failed", e);
                }
            }
        }
    }

    // ---- worker threads: talking to servers

    /** The server's client; when the server was removed meanwhile, the attempt fails (and is retried elsewhere). */
    private Optional<ComfyClient> clientOrFail(String id, int number, String server) {
        Optional<ComfyClient> client = clients.client(server);
        if (client.isEmpty()) {
            post(() -> attemptFailed(id, number, new JobError(JobError.Kind.CONNECTION, "server " + server
                    + " is no longer registered")));
        }
        return client;
    }

    private void submit(Job job, int number) {
        String id = job.id();
        String server = job.serverId();
        Optional<ComfyClient> client = clientOrFail(id, number, server);
        if (client.isEmpty()) {
            return;
        }
        if (number > 1) {
            monitor.untrack(server, id); // forget how an earlier attempt ended (LOST), or it would end this one too
        }
        try {
            Instant sent = Instant.now();
            client.get().submit(PromptRequest.of(job.request().prompt()).withPromptId(id)
                    .withClientId(monitor.clientId(server)).withExtraData(job.request().extraData()));
            // after the submit, as the monitor asks: it keeps what it heard of the prompt meanwhile
            follow(job, number, sent);
        } catch (PromptRejectedException e) {
            post(() -> rejected(id, number, e));
        } catch (ComfyException e) {
            if (notReceived(e)) {
                post(() -> attemptFailed(id, number, new JobError(JobError.Kind.CONNECTION, e.getMessage())));
            } else {
                // the request may have arrived: ask the server before sending it again
                reconcile(job, number, true);
            }
        }
    }

    /**
     * Has the monitor tell us the prompt's end.
     *
     * @param sent when this client sent it, or {@code null} when not known (an earlier run sent it)
     */
    private void follow(Job job, int number, Instant sent) {
        String server = job.serverId();
        PromptExecution tracked = sent == null ? monitor.track(server, job.id(), job.request().prompt().ids())
                : monitor.track(server, job.id(), job.request().prompt().ids(), sent);
        // the monitor may have heard the prompt start when this engine did not listen yet (the queue restarted while
        // the prompt ran): its start is not announced again
        if (tracked.state() == PromptState.RUNNING) {
            post(() -> started(job.id()));
        }
        monitor.completion(server, job.id()).whenComplete((execution, failure) -> {
            if (execution != null) {
                post(() -> finished(job.id(), number, Outcome.of(execution)));
            }
        });
    }

    /** Whether a failed submit certainly did not queue the prompt. */
    private static boolean notReceived(ComfyException e) {
        return switch (e.kind()) {
            case CONNECTION_REFUSED, UNAUTHORIZED -> true;
            case HTTP_STATUS -> e.status().orElse(0) != 200;
            default -> false;
        };
    }

    /**
     * Finds out what a server knows of a job: in its queue (wait for it), in its history (it ended), or neither (it
     * provably does not have it: queue is asked first, and a prompt leaves the queue only into the history).
     *
     * @param recovering whether the job was sent by an earlier run of this client (then it is followed here first)
     */
    private void reconcile(Job job, int number, boolean recovering) {
        String id = job.id();
        String server = job.serverId();
        Optional<ComfyClient> client = clientOrFail(id, number, server);
        if (client.isEmpty()) {
            return;
        }
        if (recovering) {
            follow(job, number, null);
        }
        try {
            if (stillOnServer(client.get(), server, id)) {
                return; // the monitor reports its end
            }
            Optional<HistoryEntry> entry = finishedHistory(client.get(), server, id);
            if (entry.isPresent()) {
                monitor.untrack(server, id);
                post(() -> finished(id, number, Outcome.of(entry.get(), server)));
                return;
            }
            Optional<PromptExecution> seen = monitor.execution(server, id).filter(PromptExecution::terminal);
            if (seen.isPresent()) {
                return; // its end is on its way through the monitor
            }
            monitor.untrack(server, id);
            post(() -> attemptFailed(id, number, new JobError(JobError.Kind.LOST, "server " + server
                    + " has neither queued nor run it")));
        } catch (ComfyException e) {
            LOG.debug("cannot reconcile job {} with {} yet: {}", id, server, e.getMessage());
            timer.schedule(() -> post(() -> {
                Attempt a = attempts.get(id);
                if (a != null && a.number == number && !a.downloading) {
                    workers.execute(() -> reconcile(job, number, false));
                }
            }), settings.reconcileRetry().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Whether the server still has the prompt queued or running. A server with the jobs API answers for the one
     * prompt; an older one lists its whole queue.
     */
    private boolean stillOnServer(ComfyClient client, String server, String id) throws ComfyException {
        boolean jobsApi = health.health(server).capabilities().map(ServerCapabilities::jobsApi).orElse(false);
        if (jobsApi) {
            try {
                Optional<comfy.workbench.connection.api.Job> job = client.job(id);
                return job.isPresent() && (job.get().status() == JobStatus.PENDING
                        || job.get().status() == JobStatus.IN_PROGRESS);
            } catch (ComfyException e) {
                if (e.kind() != ComfyException.Kind.UNSUPPORTED) {
                    throw e;
                }
                // the server was downgraded since its last probe: ask its queue
            }
        }
        return client.queue().contains(id);
    }

    /** The server's history entry of a prompt; a present entry is final, so it is kept for later reconciliations. */
    private Optional<HistoryEntry> finishedHistory(ComfyClient client, String server, String id) throws ComfyException {
        String key = server + "/" + id;
        Optional<HistoryEntry> cached = finishedHistory.getIfPresent(key);
        if (cached.isPresent()) {
            return cached;
        }
        Optional<HistoryEntry> entry = client.history(id);
        entry.ifPresent(e -> finishedHistory.put(key, e));
        return entry;
    }

    private void download(Job job, int number, List<FileRef> files) {
        Path root = job.request().outputFolder() != null ? job.request().outputFolder() : settings.outputRoot();
        Path folder = root.resolve(group(job)).resolve(job.id());
        ComfyClient client = null;
        try {
            client = clients.client(job.serverId()).orElseThrow(() -> new ComfyException(
                    ComfyException.Kind.CONNECTION_FAILED, job.serverId(), "GET /view", "the server is no longer registered",
                    null));
            List<Path> saved = OutputFiles.download(client, job.serverId(), job.id() + "#" + number, files, folder,
                    downloadedOutputs);
            post(() -> downloaded(job.id(), number, saved));
        } catch (ComfyException e) {
            Exception failure = e.status().orElse(0) == 404 ? whyMissing(client, job.id(), e) : e;
            post(() -> downloadFailed(job.id(), number, files, folder, failure));
        } catch (IOException | RuntimeException e) {
            post(() -> downloadFailed(job.id(), number, files, folder, e));
        }
    }

    /**
     * Why a server answered 404 for an output: a file gone from a run the server still has will not come back by
     * running it again ({@code notFound}); one gone with the whole run (the server restarted) will ({@link OutputsLost}).
     */
    private static Exception whyMissing(ComfyClient client, String id, ComfyException notFound) {
        try {
            return client.history(id).isPresent() ? notFound : new OutputsLost(notFound);
        } catch (ComfyException asking) {
            return asking; // transient, most likely: the download is tried again
        }
    }

    private static String group(Job job) {
        return job.batchId() != null ? OutputFiles.safeName(job.batchId())
                : job.created().atZone(ZoneOffset.UTC).toLocalDate().toString();
    }

    // ---- engine thread: results

    private Attempt current(String id, int number) {
        Attempt a = attempts.get(id);
        Job job = jobs.get(id);
        return a != null && a.number == number && job != null && !job.state().terminal() ? a : null;
    }

    private void endAttempt(String id) {
        Attempt a = attempts.remove(id);
        if (a != null && a.holdsSlot) {
            inFlight.merge(a.server, -1, Integer::sum);
        }
    }

    private void started(String id) {
        Job job = jobs.get(id);
        Attempt a = attempts.get(id);
        if (job != null && a != null && job.state() == JobState.DISPATCHED) {
            a.startedAt = clock.instant();
            put(with(job, JobState.RUNNING));
        }
    }

    private void finished(String id, int number, Outcome outcome) {
        Attempt a = current(id, number);
        if (a == null || a.downloading) {
            return;
        }
        Job job = jobs.get(id);
        if (outcome.state() == PromptState.SUCCEEDED) {
            a.downloading = true;
            a.holdsSlot = false;
            inFlight.merge(a.server, -1, Integer::sum);
            Job running = job.state() == JobState.RUNNING ? job : with(job, JobState.RUNNING);
            if (running != job) {
                put(running);
            }
            afterCommit.add(() -> workers.execute(() -> download(running, number, outcome.files())));
        } else {
            attemptFailed(id, number, outcome.error());
        }
    }

    private void rejected(String id, int number, PromptRejectedException e) {
        if (current(id, number) == null) {
            return;
        }
        endAttempt(id);
        com.google.gson.JsonObject details = new com.google.gson.JsonObject();
        details.add("error", e.failure().error().toJson());
        com.google.gson.JsonObject nodes = new com.google.gson.JsonObject();
        e.failure().nodeErrors().forEach((node, error) -> nodes.add(node, error.toJson()));
        details.add("node_errors", nodes);
        String node = e.failure().nodeErrors().keySet().stream().findFirst().orElse(null);
        put(with(jobs.get(id), JobState.FAILED, new JobError(JobError.Kind.VALIDATION, e.failure().describe(), node,
                node == null ? null : e.failure().nodeErrors().get(node).classType(), details)));
    }

    private void attemptFailed(String id, int number, JobError error) {
        if (current(id, number) == null) {
            return;
        }
        endAttempt(id);
        Job job = jobs.get(id);
        boolean retry = error.transientFault()
                || (error.kind() == JobError.Kind.EXECUTION && job.request().retry().retryExecutionErrors());
        if (retry && job.attempts() < job.request().retry().maxAttempts()) {
            Duration wait = job.request().retry().backoff(job.attempts());
            put(with(job, JobState.RETRY_WAIT, error));
            timer.schedule(() -> post(() -> retryDue(id, number)), wait.toMillis(), TimeUnit.MILLISECONDS);
        } else {
            put(with(job, JobState.FAILED, retry ? new JobError(error.kind(), error.message() + " (gave up after "
                    + job.attempts() + " attempts)", error.nodeId(), error.nodeType(), error.details()) : error));
        }
    }

    private void retryDue(String id, int number) {
        Job job = jobs.get(id);
        if (job != null && job.state() == JobState.RETRY_WAIT && job.attempts() == number) {
            put(with(job, paused ? JobState.PAUSED : JobState.QUEUED));
        }
    }

    private void downloaded(String id, int number, List<Path> files) {
        Attempt a = current(id, number);
        if (a == null || !a.downloading) {
            return;
        }
        endAttempt(id);
        Job before = jobs.get(id);
        Job done = with(before, JobState.SUCCEEDED, before.serverId(), before.attempts(), null, files, before.priority());
        put(done);
        Job job = done;
        pending.add(() -> publisher.outputsReady(job, files));
    }

    private void downloadFailed(String id, int number, List<FileRef> files, Path folder, Exception e) {
        Attempt a = current(id, number);
        if (a == null || !a.downloading) {
            return;
        }
        if (e instanceof ComfyException c && c.isTransient()) {
            // the prompt has run: fetching its outputs again beats running it again, for as long as a lost server
            // is waited for; then the job is run again (on a server that answers) rather than failed. Each download
            // empties the folder first, and takes what an earlier one fetched from the client's copies.
            Instant now = clock.instant();
            if (a.downloadFailingSince == null) {
                a.downloadFailingSince = now;
                // shown with the job (views, command line) while it waits; its success clears it
                put(with(jobs.get(id), JobState.RUNNING, new JobError(JobError.Kind.CONNECTION, "the outputs could "
                        + "not be downloaded, trying again for up to " + settings.lostServerGrace().toSeconds() + " s: "
                        + c.getMessage())));
            }
            if (now.isBefore(a.downloadFailingSince.plus(settings.lostServerGrace()))) {
                LOG.info("the outputs of job {} could not be downloaded, trying again in {} ms: {}", id,
                        settings.reconcileRetry().toMillis(), c.getMessage());
                Job job = jobs.get(id);
                timer.schedule(() -> post(() -> {
                    if (current(id, number) == a) {
                        workers.execute(() -> download(job, number, files));
                    }
                }), settings.reconcileRetry().toMillis(), TimeUnit.MILLISECONDS);
                return;
            }
            attemptFailed(id, number, new JobError(JobError.Kind.CONNECTION, "the outputs could not be downloaded "
                    + "since " + a.downloadFailingSince + ": " + c.getMessage()));
            return;
        }
        if (e instanceof OutputsLost lost) {
            // the server no longer has the run (a restart empties its temp folder and history): it is run again
            attemptFailed(id, number, new JobError(JobError.Kind.LOST, "the server no longer has the outputs: "
                    + lost.getCause().getMessage()));
            return;
        }
        if (e instanceof ComfyException c && c.kind() != ComfyException.Kind.LOCAL_IO) {
            endAttempt(id);
            put(with(jobs.get(id), JobState.FAILED, new JobError(JobError.Kind.OUTPUT, (c.status().orElse(0) == 404
                    ? "the server lists an output it does not have: " : "the server refused the outputs: ")
                    + c.getMessage())));
            return;
        }
        endAttempt(id);
        put(with(jobs.get(id), JobState.FAILED, new JobError(JobError.Kind.OUTPUT, "the outputs could not be saved in "
                + folder + ": " + e.getMessage())));
    }

    // ---- engine thread: time

    private void checkTimes() {
        Instant now = clock.instant();
        long nowNanos = System.nanoTime();
        for (Map.Entry<String, Attempt> e : new ArrayList<>(attempts.entrySet())) {
            Attempt a = e.getValue();
            if (a.downloading) {
                continue;
            }
            Job job = jobs.get(e.getKey());
            if (job.state() == JobState.DISPATCHED && monitor.execution(a.server, job.id())
                    .filter(x -> x.state() == PromptState.RUNNING).isPresent()) {
                // a start the monitor tracked but this engine did not hear (a clean-clone run once left a held job
                // DISPATCHED while the monitor saw it RUNNING): taken from the tracker at the next tick
                started(job.id());
                job = jobs.get(e.getKey());
            }
            var t = job.request().timeouts();
            String why = null;
            if (!t.toStart().isZero() && a.startedAt == null && now.isAfter(a.sentAt.plus(t.toStart()))) {
                why = "it did not start within " + t.toStart();
            } else if (!t.total().isZero() && now.isAfter(a.sentAt.plus(t.total()))) {
                why = "it did not end within " + t.total();
            } else if (!t.idlePerNode().isZero() && a.startedAt != null) {
                long last = lastActivity.getOrDefault(job.id(), 0L);
                Instant lastAt = last == 0 ? a.startedAt : now.minusNanos(nowNanos - last);
                if (now.isAfter(lastAt.plus(t.idlePerNode()))) {
                    why = "no progress for " + t.idlePerNode();
                }
            }
            Down d = down.get(a.server);
            if (why == null && d != null && now.isAfter(d.since().plus(d.refused() ? settings.lostServerGrace()
                    : settings.unansweringServerGrace()))) {
                String since = d.refused() ? "server " + a.server + " has been down since " + d.since()
                        : "server " + a.server + " has not answered since " + d.since() + " (should it still run the "
                                + "job behind a partition, the job runs twice; it is removed there when the server "
                                + "answers)";
                if (job.state() == JobState.DISPATCHED) {
                    takeBack(job, a);
                    endAttempt(job.id());
                    put(with(job, paused ? JobState.PAUSED : JobState.QUEUED,
                            new JobError(JobError.Kind.CONNECTION, since + "; it had not started")));
                    continue;
                }
                why = since;
            }
            if (why != null) {
                String reason = why;
                takeBack(job, a);
                attemptFailed(job.id(), a.number, new JobError(JobError.Kind.TIMEOUT, reason));
            }
        }
    }

    /**
     * Removes a sent job from its server: deleted from the queue if pending, interrupted by its prompt id if running.
     * The server gets nothing new until the prompt has left it (see {@link #removeTakenBack}), so that the job sent
     * there again under the same prompt id is neither deleted with it nor takes its events for its own.
     */
    private void takeBack(Job job, Attempt a) {
        String server = a.server;
        afterCommit.add(() -> workers.execute(() -> monitor.untrack(server, job.id())));
        rememberToRemove(server, job.id());
        removeTakenBack(server);
    }

    private void rememberToRemove(String server, String id) {
        Set<String> ids = removeWhenBack.computeIfAbsent(server, k -> new java.util.TreeSet<>());
        if (ids.add(id)) {
            store.setting(REMOVE_WHEN_BACK + server, String.join("\n", ids));
        }
    }

    /**
     * Removes the prompts taken back from a server while it was unreachable: deletes them from its queue, interrupts
     * them, and checks that they have left it; until then the server gets nothing new, and the removal is tried again.
     */
    private void removeTakenBack(String server) {
        Set<String> ids = removeWhenBack.get(server);
        if (ids == null || ids.isEmpty() || !removing.add(server)) {
            return;
        }
        List<String> stale = List.copyOf(ids);
        afterCommit.add(() -> workers.execute(() -> {
            boolean gone;
            Optional<ComfyClient> client = clients.client(server);
            if (client.isEmpty()) {
                gone = true; // no longer registered: nothing will be sent there
            } else {
                try {
                    ComfyClient c = client.get();
                    c.deleteFromQueue(stale);
                    QueueSnapshot queue = c.queue();
                    for (String id : stale) {
                        if (queue.contains(id)) {
                            c.interrupt(id); // by its id: never someone else's prompt
                        }
                    }
                    QueueSnapshot after = c.queue();
                    gone = stale.stream().noneMatch(after::contains);
                } catch (ComfyException e) {
                    LOG.debug("could not remove taken-back jobs {} from {} yet: {}", stale, server, e.getMessage());
                    gone = false;
                }
            }
            boolean removed = gone;
            post(() -> {
                removing.remove(server);
                if (removed) {
                    Set<String> left = removeWhenBack.getOrDefault(server, new HashSet<>());
                    left.removeAll(stale);
                    if (left.isEmpty()) {
                        removeWhenBack.remove(server);
                        store.setting(REMOVE_WHEN_BACK + server, null);
                    } else {
                        store.setting(REMOVE_WHEN_BACK + server, String.join("\n", left));
                        removeTakenBack(server); // taken back while this removal was under way
                    }
                    LOG.debug("removed taken-back jobs {} from {}", stale, server);
                } else {
                    timer.schedule(() -> post(() -> removeTakenBack(server)), settings.reconcileRetry().toMillis(),
                            TimeUnit.MILLISECONDS);
                }
            });
        }));
    }

    /** Since when a server is DOWN, and whether its last probe found nothing listening. */
    private record Down(Instant since, boolean refused) {
    }

    // ---- from other services

    /** A monitor event: marks activity, and the start of a sent job. */
    void onMonitorEvent(MonitorEvent event) {

        if (event instanceof StatusEvent status) {
            // a change of a server's queue (other clients' prompts too) may change where jobs should go: one dispatch
            // round for however many changes arrive before it runs (two per prompt under a flood of jobs)
            Integer before = reportedQueues.put(status.serverId(), status.queueRemaining());
            if (before == null || before != status.queueRemaining()) {
                if (queuesChanged.compareAndSet(false, true)) {
                    post(() -> queuesChanged.set(false));
                }
            }
            return;
        }
        if (event instanceof ConnectionEvent connection) {
            if (connection.state() != ConnectionState.CONNECTED) {
                reportedQueues.remove(connection.serverId()); // unknown until it is back
            }
            wake(); // a server's socket came up (it may take jobs now) or went
            return;
        }
        String id = event.promptId();
        if (id == null || !jobs.containsKey(id)) {
            return;
        }
        lastActivity.put(id, System.nanoTime());
        if (event.type() == EventType.EXECUTION_START || event.type() == EventType.EXECUTING) {
            Job job = jobs.get(id);
            if (job != null && job.state() == JobState.DISPATCHED) {
                post(() -> started(id));
            }
        }
    }

    /** A server's health changed: jobs waiting in a server that went down move to others; cleanup when it is back. */
    void onHealth(ServerHealth previous, ServerHealth current) {
        post(() -> {
            String server = current.serverId();
            if (current.state() == HealthState.DOWN) {
                // refused: nothing listens, and the queue ComfyUI keeps in memory is gone with it; otherwise the
                // server may be working behind a partition or a frozen proxy (see unansweringServerGrace)
                boolean refused = current.failure().filter(k -> k == ComfyException.Kind.CONNECTION_REFUSED).isPresent();
                Down was = down.get(server);
                down.put(server, new Down(was == null ? clock.instant() : was.since(), refused));
                if (!refused) {
                    return;
                }
                for (Map.Entry<String, Attempt> e : new ArrayList<>(attempts.entrySet())) {
                    Attempt a = e.getValue();
                    Job job = jobs.get(e.getKey());
                    if (a.server.equals(server) && !a.downloading && job.state() == JobState.DISPATCHED) {
                        takeBack(job, a);
                        endAttempt(job.id());
                        put(with(job, paused ? JobState.PAUSED : JobState.QUEUED, new JobError(JobError.Kind.CONNECTION,
                                "server " + server + " went down before it started")));
                    }
                }
            } else if (current.state() == HealthState.UP || current.state() == HealthState.DEGRADED) {
                down.remove(server);
                removeTakenBack(server);
            }
        });
    }

    /** Wakes the dispatcher (a server was added, its health changed, …). */
    void wake() {
        post(() -> {
        });
    }

    // ---- the queue's operations

    /** What {@link #recover()} found unfinished; written before the engine's thread starts, read by any. */
    public List<String> leftUnfinished() {
        return leftUnfinished;
    }

    public Job submit(JobRequest request) {
        return submitAll(List.of(request)).get(0);
    }

    public List<Job> submitAll(List<JobRequest> requests) {
        return call(() -> {
            List<Job> created = new ArrayList<>(requests.size());
            Instant now = clock.instant();
            for (JobRequest r : requests) {
                Job job = new Job(UUID.randomUUID().toString(), nextSequence++, r, r.priority(),
                        paused ? JobState.PAUSED : JobState.QUEUED, null, 0, now, now, null, List.of());
                put(job);
                created.add(job);
            }
            return created;
        });
    }

    public QueueDiagnostics diagnostics() {
        Instant now = clock.instant();
        long nowNanos = System.nanoTime();
        int running = 0;
        String oldest = null;
        Instant oldestAt = null;
        for (Job job : jobs.values()) {
            if (job.state() != JobState.RUNNING) {
                continue;
            }
            running++;
            Long last = lastActivity.get(job.id());
            Instant at = last == null ? job.updated() : now.minusNanos(nowNanos - last);
            if (oldestAt == null || at.isBefore(oldestAt)) {
                oldest = job.id();
                oldestAt = at;
            }
        }
        return new QueueDiagnostics(store.file(), thread.isAlive() && !closed, Optional.ofNullable(commitProblem),
                lastCommit, running, Optional.ofNullable(oldest), Optional.ofNullable(oldestAt), policies.configured(),
                policies.problem(), othersQueued);
    }

    public Optional<Job> job(String id) {
        return Optional.ofNullable(jobs.get(id));
    }

    public List<Job> jobs(Collection<JobState> states) {
        Set<JobState> wanted = states.isEmpty() ? Set.of(JobState.values()) : Set.copyOf(states);
        return jobs.values().stream().filter(j -> wanted.contains(j.state()))
                .sorted(Comparator.comparingLong(Job::sequence)).toList();
    }

    public List<Job> batch(String batchId) {
        return jobs.values().stream().filter(j -> batchId.equals(j.batchId()))
                .sorted(Comparator.comparingLong(Job::sequence)).toList();
    }

    public CompletionStage<Job> completion(String id) {
        return call(() -> {
            Job job = jobs.get(id);
            if (job == null) {
                return CompletableFuture.<Job>failedFuture(new IllegalArgumentException("no job " + id));
            }
            CompletableFuture<Job> f = new CompletableFuture<>();
            if (job.state().terminal()) {
                // answered on the event thread, after the job's last event (it may still be on its way there)
                pending.add(() -> f.complete(job));
                return f;
            }
            waiters.computeIfAbsent(id, k -> new ArrayList<>()).add(f);
            return f;
        });
    }

    public boolean cancel(String id) {
        Job job = jobs.get(id);
        Set<String> finished = finishedOnServer(job == null ? List.of() : List.of(job));
        return call(() -> !finished.contains(id) && cancelNow(id));
    }

    /**
     * The sent jobs among {@code candidates} whose server has already run them to success: cancelling one would throw
     * away finished work (the next run fetches its outputs). The monitor's tracker answers for free; a process that
     * does not dispatch (comfy cancel after a crash) has heard nothing from the server, so it asks the server's history,
     * unless the server is known to be down. Runs on the caller's thread, never on the event thread.
     */
    private Set<String> finishedOnServer(List<Job> candidates) {
        Set<String> finished = new HashSet<>();
        Set<String> silent = new HashSet<>();
        for (Job job : candidates) {
            if ((job.state() != JobState.DISPATCHED && job.state() != JobState.RUNNING) || job.serverId() == null) {
                continue;
            }
            String server = job.serverId();
            if (monitor.execution(server, job.id()).filter(e -> e.state() == PromptState.SUCCEEDED).isPresent()) {
                finished.add(job.id());
                continue;
            }
            if (settings.dispatch() || silent.contains(server) || health.health(server).state() == HealthState.DOWN) {
                continue;
            }
            Optional<ComfyClient> client = clients.client(server);
            try {
                if (client.isPresent() && finishedHistory(client.get(), server, job.id()).filter(
                        entry -> Outcome.of(entry, server).state() == PromptState.SUCCEEDED).isPresent()) {
                    finished.add(job.id());
                }
            } catch (ComfyException e) {
                silent.add(server); // one wait per server, not one per job
                LOG.debug("cannot ask {} whether job {} has finished; cancelling it: {}", server, job.id(),
                        e.getMessage());
            }
        }
        return finished;
    }

    private boolean cancelNow(String id) {
        Job job = jobs.get(id);
        if (job == null || job.state().terminal()) {
            return false;
        }
        Attempt a = attempts.get(id);
        if (a != null) {
            takeBack(job, a);
            endAttempt(id);
        }
        // "trying again" no longer holds for a job cancelled while its outputs were being fetched again
        put(a != null && a.downloadFailingSince != null ? with(job, JobState.CANCELLED, null)
                : with(job, JobState.CANCELLED));
        return true;
    }

    public int forget(Collection<String> ids) {
        List<String> wanted = List.copyOf(ids);
        return call(() -> {
            int n = 0;
            for (String id : wanted) {
                Job job = jobs.get(id);
                if (job != null && job.state().terminal()) {
                    jobs.remove(id);
                    store.remove(id);
                    n++;
                }
            }
            return n;
        });
    }

    public int cancelBatch(String batchId) {
        Set<String> finished = finishedOnServer(jobs.values().stream().filter(j -> batchId.equals(j.batchId())).toList());
        return call(() -> {
            int n = 0;
            for (Job job : new ArrayList<>(jobs.values())) {
                if (batchId.equals(job.batchId()) && !finished.contains(job.id()) && cancelNow(job.id())) {
                    n++;
                }
            }
            return n;
        });
    }

    public int clear() {
        return call(() -> {
            int n = 0;
            for (Job job : new ArrayList<>(jobs.values())) {
                if (job.state().waiting() && cancelNow(job.id())) {
                    n++;
                }
            }
            return n;
        });
    }

    public boolean reprioritise(String id, Priority priority) {
        return call(() -> {
            Job job = jobs.get(id);
            if (job == null || !job.state().waiting()) {
                return false;
            }
            put(with(job, job.state(), job.serverId(), job.attempts(), job.error(), job.outputs(), priority));
            return true;
        });
    }

    public void pause() {
        call(() -> {
            paused = true;
            store.setting(PAUSED, "true");
            for (Job job : new ArrayList<>(queued)) {
                put(with(job, JobState.PAUSED));
            }
            return null;
        });
    }

    public void resume() {
        call(() -> {
            paused = false;
            store.setting(PAUSED, null);
            for (Job job : new ArrayList<>(jobs.values())) {
                if (job.state() == JobState.PAUSED) {
                    put(with(job, JobState.QUEUED));
                }
            }
            return null;
        });
    }

    public boolean paused() {
        return call(() -> paused);
    }

    public void pause(String serverId) {
        call(() -> {
            pausedServers.add(serverId);
            store.setting(PAUSED_SERVERS, String.join("\n", pausedServers));
            return null;
        });
    }

    public void resume(String serverId) {
        call(() -> {
            pausedServers.remove(serverId);
            store.setting(PAUSED_SERVERS, pausedServers.isEmpty() ? null : String.join("\n", pausedServers));
            return null;
        });
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        // the engine stops itself after the round that takes this task, once that round is committed: an interrupt
        // in the middle of a commit would close the store's file under it
        CompletableFuture<Void> drained = new CompletableFuture<>();
        inbox.add(() -> {
            closed = true;
            drained.complete(null);
        });
        try {
            drained.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("the queue did not drain in time", e);
        }
        closed = true;
        try {
            thread.join(5_000);
            if (thread.isAlive()) {
                LOG.warn("the queue's engine did not stop in time; interrupting it");
                thread.interrupt();
                thread.join(1_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timer.shutdownNow();
        workers.shutdownNow();
        downloadedOutputs.close();
        events.shutdown();
        syncer.shutdown();
        try {
            syncer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        store.close();
    }

}
