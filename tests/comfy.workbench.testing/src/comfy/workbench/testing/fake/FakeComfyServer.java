package comfy.workbench.testing.fake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

import com.google.gson.JsonParser;

import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.core.Configuration;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.core.server.WebSocketNegotiator;
import org.eclipse.jetty.websocket.core.server.WebSocketUpgradeHandler;



import comfy.workbench.testing.captures.Captures;
import comfy.workbench.testing.fake.internal.Executor;
import comfy.workbench.testing.fake.internal.Faults;
import comfy.workbench.testing.fake.internal.Gate;
import comfy.workbench.testing.fake.internal.Json;
import comfy.workbench.testing.fake.internal.NodeSim;
import comfy.workbench.testing.fake.internal.ObjectInfo;
import comfy.workbench.testing.fake.internal.PromptQueue;
import comfy.workbench.testing.fake.internal.PromptValidator;
import comfy.workbench.testing.fake.internal.Routes;
import comfy.workbench.testing.fake.internal.Script;
import comfy.workbench.testing.fake.internal.Storage;
import comfy.workbench.testing.fake.internal.WsHub;

/**
 * A fake ComfyUI 0.3.64 server on a free loopback port: HTTP and WebSocket on one port (bare and {@code /api}
 * routes), a real prompt queue, scripted execution that emits the captured WebSocket messages in the captured order
 * and routing, history, {@code /view} files, validation with the real error shapes, and fault controls.
 * <p>
 * Each instance is independent; create one per test class or test with {@link #builder()} and close it after.
 * The route keys used by {@link #stall(String)}, {@link #failWith500(String)} and {@link #requests(String)} are
 * regular expressions over {@code "METHOD /route"} with the {@code /api} and path prefixes removed and ids
 * replaced, e.g. {@code "POST /prompt"}, {@code "GET /history/\\{id\\}"}, {@code "GET /ws"}, {@code ".*"}.
 */
public final class FakeComfyServer implements AutoCloseable {

    /** Builds a server; every setting has the default of a plain local ComfyUI 0.3.64. */
    public static final class Builder {
        private String objectInfo;
        private final Script script = new Script();
        private boolean jobsApi;
        private String pathPrefix = "";
        private String authorization;
        private Path dataDir;
        private int port;
        private Burst burst = Burst.NONE;

        private Builder() {
        }

        /** Listens on this loopback port instead of a free one (0, the default, picks a free port). */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            this.port = port;
            return this;
        }

        /** The node classes, as a {@code /object_info} body; default the captured {@code object_info.json}. */
        public Builder objectInfo(String json) {
            this.objectInfo = json;
            return this;
        }

        /** How long every node takes unless scripted otherwise (default zero). */
        public Builder defaultNodeDuration(Duration d) {
            script.defaultDuration(d);
            return this;
        }

        public Builder nodeDuration(String classType, Duration d) {
            script.classDuration(classType, d);
            return this;
        }

        /** A duration for one node id of any prompt; wins over the class duration. */
        public Builder nodeIdDuration(String nodeId, Duration d) {
            script.nodeDuration(nodeId, d);
            return this;
        }

        /** Makes a class report {@code steps} {@code progress} messages (1/steps … steps/steps) spread over its duration. */
        public Builder progressSteps(String classType, int steps) {
            script.progressSteps(classType, steps);
            return this;
        }

        /** Serves the newer {@code /api/jobs} family (off by default, as in 0.3.64). */
        public Builder jobsApi(boolean on) {
            this.jobsApi = on;
            return this;
        }

        /** Serves everything under a path such as {@code /comfy}, as behind a reverse proxy. */
        public Builder pathPrefix(String prefix) {
            this.pathPrefix = prefix == null || prefix.equals("/") ? "" : prefix.replaceAll("/+$", "");
            return this;
        }

        /** Requires {@code Authorization: Bearer <token>} on every request (401 otherwise). */
        public Builder bearerToken(String token) {
            this.authorization = "Bearer " + token;
            return this;
        }

        /** Requires HTTP Basic credentials on every request (401 otherwise). */
        public Builder basicAuth(String user, String password) {
            this.authorization = Gate.basic(user, password);
            return this;
        }

