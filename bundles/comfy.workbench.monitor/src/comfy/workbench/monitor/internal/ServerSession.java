package comfy.workbench.monitor.internal;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import comfy.workbench.connection.api.ComfyClient;
import comfy.workbench.connection.api.ComfyException;
import comfy.workbench.connection.api.FeatureFlags;
import comfy.workbench.connection.api.HistoryEntry;
import comfy.workbench.connection.api.QueueItem;
import comfy.workbench.connection.api.QueueSnapshot;
import comfy.workbench.connection.api.ServerAuth;
import comfy.workbench.connection.api.ServerDescriptor;
import comfy.workbench.monitor.api.ConnectionEvent;
import comfy.workbench.monitor.api.ConnectionState;
import comfy.workbench.monitor.api.EventType;
import comfy.workbench.monitor.api.ExecutionFailure;
import comfy.workbench.monitor.api.FeatureFlagsEvent;
import comfy.workbench.monitor.api.MonitorEvent;
import comfy.workbench.monitor.api.PromptFinishedEvent;
import comfy.workbench.monitor.api.PromptState;
import comfy.workbench.monitor.api.StatusEvent;

/**
 * The monitor of one server: its socket (one {@link Attempt} per connection), reconnects with backoff, the idle
 * watchdog, the prompt tracker and reconciliation against the server's queue and history.
 */
final class ServerSession {

    private static final Logger LOG = LoggerFactory.getLogger(ServerSession.class);

    /** The handshake the real front end sends first; only the first client message counts. */
    static final String HANDSHAKE = "{\"type\":\"feature_flags\",\"data\":{\"supports_preview_metadata\":true}}";

    private final String serverId;
    private final String clientId;
    private final MonitorRuntime runtime;
    private final PromptTracker tracker;
    private final ServerStatistics statistics;
    private final FrameDecoder decoder;
    private volatile ServerDescriptor server;
    private volatile ComfyClient httpClient;
    private volatile FeatureFlags serverFlags;
    private volatile ConnectionState state = ConnectionState.CONNECTING;

    private final Object lock = new Object();
    private Attempt current;
    private int failures;
    /** Whether an upgrade was refused with 401 since the last open socket. */
    private boolean rejectedSinceOpen;
    private boolean stopped;
    private ScheduledFuture<?> retry;
    private ScheduledFuture<?> watchdog;

    private final AtomicBoolean reconciling = new AtomicBoolean();
    /** Prompts whose history entry the server answers with something unreadable, since when (nano clock). */
    private final Map<String, Long> historyUnreadableSince = new ConcurrentHashMap<>();
    private final AtomicBoolean reconcileAgain = new AtomicBoolean();
    /** When the current socket was greeted with the server's first status (0: not greeted). */
    private volatile long greetedAtNanos;
    /** The same on the wall clock, to compare with when prompts were sent (null: not greeted). */
    private volatile Instant greetedAtInstant;
    /** When the last reconciliation pass began. */
    private volatile long lastReconcileNanos;

    /**
     * How long after a greeting a newly tracked prompt is reconciled at once: it may have been accepted before the
     * socket was registered and have ended unseen.
     */
    static final Duration RECENT_GREETING = Duration.ofSeconds(10);

    ServerSession(ServerDescriptor server, String clientId, MonitorRuntime runtime, PromptTracker tracker) {
        this.serverId = server.id();
        this.server = server;
        this.clientId = clientId;
        this.runtime = runtime;
        this.tracker = tracker;
        this.statistics = new ServerStatistics(serverId, runtime.nanoClock());
        this.decoder = new FrameDecoder(serverId);
    }

    String clientId() {
        return clientId;
    }

    ConnectionState state() {
        return state;
    }

    PromptTracker tracker() {
        return tracker;
    }

    ServerStatistics statistics() {
        return statistics;
    }

    /** The server's answer to the handshake, once it came. */
    Optional<FeatureFlags> serverFlags() {
        return Optional.ofNullable(serverFlags);
    }

