package comfy.workbench.monitor.internal;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.util.thread.Scheduler;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.ExtensionConfig;
import org.eclipse.jetty.websocket.api.Frame;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.eclipse.jetty.websocket.api.exceptions.UpgradeException;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitor's WebSocket transport on Jetty 12's WebSocket client, chosen over {@code java.net.http.WebSocket}
 * because the JDK 17 client loses data under a burst right after the handshake (see {@code docs/benchmarks.md},
 * "Monitor: WebSocket client choice").
 * <ul>
 * <li>One {@link WebSocketClient} over its own {@link HttpClient} and a named daemon thread pool
 * ({@code comfy-monitor-ws-<n>}); one transport serves all servers.</li>
 * <li>The handler gets whole messages, assembled from frames by {@link MessageAssembler} (closing with 1007 on
 * invalid UTF-8, with 1009 on a message above the maximum). Text and binary messages and single frames may be
 * as large as the configured maximum (default {@value #DEFAULT_MAX_MESSAGE_SIZE} bytes; previews are large, Jetty's
 * own default of 64 KiB is not enough).</li>
 * <li>A binary message is copied once into a heap array, Jetty's buffer released at once; the handler owns the copy.</li>
 * <li>No idle timeout (the monitor runs its own watchdog) and no extensions offered (no permessage-deflate).</li>
 * <li>{@link FrameHandler#onClose} comes exactly once per opened socket, also when an error precedes the close or
 * the transport is closed. A socket that never opened gets neither {@code onOpen} nor {@code onClose}: its future
 * fails with a {@link WebSocketConnectException}.</li>
 * </ul>
 * In OSGi the Jetty WebSocket bundles need the OSGi ServiceLoader Mediator (Aries SPI Fly): the bundle
 * {@code org.eclipse.jetty.websocket.common} has a mandatory requirement on the {@code osgi.serviceloader.registrar}
 * extender and does not resolve without it. And {@code org.eclipse.jetty.client} imports
 * {@code org.eclipse.jetty.compression} only optionally but loads its {@code Compression} class whenever an
 * {@code HttpClient} starts: hence this bundle's (otherwise unused) import of that package, which makes
 * {@code org.eclipse.jetty.compression.common} part of every runtime that has the monitor.
 */
public final class JettyWebSocketTransport implements WebSocketTransport {

    /** The default largest message (and frame): 64 MiB. */
    public static final long DEFAULT_MAX_MESSAGE_SIZE = 64L << 20;

    private static final Logger LOG = LoggerFactory.getLogger(JettyWebSocketTransport.class);
    private static final int INPUT_BUFFER_SIZE = 16 * 1024;

    private final ScheduledExecutorScheduler scheduler;
    private final HttpClient http;
    private final WebSocketClient client;
    private final Set<Endpoint> open = ConcurrentHashMap.newKeySet();
    private final long maxMessageSize;
    private volatile boolean closed;

    /** A started transport with the default maximum message size. */
    public JettyWebSocketTransport() {
        this(DEFAULT_MAX_MESSAGE_SIZE);
    }

    /**
     * A started transport.
     *
     * @param maxMessageSize the largest text or binary message (and frame) accepted, in bytes; a larger one closes
     *                       the socket with 1009 (message too big)
     */
    public JettyWebSocketTransport(long maxMessageSize) {
        if (maxMessageSize < 1024) {
            throw new IllegalArgumentException("maxMessageSize must be at least 1024 bytes: " + maxMessageSize);
        }
        this.maxMessageSize = maxMessageSize;
        QueuedThreadPool threads = new QueuedThreadPool(32, 2);
        threads.setName("comfy-monitor-ws");
        threads.setDaemon(true);
        this.scheduler = new ScheduledExecutorScheduler("comfy-monitor-ws-scheduler", true);
        this.http = new HttpClient();
        http.setExecutor(threads);
        http.setScheduler(scheduler);
        http.setFollowRedirects(false);
        this.client = new WebSocketClient(http);
        client.setMaxTextMessageSize(maxMessageSize);
        client.setMaxBinaryMessageSize(maxMessageSize);
        // aiohttp sends a message as one frame: the frame limit must be the message limit
        client.setMaxFrameSize(maxMessageSize);
        client.setInputBufferSize(INPUT_BUFFER_SIZE);
        client.setIdleTimeout(Duration.ZERO);
        client.setStopAtShutdown(false);
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("the Jetty WebSocket client did not start", e);
        }
    }

    @Override
    public CompletableFuture<SocketSession> connect(URI uri, Map<String, String> headers, Duration connectTimeout,
            FrameHandler handler) {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(handler, "handler");
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout must be positive: " + connectTimeout);
        }
        Endpoint endpoint = new Endpoint(uri, handler, connectTimeout);
        String scheme = uri.getScheme();
        if (!"ws".equalsIgnoreCase(scheme) && !"wss".equalsIgnoreCase(scheme)) {
            endpoint.failConnect(new WebSocketConnectException(uri, "not a ws: or wss: URI", 0, false, null));
            return endpoint.result;
        }
        if (closed) {
            endpoint.failConnect(new WebSocketConnectException(uri, "the transport is closed", 0, false, null));
            return endpoint.result;
        }
        ClientUpgradeRequest request = new ClientUpgradeRequest(uri);
        headers.forEach(request::setHeader);
        request.setTimeout(connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
        CompletableFuture<Session> upgrade;
        try {
            upgrade = client.connect(endpoint, request);
        } catch (IOException | RuntimeException e) {
            endpoint.failConnect(e);
            return endpoint.result;
        }
        // Jetty's request timeout should fire first; this is the guarantee that the future ends in time
        Scheduler.Task timer = scheduler.schedule(() -> {
            if (endpoint.failConnect(new TimeoutException())) {
                upgrade.cancel(true);
            }
        }, connectTimeout.toMillis() + 50, TimeUnit.MILLISECONDS);
        upgrade.whenComplete((session, failure) -> {
            if (failure != null) {
                endpoint.failConnect(failure);
            }
        });
        endpoint.result.whenComplete((s, x) -> timer.cancel());
        return endpoint.result;
    }

    /** Closes every socket (each handler gets its {@code onClose}) and stops the threads. */
    @Override
    public void close() {
        closed = true;
        try {
            client.stop();
            http.stop();
        } catch (Exception e) {
            LOG.warn("stopping the Jetty WebSocket client failed", e);
        }
        // Jetty normally reports the close of every session while stopping; whatever it did not, is reported here
        for (Endpoint e : new ArrayList<>(open)) {
            e.closed(StatusCode.SHUTDOWN, "transport closed");
        }
    }

    private static WebSocketConnectException describe(URI uri, Throwable failure, Duration timeout) {
        if (failure instanceof WebSocketConnectException wce) {
            return wce;
        }
        int status = 0;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof UpgradeException up && up.getResponseStatusCode() > 0) {
                status = up.getResponseStatusCode();
                break;
            }
        }
        if (status > 0) {
            String hint = status == 401 || status == 403 ? " (authentication missing or rejected)"
                    : status == 404 ? " (no WebSocket at this path)" : "";
            return new WebSocketConnectException(uri, "the server answered the upgrade with HTTP " + status + hint, status, false,
                    failure);
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException || t instanceof java.util.concurrent.CancellationException) {
                return new WebSocketConnectException(uri, "no upgrade within " + timeout.toMillis() + " ms (timed out)", 0, true,
                        failure);
            }
            if (t instanceof ConnectException) {
                return new WebSocketConnectException(uri, "connection refused (" + t.getMessage() + ")", 0, false, failure);
            }
            if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
                return new WebSocketConnectException(uri, "unknown host " + uri.getHost(), 0, false, failure);
            }
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return new WebSocketConnectException(uri, root.getClass().getSimpleName() + ": " + root.getMessage(), 0, false, failure);
    }

    /**
     * Jetty's listener for one socket. Public because Jetty binds the listener's methods through method handles;
     * not for use outside this class.
     */
    public final class Endpoint implements Session.Listener.AutoDemanding {
        private static final int CONNECTING = 0;
        private static final int OPEN = 1;
        private static final int FAILED = 2;
        private static final int CLOSED = 3;

        private final URI uri;
        private final FrameHandler handler;
        private final Duration connectTimeout;
        private final CompletableFuture<SocketSession> result = new CompletableFuture<>();
        private final AtomicInteger state = new AtomicInteger(CONNECTING);
        private volatile JettySocketSession session;
        private volatile Throwable error;
        private final MessageAssembler messages = new MessageAssembler(maxMessageSize);

        Endpoint(URI uri, FrameHandler handler, Duration connectTimeout) {
            this.uri = uri;
            this.handler = handler;
            this.connectTimeout = connectTimeout;
        }

        @Override
        public void onWebSocketOpen(Session jetty) {
            if (!state.compareAndSet(CONNECTING, OPEN)) {
                // the connect already failed (timed out): nobody waits for this socket
                jetty.disconnect();
                return;
            }
            JettySocketSession s = new JettySocketSession(jetty);
            this.session = s;
            open.add(this);
            try {
                handler.onOpen(s);
            } catch (RuntimeException e) {
                LOG.warn("the frame handler of {} failed in onOpen; closing the socket", uri, e);
                result.completeExceptionally(e);
                jetty.disconnect();
                return;
            }
            result.complete(s);
        }

        /*
         * Messages arrive here as raw frames and are assembled by MessageAssembler (see there for why). Jetty 12.1
         * allows no text, binary, ping or pong method beside this one, so pongs are counted here and pings are
         * answered by Jetty itself. Jetty calls this for every frame, one at a time.
         */
        @Override
        public void onWebSocketFrame(Frame frame, Callback callback) {
            MessageAssembler.Outcome outcome;
            try {
                MessageAssembler.Kind kind = switch (frame.getType()) {
                    case TEXT -> MessageAssembler.Kind.TEXT;
                    case BINARY -> MessageAssembler.Kind.BINARY;
                    case CONTINUATION -> MessageAssembler.Kind.CONTINUATION;
                    default -> null;
                };
                if (kind == null) {
                    JettySocketSession s = session;
                    if (frame.getType() == Frame.Type.PONG && s != null) {
                        s.pongs.incrementAndGet();
                    }
                    return;
                }
                outcome = messages.frame(kind, frame.hasPayload() ? frame.getPayload() : null, frame.isFin());
            } finally {
                // the payload has been copied: Jetty may reuse its buffer
                callback.succeed();
            }
            try {
                if (outcome instanceof MessageAssembler.Text t) {
                    handler.onText(t.text());
                } else if (outcome instanceof MessageAssembler.Binary b) {
                    handler.onBinary(b.payload());
                } else if (outcome instanceof MessageAssembler.Violation v) {
                    LOG.warn("closing the WebSocket {}: {}", uri, v.reason());
                    JettySocketSession s = session;
                    if (s != null) {
                        s.jetty.close(v.statusCode(), v.reason(), Callback.NOOP);
                    }
                }
            } catch (RuntimeException e) {
                LOG.warn("the frame handler of {} failed on a message", uri, e);
            }
        }

        @Override
        public void onWebSocketError(Throwable cause) {
            error = cause;
            if (!failConnect(cause)) {
                LOG.debug("WebSocket {} failed", uri, cause);
            }
        }

        @Override
        public void onWebSocketClose(int statusCode, String reason, Callback callback) {
            try {
                closed(statusCode, reason);
            } finally {
                callback.succeed();
            }
        }

        /** Fails the connect if it is still pending; true if this call did. */
        boolean failConnect(Throwable failure) {
            if (state.compareAndSet(CONNECTING, FAILED)) {
                result.completeExceptionally(describe(uri, failure, connectTimeout));
                return true;
            }
            return false;
        }

        void closed(int statusCode, String reason) {
            int before = state.getAndSet(CLOSED);
            if (before == OPEN) {
                open.remove(this);
                if (reason == null && error != null) {
                    reason = String.valueOf(error.getMessage());
                }
                try {
                    handler.onClose(statusCode, reason);
                } catch (RuntimeException e) {
                    LOG.warn("the frame handler of {} failed in onClose", uri, e);
                }
            } else if (before == CONNECTING) {
                result.completeExceptionally(describe(uri,
                        new IOException("closed during the upgrade (" + statusCode + " " + reason + ")"), connectTimeout));
            }
        }
    }

    /** The {@link SocketSession} over a Jetty session. */
    static final class JettySocketSession implements SocketSession {
        private final Session jetty;
        final AtomicLong pongs = new AtomicLong();

        JettySocketSession(Session jetty) {
            this.jetty = jetty;
        }

        @Override
        public void sendText(String text) {
            jetty.sendText(text, Callback.from(() -> {
            }, this::sendFailed));
        }

        @Override
        public void ping() {
            jetty.sendPing(ByteBuffer.allocate(0), Callback.from(() -> {
            }, this::sendFailed));
        }

        @Override
        public void close() {
            jetty.close(StatusCode.NORMAL, null, Callback.NOOP);
        }

        @Override
        public boolean isOpen() {
            return jetty.isOpen();
        }

        /** How many pongs arrived (for tests and diagnostics). */
        long pongs() {
            return pongs.get();
        }

        /** Jetty's idle timeout of this socket (expected: zero, i.e. none). */
        Duration idleTimeout() {
            return jetty.getIdleTimeout();
        }

        /** The extensions the upgrade negotiated (expected: none). */
        List<String> negotiatedExtensions() {
            return jetty.getUpgradeResponse().getExtensions().stream().map(ExtensionConfig::getName).toList();
        }

        private void sendFailed(Throwable failure) {
            LOG.debug("sending on {} failed; closing the socket", jetty.getUpgradeRequest().getRequestURI(), failure);
            jetty.disconnect();
        }
    }
}