        /**
         * Sends every new socket {@code frames} self-checking binary frames of {@code frameSize} bytes right after
         * its first {@code status} message, without pause (see {@link Burst}); default none.
         */
        public Builder burstOnConnect(int frames, int frameSize) {
            this.burst = new Burst(frames, frameSize);
            return this;
        }

        /** Where input/output/temp/user live; default a new temporary folder. */
        public Builder dataDir(Path dir) {
            this.dataDir = dir;
            return this;
        }

        public FakeComfyServer build() {
            return new FakeComfyServer(this);
        }

        /** Builds and starts. */
        public FakeComfyServer start() {
            return build().start();
        }
    }

    private final Map<String, AtomicInteger> executions = new ConcurrentHashMap<>();
    private final Map<String, String> outcomes = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    private final Faults faults = new Faults();
    private final Script script;
    private final String pathPrefix;
    private final Storage storage;
    /** Whether the data folder is a temporary one this server made (deleted on {@link #close()}). */
    private final boolean ownsDataDir;
    private final PromptQueue queue;
    private final WsHub hub;
    private final Executor executor;
    private final Server server;
    private final ServerConnector connector;
    private int port;
    private boolean started;

    private FakeComfyServer(Builder b) {
        Captures captures = null;
        try {
            captures = Captures.locate();
        } catch (IllegalStateException noCaptures) {
            // only the defaults need the captures; a caller who passes object_info does not
        }
        String objectInfoText = b.objectInfo != null ? b.objectInfo : requireCaptures(captures).read("object_info.json");
        byte[] webp = captures == null ? null : readOrNull(captures.dir().resolve("files/14_output_peer_awebp_00001_.webp"));
        this.script = b.script;
        this.pathPrefix = b.pathPrefix;
        try {
            this.ownsDataDir = b.dataDir == null;
            this.storage = new Storage(b.dataDir != null ? b.dataDir : Files.createTempDirectory("fake-comfyui"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ObjectInfo info = new ObjectInfo(objectInfoText);
        this.queue = new PromptQueue(remaining -> statusChanged(remaining));
        this.hub = new WsHub(this::openState, Routes.features());
        burstOnConnect(b.burst.frames(), b.burst.frameSize());
        this.executor = new Executor(queue, hub, info, new NodeSim(storage, info, webp), script, executions, outcomes);
        PromptValidator validator = new PromptValidator(info, name -> storage.annotated(name) != null);
        Routes routes = new Routes(new Routes.Backend(queue, executor, info, validator, storage, b.jobsApi, pathPrefix, webp));

        QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        threads.setName("fake-comfyui");
        threads.setDaemon(true);
        this.server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setUriCompliance(UriCompliance.UNSAFE);
        http.setSendServerVersion(false);
        this.connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setReuseAddress(true);
        server.addConnector(connector);
        WebSocketNegotiator negotiator = new Negotiator();
        // Jetty clears the mappings when the server stops: the configurator adds them on every start (restart())
        WebSocketUpgradeHandler ws = new WebSocketUpgradeHandler(handler -> {
            handler.addMapping(pathPrefix + "/ws", negotiator);
            handler.addMapping(pathPrefix + "/api/ws", negotiator);
        });
        ws.setHandler(routes);
        server.setHandler(new Gate(pathPrefix, b.authorization, faults, requests));
        ((Gate) server.getHandler()).setHandler(ws);
        server.setStopTimeout(0);
        this.port = b.port;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Starts on a free port the first time, on the same port after {@link #stop()}. */
    public synchronized FakeComfyServer start() {
        if (started) {
            return this;
        }
        storage.wipeTemp();
        connector.setPort(port);
        try {
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("fake ComfyUI server did not start on port " + port, e);
        }
        port = connector.getLocalPort();
        executor.start();
        started = true;
        return this;
    }

    /** Stops like a killed process: sockets cut, the running prompt abandoned, queue, history and cache lost. */
    public synchronized void stop() {
        if (!started) {
            return;
        }
        started = false;
        hub.dropAll();
        executor.stop();
        queue.reset();
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stop and start on the same port: queue, history and execution cache are lost; files on disk stay. */
    public synchronized void restart() {
        stop();
        start();
    }

    /** Stops, and deletes the data folder if this server made it (thousands of test runs left them behind). */
    @Override
    public void close() {
        stop();
        if (ownsDataDir) {
            deleteQuietly(storage.root());
        }
    }

    private static void deleteQuietly(Path root) {
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // a file still open elsewhere: the folder stays, as before
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // already gone, or unreadable: nothing to clean
        }
    }

    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:<port>[prefix]} — no trailing slash. */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + port + pathPrefix);
    }

    /** The WebSocket URI for a client id ({@code null}: let the server assign one). */
    public URI wsUri(String clientId) {
        String query = clientId == null ? "" : "?clientId=" + URLEncoder.encode(clientId, StandardCharsets.UTF_8);
        return URI.create("ws://127.0.0.1:" + port + pathPrefix + "/ws" + query);
    }

    /** The folder holding {@code input}, {@code output}, {@code temp} and {@code user}. */
    public Path dataDir() {
        return storage.root();
    }

    // ---- scripting while running

    public void nodeDuration(String classType, Duration d) {
        script.classDuration(classType, d);
    }

    public void nodeIdDuration(String nodeId, Duration d) {
        script.nodeDuration(nodeId, d);
    }

    /** Makes every node of a class raise at run time ({@code execution_error}, capture 06 shape). */
    public void failNodeClass(String classType, String exceptionType, String message) {
        script.fail(classType, new Script.Failure(exceptionType, message));
    }

    public void clearNodeFailure(String classType) {
        script.fail(classType, null);
    }

    /**
     * From now on, sends every new socket {@code frames} self-checking binary frames of {@code frameSize} bytes right
     * after its first {@code status} message, without pause ({@code frames} 0: no burst); returns the burst, whose
     * {@link Burst#verify} checks a received frame.
     */
    public Burst burstOnConnect(int frames, int frameSize) {
        Burst burst = new Burst(frames, frameSize);
        List<byte[]> list = new ArrayList<>(frames);
        for (int i = 0; i < frames; i++) {
            list.add(burst.frame(i));
        }
        hub.burstOnConnect(list);
        return burst;
    }

    // ---- faults

    /** Closes the listening socket (new connections are refused) or reopens it on the same port. */
    public synchronized void refuseConnections(boolean refuse) {
        try {
            if (refuse) {
                connector.stop();
                awaitRefused();
            } else {
                connector.setPort(port);
                connector.start();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Returns once a connection to the port is refused: the connector's stop closes its listening socket, but a test
     * that connects right after must not meet a socket that still accepts (seen once as an EOF instead of a refusal).
     */
    private void awaitRefused() {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            try (java.net.Socket probe = new java.net.Socket()) {
                probe.connect(new java.net.InetSocketAddress("127.0.0.1", port), 200);
            } catch (java.net.ConnectException refused) {
                return;
            } catch (java.io.IOException other) {
                // a timeout or a reset: not yet a clean refusal, ask again
            }
            Thread.onSpinWait();
        }
        throw new IllegalStateException("port " + port + " still accepts connections after the connector stopped");
    }

    /** Cuts every WebSocket without a close frame. */
    public void dropWebSockets() {
        hub.dropAll();
    }

    /** Closes a client's current socket with a close frame carrying this status code and reason. */
    public void closeWebSocket(String clientId, int statusCode, String reason) {
        session(clientId).close(statusCode, reason, Callback.NOOP);
    }

    /** Holds matching requests until the returned stall is released. */
    public Stall stall(String routePattern) {
        return stall(routePattern, null);
    }

    /** Holds matching requests for a while (or until released, if {@code d} is null). */
    public Stall stall(String routePattern, Duration d) {
        Faults.Stall s = faults.stall(routePattern, d);
        return () -> faults.unstall(s);
    }

    /**
     * Holds the execution of node {@code nodeId} (after {@code executing} is sent for it, in every prompt)
     * until the returned handle is released: a test can keep the worker busy for exactly as long as it
     * needs, instead of guessing a duration.
     */
    public Stall holdNode(String nodeId) {
        executor.hold(nodeId);
        return () -> executor.release(nodeId);
    }

    /**
     * Whether a prompt is waiting at this held node: with a hold in place and a prompt waiting at it (or nothing
     * queued), the server can complete nothing more until the hold is released.
     */
    public boolean waitingAt(String nodeId) {
        return nodeId.equals(executor.waitingAt());
    }

    /** Answers matching requests with aiohttp's 500 text until {@link #clearFaults()}. */
    public void failWith500(String routePattern) {
        faults.failWith500(routePattern);
    }

    /**
     * Requires {@code Authorization: Bearer <token>} on every request from now on, as a proxy whose token rotated
     * (the builder's {@code bearerToken} at run time); {@code null} requires nothing.
     */
    public void requireBearerToken(String token) {
        ((Gate) server.getHandler()).expectAuthorization(token == null ? null : "Bearer " + token);
    }

    /** How many requests (HTTP and WebSocket upgrades) were answered 401 for missing or wrong credentials. */
    public int unauthorizedRequests() {
        return ((Gate) server.getHandler()).unauthorized();
    }

    /** Ends every stall and 500 rule. */
    public void clearFaults() {
        faults.clear();
    }

    /** Sends a text frame with arbitrary (e.g. non-JSON) content to a client's current socket. */
    public void sendMalformedFrame(String clientId, String text) {
        session(clientId).sendFrame(new Frame(OpCode.TEXT, text), Callback.NOOP, false);
    }

    /** Sends a text frame whose payload is these raw bytes (which may be invalid UTF-8). */
    public void sendMalformedFrame(String clientId, byte[] payload) {
        session(clientId).sendFrame(new Frame(OpCode.TEXT, ByteBuffer.wrap(payload.clone())), Callback.NOOP, false);
    }

    /** Sends a binary frame with arbitrary content (e.g. a truncated preview header). */
    public void sendBinaryFrame(String clientId, byte[] payload) {
        session(clientId).sendFrame(new Frame(OpCode.BINARY, ByteBuffer.wrap(payload.clone())), Callback.NOOP, false);
    }

    /**
     * Sends one text message split into {@code parts} frames (a first frame and continuations), cutting the UTF-8
     * bytes at even distances, possibly inside a character, as the protocol allows.
     */
    public void sendFragmentedText(String clientId, String text, int parts) {
        fragments(clientId, OpCode.TEXT, text.getBytes(StandardCharsets.UTF_8), parts);
    }

    /** Sends one binary message split into {@code parts} frames (a first frame and continuations). */
    public void sendFragmentedBinary(String clientId, byte[] payload, int parts) {
        fragments(clientId, OpCode.BINARY, payload, parts);
    }

    private void fragments(String clientId, byte opCode, byte[] payload, int parts) {
        if (parts < 1 || parts > Math.max(1, payload.length)) {
            throw new IllegalArgumentException("cannot split " + payload.length + " bytes into " + parts + " frames");
        }
        CoreSession session = session(clientId);
        byte[] copy = payload.clone();
        int offset = 0;
        for (int i = 0; i < parts; i++) {
            int end = i == parts - 1 ? copy.length : (int) ((long) copy.length * (i + 1) / parts);
            session.sendFrame(new Frame(i == 0 ? opCode : OpCode.CONTINUATION, i == parts - 1, ByteBuffer.wrap(copy, offset, end - offset)),
                    Callback.NOOP, false);
            offset = end;
        }
    }

    /**
     * Sends {@code count} pre-encoded JSON text frames to a client as fast as the socket takes them, in the mix's
     * proportions; completes with the number sent once all are written.
     */
    public CompletableFuture<Integer> flood(String clientId, int count, FloodMix mix) {
        String pid = "00000000-0000-4000-8000-000000000000";
        String progress = Json.message("progress", Json.obj("value", 7, "max", 20, "prompt_id", pid, "node", "3"));
        String state = Json.message("progress_state", Json.obj("prompt_id", pid, "nodes", Json.obj("3", Json.obj("value", 7, "max", 20,
                "state", "running", "node_id", "3", "prompt_id", pid, "display_node_id", "3", "parent_node_id", null, "real_node_id", "3"))));
        String executing = Json.message("executing", Json.obj("node", "3", "display_node", "3", "prompt_id", pid));
        int period = mix.progress() + mix.progressState() + mix.executing();
        ByteBuffer[] frames = new ByteBuffer[period];
        for (int i = 0; i < period; i++) {
            String text = i < mix.progress() ? progress : i < mix.progress() + mix.progressState() ? state : executing;
            frames[i] = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer();
        }
        return pump(clientId, count, OpCode.TEXT, frames);
    }

    /** Sends {@code count} preview frames of {@code size} bytes: type 4 if the client negotiated metadata, else type 1. */
    public CompletableFuture<Integer> floodBinary(String clientId, int count, int size) {
        byte[] frame = new byte[Math.max(size, 64)];
        ByteBuffer b = ByteBuffer.wrap(frame);
        if (hub.supportsPreviewMetadata(clientId)) {
            byte[] meta = Json.write(Json.obj("node_id", "3", "prompt_id", "00000000-0000-4000-8000-000000000000", "display_node_id", "3",
                    "parent_node_id", null, "real_node_id", "3", "image_type", "image/jpeg")).getBytes(StandardCharsets.UTF_8);
            b.putInt(4).putInt(meta.length).put(meta);
        } else {
            b.putInt(1).putInt(1);
        }
        b.put((byte) 0xFF).put((byte) 0xD8).put((byte) 0xFF);
        return pump(clientId, count, OpCode.BINARY, new ByteBuffer[] {ByteBuffer.wrap(frame).asReadOnlyBuffer()});
    }

    private CompletableFuture<Integer> pump(String clientId, int count, byte opCode, ByteBuffer[] frames) {
        CoreSession session = session(clientId);
        CompletableFuture<Integer> done = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            // a bounded number of frames in flight: as fast as the socket drains, without queueing the whole flood
            Semaphore inFlight = new Semaphore(256);
            AtomicInteger failed = new AtomicInteger();
            try {
                for (int i = 0; i < count && failed.get() == 0; i++) {
                    inFlight.acquire();
                    // 64 frames to a write: a flood measures the client's reading, not one system call per message
                    boolean batch = i % 64 != 63 && i != count - 1;
                    session.sendFrame(new Frame(opCode, frames[i % frames.length].duplicate()), Callback.from(inFlight::release, x -> {
                        failed.incrementAndGet();
                        inFlight.release();
                    }), batch);
                }
                inFlight.acquire(256);
                if (failed.get() > 0) {
                    done.completeExceptionally(new IOException("flood to " + clientId + " failed: the socket closed"));
                } else {
                    done.complete(count);
                }
            } catch (InterruptedException e) {
                done.completeExceptionally(e);
            }
        }, "fake-comfyui-flood");
        t.setDaemon(true);
        t.start();
        return done;
    }

    // ---- other clients

    /** The node a prompt of {@link #queueFromAnotherClient} holds at while {@link #holdNode} holds that id. */
    public static final String OTHER_CLIENT_NODE = "other-save";

    /**
     * Queues {@code count} prompts as another client would (an artist's browser on the same server): over HTTP, with
     * its own client id, each a quick image saved by node {@value #OTHER_CLIENT_NODE}. Hold that node first to keep
     * them queued.
     *
     * @return their prompt ids
     */
    public List<String> queueFromAnotherClient(String clientId, int count) {
        HttpClient http = HttpClient.newHttpClient();
        List<String> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String prompt = "{\"other-image\":{\"class_type\":\"EmptyImage\",\"inputs\":{\"width\":8,\"height\":8,"
                    + "\"batch_size\":1,\"color\":" + i + "}},\"" + OTHER_CLIENT_NODE + "\":{\"class_type\":\"SaveImage\","
                    + "\"inputs\":{\"images\":[\"other-image\",0],\"filename_prefix\":\"" + clientId + "\"}}}";
            try {
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                        baseUri().resolve("/prompt")).POST(HttpRequest.BodyPublishers.ofString(
                                "{\"client_id\":\"" + clientId + "\",\"prompt\":" + prompt + "}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() != 200) {
                    throw new IllegalStateException("POST /prompt answered " + answer.statusCode() + ": " + answer.body());
                }
                ids.add(JsonParser.parseString(answer.body()).getAsJsonObject().get("prompt_id")
                        .getAsString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while queueing another client's prompts", e);
            }
        }
        return ids;
    }

    // ---- observation

    /** How often a prompt id started executing (kept across restarts, so a test can prove nothing re-ran). */
    public int executions(String promptId) {
        AtomicInteger n = executions.get(promptId);
        return n == null ? 0 : n.get();
    }

    /** How often each prompt id started executing, for every prompt this server ever ran (kept across restarts). */
    public Map<String, Integer> executionCounts() {
        Map<String, Integer> counts = new java.util.TreeMap<>();
        executions.forEach((id, n) -> counts.put(id, n.get()));
        return counts;
    }

    /**
     * How a prompt ended ({@code "success"} or {@code "error"}, the history's {@code status_str}), kept across
     * restarts: the fact a restart's lost history no longer shows.
     */
    public java.util.Optional<String> outcome(String promptId) {
        return java.util.Optional.ofNullable(outcomes.get(promptId));
    }

    /**
     * How many interrupts the server applied (a {@code POST /interrupt} without a prompt id, or naming the running
     * prompt; a jobs-API cancel of the running job). Unlike {@link #requests}, which counts a request on arrival,
     * this counts once the interrupt is set.
     */
    public int interruptsApplied() {
        return executor.interruptsApplied();
    }

    /** Requests seen per route key (e.g. {@code "POST /prompt"}), including stalled and failed ones. */
    public int requests(String routeKey) {
        AtomicInteger n = requests.get(routeKey);
        return n == null ? 0 : n.get();
    }

    public Map<String, Integer> requestCounts() {
        Map<String, Integer> m = new TreeMap<>();
        requests.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    public boolean isConnected(String clientId) {
        return hub.isConnected(clientId);
    }

    public int connectedClients() {
        return hub.connected();
    }

    /** Ping frames received on all sockets (each was answered with a pong, as aiohttp does). */
    public int pingsReceived() {
        return hub.pings();
    }

    /** Pending plus running prompts, as {@code queue_remaining}. */
    public int queueRemaining() {
        return queue.remaining();
    }

    private CoreSession session(String clientId) {
        CoreSession s = hub.session(clientId);
        if (s == null) {
            throw new IllegalStateException("no WebSocket connected with clientId " + clientId);
        }
        return s;
    }

    private void statusChanged(int remaining) {
        hub.broadcast(Json.message("status", Json.obj("status", Json.obj("exec_info", Json.obj("queue_remaining", remaining)))));
    }

    private WsHub.OpenState openState() {
        PromptQueue.Item running = queue.running();
        return new WsHub.OpenState(queue.remaining(), running == null ? null : running.clientId(), executor.runningNode());
    }

    private static Captures requireCaptures(Captures captures) {
        if (captures == null) {
            throw new IllegalStateException("no object_info given and the ComfyUI captures were not found (-D" + Captures.PROPERTY + ")");
        }
        return captures;
    }

    private static byte[] readOrNull(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readAllBytes(file) : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Accepts every upgrade on the mapped paths; the client id comes from the query. */
    private final class Negotiator implements WebSocketNegotiator {
        @Override
        public FrameHandler negotiate(ServerUpgradeRequest request, ServerUpgradeResponse response, Callback callback) {
            String clientId = org.eclipse.jetty.server.Request.extractQueryParameters(request).getValue("clientId");
            return hub.newClient(clientId);
        }

        @Override
        public void customize(Configuration configuration) {
            // aiohttp's WebSocketResponse has no idle timeout and no size limit that matters here
            configuration.setIdleTimeout(Duration.ofHours(1));
            configuration.setMaxTextMessageSize(64L << 20);
            configuration.setMaxBinaryMessageSize(64L << 20);
        }
    }

}