    /** The WebSocket URL: the base URL's scheme made ws/wss, the path prefix kept. */
    static URI socketUri(ServerDescriptor server, String clientId) {
        URI http = server.resolve("/ws?clientId=" + URLEncoder.encode(clientId, StandardCharsets.UTF_8));
        String scheme = "https".equalsIgnoreCase(http.getScheme()) ? "wss" : "ws";
        return URI.create(scheme + http.toString().substring(http.getScheme().length()));
    }

    /** Opens the first socket. */
    void start() {
        connect();
    }

    /** The server's address or auth changed: reconnect with the new one. */
    void update(ServerDescriptor changed) {
        server = changed;
        reconnect();
    }

    /** Drops the socket (if any) and connects again at once. */
    void reconnect() {
        Attempt old;
        synchronized (lock) {
            if (stopped) {
                return;
            }
            old = current;
            current = null;
            failures = 0;
            cancelTimers();
        }
        if (old != null) {
            old.close();
        }
        connect();
    }

    /** For good: no more sockets, no more retries. */
    void stop() {
        Attempt old;
        synchronized (lock) {
            if (stopped) {
                return;
            }
            stopped = true;
            old = current;
            current = null;
            cancelTimers();
        }
        if (old != null) {
            old.close();
        }
        changeState(ConnectionState.STOPPED, "monitor stopped or server removed", null);
    }

    /**
     * A prompt was tracked. If it may have run while no socket was registered for our client id, its end is looked
     * up rather than awaited: when there is no socket now, when it was sent before this socket's greeting, or, not
     * knowing when it was sent, when a pass is under way or the greeting came moments ago.
     */
    void tracked(Instant sent) {
        long greeted = greetedAtNanos;
        Instant greetedAt = greetedAtInstant;
        boolean unseen = state != ConnectionState.CONNECTED || greeted == 0 || greetedAt == null
                || (sent != null ? sent.isBefore(greetedAt)
                        : reconciling.get() || runtime.nanoClock().getAsLong() - greeted < RECENT_GREETING.toNanos());
        if (unseen) {
            reconcileSoon();
        }
    }

    /** Reconciles the unfinished prompts soon (on the blocking executor), once even if asked many times. */
    void reconcileSoon() {
        reconcileAgain.set(true);
        if (reconciling.compareAndSet(false, true)) {
            runtime.blocking().execute(this::reconcileLoop);
        }
    }

    private void connect() {
        Attempt attempt = new Attempt();
        synchronized (lock) {
            if (stopped) {
                return;
            }
            retry = null;
            current = attempt;
        }
        serverFlags = null;
        greetedAtNanos = 0;
        greetedAtInstant = null;
        changeState(ConnectionState.CONNECTING, null, null);
        MonitorSettings settings = runtime.settings().get();
        ServerDescriptor target = server;
        URI uri = socketUri(target, clientId);
        // a credential provider may block (a file, a vault): it is asked on the blocking executor, never on the
        // timer thread that runs this; stored auth needs no thread hop
        CompletableFuture<Map<String, String>> headers = target.auth() instanceof ServerAuth.Provided
                ? CompletableFuture.supplyAsync(() -> headersOf(target), runtime.blocking())
                : CompletableFuture.completedFuture(target.auth().headers());
        CompletableFuture<SocketSession> opening = headers.thenCompose(
                h -> runtime.transport().connect(uri, h, settings.connectTimeout(), attempt));
        opening.whenComplete((session, failure) -> {
            if (failure == null) {
                return;
            }
            if (upgradeStatus(failure) == 401 && firstRejection() && runtime.credentials().rejected(target)) {
                // as an HTTP request does: the provider drops its stale token and one attempt follows at once
                attempt.lost(describe(failure), true);
            } else {
                attempt.lost(describe(failure), false);
            }
        });
    }

    private Map<String, String> headersOf(ServerDescriptor target) {
        try {
            return runtime.credentials().headers(target, "GET /ws");
        } catch (ComfyException e) {
            throw new CompletionException(e);
        }
    }

    /** Whether this is the first 401 since the last open socket (only that one is retried at once). */
    private boolean firstRejection() {
        synchronized (lock) {
            boolean first = !rejectedSinceOpen;
            rejectedSinceOpen = true;
            return first;
        }
    }

    private static int upgradeStatus(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof WebSocketConnectException e) {
                return e.httpStatus();
            }
        }
        return 0;
    }

    private void disconnected(Attempt attempt, String why, boolean retryAtOnce) {
        Duration delay;
        synchronized (lock) {
            if (current != attempt || stopped) {
                return;
            }
            current = null;
            cancelTimers();
            delay = retryAtOnce ? Duration.ZERO : runtime.settings().get().backoff().delay(failures++, runtime.random());
            retry = runtime.scheduler().schedule(this::connect, delay.toNanos(), TimeUnit.NANOSECONDS);
        }
        statistics.error(why, Instant.now());
        LOG.debug("monitor of {}: {}; retrying in {} ms", serverId, why, delay.toMillis());
        changeState(ConnectionState.DISCONNECTED, why, delay);
        // a server whose HTTP answers while its socket does not (a proxy without WebSocket support, a restart in
        // progress) still finishes prompts: their ends come through the history at the pace of the retries
        reconcileSoon();
    }

    private void opened(Attempt attempt) {
        synchronized (lock) {
            if (current != attempt || stopped) {
                attempt.close();
                return;
            }
            failures = 0;
            rejectedSinceOpen = false;
            Duration ping = runtime.settings().get().pingInterval();
            watchdog = runtime.scheduler().scheduleWithFixedDelay(() -> watch(attempt), ping.toNanos(), ping.toNanos(),
                    TimeUnit.NANOSECONDS);
        }
        statistics.connected(Instant.now());
        LOG.info("monitor of {}: connected to {} as client {}", serverId, server.baseUrl(), clientId);
        changeState(ConnectionState.CONNECTED, null, null);
        // whatever happened while no socket was open is in the server's queue and history
        reconcileSoon();
    }

    private void cancelTimers() {
        if (retry != null) {
            retry.cancel(false);
            retry = null;
        }
        if (watchdog != null) {
            watchdog.cancel(false);
            watchdog = null;
        }
    }

    private void changeState(ConnectionState newState, String detail, Duration retryIn) {
        state = newState;
        statistics.state(newState);
        emit(new ConnectionEvent(serverId, Instant.now(), newState, clientId, detail, retryIn), runtime.nanoClock().getAsLong());
    }

    private void emit(MonitorEvent event, long receivedNanos) {
        statistics.own(event.type());
        runtime.dispatcher().dispatch(new Delivery(event, statistics, receivedNanos));
    }

    private void received(MonitorEvent event, long receivedNanos) {
        statistics.decoded(event.type());
        if (event instanceof FeatureFlagsEvent flags) {
            serverFlags = flags.flags();
        }
        PromptFinishedEvent finished = tracker.apply(event);
        runtime.dispatcher().dispatch(new Delivery(event, statistics, receivedNanos));
        if (finished != null) {
            emit(finished, receivedNanos);
        } else if ((event.type() == EventType.EXECUTION_SUCCESS || event.type() == EventType.EXECUTING)
                && tracker.takeIncompleteEnds()) {
            reconcileSoon();
        }
    }

    /** Pings, and when no frame came for the idle timeout asks the server over HTTP (it sends no heartbeat). */
    private void watch(Attempt attempt) {
        if (current != attempt) {
            return;
        }
        attempt.ping();
        MonitorSettings settings = runtime.settings().get();
        if (statistics.idleNanos() > settings.idleTimeout().toNanos()) {
            runtime.blocking().execute(() -> idleCheck(attempt));
        } else if (runtime.nanoClock().getAsLong() - lastReconcileNanos > settings.reconcileInterval().toNanos()
                && !tracker.unfinishedIds().isEmpty()) {
            // a busy socket is no proof that every prompt's events came: look the unfinished ones up now and then
            reconcileSoon();
        }
    }

    private void idleCheck(Attempt attempt) {
        try {
            ComfyClient client = client();
            if (tracker.unfinishedIds().isEmpty()) {
                client.queue();
            } else {
                reconcile(client);
            }
        } catch (ComfyException e) {
            if (!unanswered(e)) {
                // it answered, badly: the socket is not the trouble, and a new one would meet the same answer
                statistics.error("idle, and the server's answer cannot be used: " + e.getMessage(), Instant.now());
                LOG.warn("monitor of {}: no frame for a while, and the server's answer cannot be used: {}", serverId,
                        e.getMessage());
                return;
            }
            LOG.info("monitor of {}: no frame for a while and the server does not answer ({}); reconnecting", serverId,
                    e.getMessage());
            if (current == attempt) {
                attempt.close();
                attempt.lost("idle and the server does not answer: " + e.getMessage());
            }
        }
    }

    /**
     * The session's own HTTP client: its requests give up after the connect timeout, so a request stuck on a
     * half-open connection (a server that died mid-answer) delays reconciliation by seconds, not by the long
     * timeout of ordinary requests.
     */
    private ComfyClient client() {
        ComfyClient c = httpClient;
        ServerDescriptor target = server;
        if (c == null || !c.server().equals(target)) {
            c = runtime.clients().client(target, runtime.settings().get().connectTimeout());
            httpClient = c;
        }
        return c;
    }

    private void reconcileLoop() {
        do {
            while (reconcileAgain.getAndSet(false)) {
                lastReconcileNanos = runtime.nanoClock().getAsLong();
                try {
                    reconcile(client());
                } catch (ComfyException e) {
                    // the socket's next connect reconciles again
                    statistics.error("reconciliation failed: " + e.getMessage(), Instant.now());
                    LOG.debug("monitor of {}: reconciliation failed: {}", serverId, e.getMessage());
                } catch (RuntimeException e) {
                    statistics.error("reconciliation failed: " + e, Instant.now());
                    LOG.warn("monitor of {}: reconciliation failed", serverId, e);
                }
            }
            reconciling.set(false);
        } while (reconcileAgain.get() && reconciling.compareAndSet(false, true));
    }

    /**
     * Ends every unfinished prompt the server no longer holds: from its history entry if it has one, else as lost.
     * The prompts are listed before the queue is read, so each was accepted before the queue was read; then the
     * queue, then the history: the server moves a prompt from its queue to its history atomically, so a prompt in
     * neither is gone.
     */
    private void reconcile(ComfyClient client) throws ComfyException {
        List<String> ids = tracker.unfinishedIds();
        if (ids.isEmpty()) {
            return;
        }
        QueueSnapshot queue = client.queue();
        Set<String> running = new HashSet<>();
        queue.running().stream().map(QueueItem::promptId).forEach(running::add);
        Set<String> pending = new HashSet<>();
        queue.pending().stream().map(QueueItem::promptId).forEach(pending::add);
        for (String id : ids) {
            if (running.contains(id)) {
                tracker.runningOnServer(id, Instant.now());
                continue;
            }
            if (pending.contains(id) || !tracker.isUnfinished(id)) {
                continue;
            }
            Optional<HistoryEntry> entry;
            try {
                entry = client.history(id);
                historyUnreadableSince.remove(id);
            } catch (ComfyException e) {
                if (unanswered(e)) {
                    throw e;
                }
                PromptFinishedEvent failed = unreadableHistory(id, e);
                if (failed != null) {
                    emit(failed, runtime.nanoClock().getAsLong());
                }
                continue; // the others may still be read
            }
            PromptFinishedEvent finished;
            if (entry.isPresent()) {
                HistoryEntry e = entry.get();
                finished = tracker.reconcile(id, HistoryOutcome.state(e), e.outputs(), HistoryOutcome.failure(e),
                        Instant.now());
                if (finished != null) {
                    statistics.reconciled();
                }
            } else {
                finished = tracker.reconcile(id, PromptState.LOST, Map.of(), null, Instant.now());
                if (finished != null) {
                    statistics.lost();
                    LOG.info("monitor of {}: prompt {} is neither queued nor in the history: lost", serverId, id);
                }
            }
            if (finished != null) {
                emit(finished, runtime.nanoClock().getAsLong());
            }
        }
    }

    /**
     * A prompt neither queued nor running whose history entry the server answers with something unreadable: looked
     * up again at each reconciliation, and failed with that reason once it has been so for twice the reconcile
     * interval (else its job would wait for ever; running it again could run it twice).
     */
    private PromptFinishedEvent unreadableHistory(String id, ComfyException e) {
        long now = runtime.nanoClock().getAsLong();
        long since = historyUnreadableSince.computeIfAbsent(id, k -> now);
        long grace = runtime.settings().get().reconcileInterval().multipliedBy(2).toNanos();
        if (now - since < grace) {
            if (since == now) {
                LOG.warn("monitor of {}: the history of prompt {} cannot be read ({}); asked again later", serverId, id,
                        e.getMessage());
            }
            return null;
        }
        historyUnreadableSince.remove(id);
        LOG.warn("monitor of {}: the history of prompt {} has not been readable for {} s; the prompt is failed",
                serverId, id, Duration.ofNanos(now - since).toSeconds());
        return tracker.reconcile(id, PromptState.FAILED, Map.of(), new ExecutionFailure(null, null, List.of(),
                "UnreadableHistory", "the server's history of the prompt cannot be read: " + e.getMessage(), List.of()),
                Instant.now());
    }

    /** Whether the server did not answer at all (as opposed to answering with something unusable). */
    private static boolean unanswered(ComfyException e) {
        return switch (e.kind()) {
            case TIMEOUT, CONNECTION_REFUSED, CONNECTION_FAILED, CONNECTION_LOST, INTERRUPTED -> true;
            default -> false;
        };
    }

    private static String describe(Throwable failure) {
        Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }

    /** One connection attempt and, once open, its socket. Frames of every attempt count: all are the server's. */
    private final class Attempt implements FrameHandler {

        private volatile SocketSession socket;
        /** Whether the server's first status arrived on this socket (only the socket's thread writes it). */
        private boolean greeted;

        @Override
        public void onOpen(SocketSession session) {
            socket = session;
            session.sendText(HANDSHAKE);
            opened(this);
        }

        @Override
        public void onText(String text) {
            long now = runtime.nanoClock().getAsLong();
            statistics.frame(false, text.length(), now);
            try {
                MonitorEvent event = decoder.decodeText(text, Instant.now());
                if (!greeted && event instanceof StatusEvent) {
                    greeted = true;
                    greetedAtInstant = Instant.now();
                    greetedAtNanos = runtime.nanoClock().getAsLong();
                    // the server sends its first status once this socket is registered for our client id; events
                    // sent before that went nowhere, so whatever ended meanwhile is found in the history now
                    reconcileSoon();
                }
                received(event, now);
            } catch (BadFrameException e) {
                badFrame(e);
            }
        }

        @Override
        public void onBinary(ByteBuffer payload) {
            long now = runtime.nanoClock().getAsLong();
            statistics.frame(true, payload.remaining(), now);
            try {
                received(decoder.decodeBinary(payload, Instant.now()), now);
            } catch (BadFrameException e) {
                badFrame(e);
            }
        }

        private void badFrame(BadFrameException e) {
            statistics.badFrame(e.reason());
            statistics.error("bad frame: " + e.getMessage(), Instant.now());
            LOG.debug("monitor of {}: bad frame: {}", serverId, e.getMessage());
        }

        @Override
        public void onClose(int statusCode, String reason) {
            lost("socket closed (" + statusCode + (reason == null || reason.isEmpty() ? "" : " " + reason) + ")");
        }

        void lost(String why) {
            disconnected(this, why, false);
        }

        void lost(String why, boolean retryAtOnce) {
            disconnected(this, why, retryAtOnce);
        }

        void ping() {
            SocketSession s = socket;
            if (s != null) {
                s.ping();
            }
        }

        void close() {
            SocketSession s = socket;
            if (s != null) {
                s.close();
            }
        }
    }

    @Override
    public String toString() {
        return "monitor of " + serverId + " (" + state + ")";
    }
}
