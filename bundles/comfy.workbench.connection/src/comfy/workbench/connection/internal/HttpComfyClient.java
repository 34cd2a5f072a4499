package comfy.workbench.connection.internal;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.function.BiFunction;
import java.util.function.Function;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import comfy.workbench.connection.api.ComfyClient;
import comfy.workbench.connection.api.ComfyException;
import comfy.workbench.connection.api.ComfyException.Kind;
import comfy.workbench.connection.api.FeatureFlags;
import comfy.workbench.connection.api.FileRef;
import comfy.workbench.connection.api.HistoryEntry;
import comfy.workbench.connection.api.Job;
import comfy.workbench.connection.api.JobStatus;
import comfy.workbench.connection.api.JobsPage;
import comfy.workbench.connection.api.JobsQuery;
import comfy.workbench.connection.api.PromptAccepted;
import comfy.workbench.connection.api.PromptRejectedException;
import comfy.workbench.connection.api.PromptRequest;
import comfy.workbench.connection.api.QueueSnapshot;
import comfy.workbench.connection.api.ServerAuth;
import comfy.workbench.connection.api.ServerCapabilities;
import comfy.workbench.connection.api.ServerCredentials;
import comfy.workbench.connection.api.ServerDescriptor;
import comfy.workbench.connection.api.SystemStats;
import comfy.workbench.connection.api.UploadRequest;
import comfy.workbench.connection.api.UploadResult;
import comfy.workbench.connection.api.UserDataFile;
import comfy.workbench.connection.api.ViewRequest;
import comfy.workbench.connection.api.ViewResult;
import comfy.workbench.model.api.ComfyJson;
import comfy.workbench.model.api.PromptValidationFailure;

/**
 * {@link ComfyClient} on {@code java.net.http}. Every route goes through {@link #exchange}, which is the one place
 * that turns transport failures and statuses into {@link ComfyException}s; decoding failures become BAD_RESPONSE in
 * {@link #decode}.
 */
final class HttpComfyClient implements ComfyClient {

    /** How much of an unexpected body goes into an exception message. */
    private static final int EXCERPT_CHARS = 300;
    /**
     * The most an answer read into memory may hold (a node schema of a large installation is tens of MiB): a server
     * that sends without end must not take the client's memory.
     */
    static final long MAX_ANSWER_BYTES = 256L << 20;
    /** The largest buffer a download copies through. */
    private static final int VIEW_BUFFER = 64 * 1024;

    private final ServerDescriptor server;
    private final HttpClient http;
    private final ClientSettings settings;
    private final ServerCredentials credentials;
    private final BodyDeadlines deadlines;

    /**
     * @param deadlines ends the answers whose body does not arrive in time (the request timeout covers only the wait
     *                  for the headers)
     */
    HttpComfyClient(ServerDescriptor server, ClientSettings settings, ServerCredentials credentials,
            BodyDeadlines deadlines) {
        this.server = server;
        this.settings = settings;
        this.credentials = credentials;
        this.deadlines = deadlines;
        // HTTP/1.1: ComfyUI (aiohttp) does not speak h2c, and an upgrade attempt only confuses some proxies.
        // Redirects are not followed: a POST must not silently turn into a GET, and an http->https redirect is
        // better reported as a wrong base URL. Every request is sent synchronously and no body handler blocks, so the
        // client's completions run on its selector thread instead of being handed to a pool thread each (a sixth of
        // the command line's CPU per job went into that hand-off).
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout()).followRedirects(HttpClient.Redirect.NEVER)
                .executor(Runnable::run).build();
    }

    @Override
    public ServerDescriptor server() {
        return server;
    }

    // ---- execution and queue

    @Override
    public PromptAccepted submit(PromptRequest request) throws ComfyException {
        JsonObject body = new JsonObject();
        body.add("prompt", request.graph().toJsonTree());
        body.addProperty("prompt_id", request.promptId());
        if (request.clientId() != null) {
            body.addProperty("client_id", request.clientId());
        }
        if (request.extraData().size() > 0) {
            body.add("extra_data", request.extraData());
        }
        if (request.front()) {
            body.addProperty("front", true);
        }
        request.number().ifPresent(n -> body.addProperty("number", n));
        if (!request.partialTargets().isEmpty()) {
            JsonArray targets = new JsonArray();
            request.partialTargets().forEach(targets::add);
            body.add("partial_execution_targets", targets);
        }
        String path = "/api/prompt";
        String route = "POST " + path;
        HttpResponse<byte[]> response = exchange("POST", path, json(body), "application/json",
                capped(settings.requestTimeout()), settings.requestTimeout(), 200, 400);
        if (response.statusCode() == 400) {
            if (!isJson(response)) {
                throw statusFailure(route, response);
            }
            PromptValidationFailure failure = decode(route, response,
                    json -> PromptValidationFailure.fromJson(json, route));
            throw new PromptRejectedException(server.id(), route, failure);
        }
        return decode(route, response, Decode::promptAccepted);
    }

    @Override
    public int queueRemaining() throws ComfyException {
        return getJson("/api/prompt", Decode::queueRemaining);
    }

    @Override
    public QueueSnapshot queue() throws ComfyException {
        return getJson("/api/queue", Decode::queue);
    }

    @Override
    public void deleteFromQueue(Collection<String> promptIds) throws ComfyException {
        postDelete("/api/queue", promptIds);
    }

    @Override
    public void clearQueue() throws ComfyException {
        postClear("/api/queue");
    }

    @Override
    public void interruptAll() throws ComfyException {
        exchange("POST", "/api/interrupt", BodyPublishers.noBody(), null, capped(settings.requestTimeout()),
                settings.requestTimeout(), 200);
    }

    @Override
    public void interrupt(String promptId) throws ComfyException {
        JsonObject body = new JsonObject();
        body.addProperty("prompt_id", requireText(promptId, "promptId"));
        postJson("/api/interrupt", body);
    }

    // ---- history

    @Override
    public List<HistoryEntry> history() throws ComfyException {
        return getJson("/api/history", Decode::history);
    }

    @Override
    public List<HistoryEntry> history(int maxItems, int offset) throws ComfyException {
        if (maxItems < 1 || offset < 0) {
            throw new IllegalArgumentException("maxItems must be positive and offset not negative");
        }
        String path = "/api/history?max_items=" + maxItems + (offset > 0 ? "&offset=" + offset : "");
        return getJson(path, Decode::history);
    }

    @Override
    public Optional<HistoryEntry> history(String promptId) throws ComfyException {
        String id = requireText(promptId, "promptId");
        return getJson("/api/history/" + segment(id), body -> {
            JsonObject o = Decode.object(body, "body");
            JsonElement entry = o.get(id);
            if (entry == null) {
                if (o.size() > 0) {
                    throw new comfy.workbench.model.api.ComfyJsonException(
                            "body: expected only entry " + id + " but found " + o.keySet());
                }
                return Optional.empty();
            }
            return Optional.of(Decode.historyEntry(id, entry));
        });
    }

    @Override
    public void deleteHistory(Collection<String> promptIds) throws ComfyException {
        postDelete("/api/history", promptIds);
    }

    @Override
    public void clearHistory() throws ComfyException {
        postClear("/api/history");
    }

    // ---- jobs API

    @Override
    public boolean hasJobsApi() throws ComfyException {
        HttpResponse<byte[]> response = exchange("GET", "/api/jobs?limit=1", null, null,
                capped(settings.requestTimeout()), settings.requestTimeout(), 200, 404, 405);
        if (response.statusCode() != 200) {
            return false;
        }
        decode("GET /api/jobs?limit=1", response, Decode::jobs);
        return true;
    }

    @Override
    public JobsPage jobs(JobsQuery query) throws ComfyException {
        StringJoiner q = new StringJoiner("&", "?", "").setEmptyValue("");
        if (!query.statuses().isEmpty()) {
            q.add("status=" + String.join(",", query.statuses().stream().sorted().map(JobStatus::wireName).toList()));
        }
        query.workflowId().ifPresent(w -> q.add("workflow_id=" + param(w)));
        query.sortBy().ifPresent(s -> q.add("sort_by=" + param(s)));
        q.add("sort_order=" + (query.descending() ? "desc" : "asc"));
        query.limit().ifPresent(l -> q.add("limit=" + l));
        if (query.offset() > 0) {
            q.add("offset=" + query.offset());
        }
        String path = "/api/jobs" + q;
        HttpResponse<byte[]> response = jobsExchange("GET", path, null, 200);
        return decode("GET " + path, response, Decode::jobs);
    }

    @Override
    public Optional<Job> job(String jobId) throws ComfyException {
        String path = "/api/jobs/" + segment(requireText(jobId, "jobId"));
        HttpResponse<byte[]> response = exchange("GET", path, null, null, capped(settings.requestTimeout()),
                settings.requestTimeout(), 200, 404);
        if (response.statusCode() == 404) {
            // the jobs API answers an unknown job with JSON {error}; a server without the API with a bare 404
            if (isJson(response)) {
                return Optional.empty();
            }
            throw unsupported("GET " + path);
        }
        return Optional.of(decode("GET " + path, response, body -> Decode.job(body, "body")));
    }

    @Override
    public boolean cancelJob(String jobId) throws ComfyException {
        String path = "/api/jobs/" + segment(requireText(jobId, "jobId")) + "/cancel";
        HttpResponse<byte[]> response = jobsExchange("POST", path, BodyPublishers.noBody(), 200);
        return decode("POST " + path, response, Decode::cancelled);
    }

    @Override
    public boolean cancelJobs(Collection<String> jobIds) throws ComfyException {
        JsonObject body = new JsonObject();
        body.add("job_ids", ids(jobIds));
        String path = "/api/jobs/cancel";
        HttpResponse<byte[]> response = jobsExchange("POST", path, json(body), 200);
        return decode("POST " + path, response, Decode::cancelled);
    }

    private HttpResponse<byte[]> jobsExchange(String method, String path, BodyPublisher body, int expected)
            throws ComfyException {
        HttpResponse<byte[]> response = exchange(method, path, body, body == null ? null : "application/json",
                capped(settings.requestTimeout()), settings.requestTimeout(), expected, 404, 405);
        if (response.statusCode() == 404 || response.statusCode() == 405) {
            throw unsupported(method + " " + path);
        }
        return response;
    }

    private ComfyException unsupported(String route) {
        return new ComfyException(Kind.UNSUPPORTED, server.id(), route,
                "the server has no jobs API (it needs ComfyUI 0.6 or newer)", null);
    }

    // ---- node definitions, models, system

    @Override
    public JsonObject objectInfo() throws ComfyException {
        return objectInfo((text, what) -> ComfyJson.parseObject(text, what));
    }

    @Override
    public <T> T objectInfo(BiFunction<String, String, T> parser) throws ComfyException {
        String path = "/api/object_info";
        // object_info can take tens of seconds on installations with many custom nodes
        HttpResponse<byte[]> response = exchange("GET", path, null, null, capped(settings.slowRequestTimeout()),
                settings.slowRequestTimeout(), 200);
        String route = "GET " + path;
        requireJson(route, response);
        String text = new String(response.body(), StandardCharsets.UTF_8);
        try {
            return parser.apply(text, "[" + server.id() + "] " + route);
        } catch (RuntimeException e) {
            throw badResponse(route, response, e);
        }
    }

    @Override
    public Optional<JsonObject> objectInfo(String classType) throws ComfyException {
        String name = requireText(classType, "classType");
        return getJson("/api/object_info/" + segment(name), body -> {
            JsonObject o = Decode.object(body, "body");
            JsonElement info = o.get(name);
            return info == null ? Optional.<JsonObject>empty() : Optional.of(Decode.object(info, name));
        });
    }

    @Override
    public SystemStats systemStats() throws ComfyException {
        return getJson("/api/system_stats", Decode::systemStats);
    }

    @Override
    public FeatureFlags features() throws ComfyException {
        String path = "/api/features";
        HttpResponse<byte[]> response = exchange("GET", path, null, null, capped(settings.requestTimeout()),
                settings.requestTimeout(), 200, 404);
        if (response.statusCode() == 404) {
            return FeatureFlags.NONE;
        }
        return decode("GET " + path, response, body -> new FeatureFlags(Decode.object(body, "body")));
    }

    @Override
    public List<String> embeddings() throws ComfyException {
        return getJson("/api/embeddings", body -> Decode.strings(body, "body"));
    }

    @Override
    public List<String> extensions() throws ComfyException {
        return getJson("/api/extensions", body -> Decode.strings(body, "body"));
    }

    @Override
    public List<String> modelFolders() throws ComfyException {
        return getJson("/api/models", body -> Decode.strings(body, "body"));
    }

    @Override
    public List<String> models(String folder) throws ComfyException {
        return getJson("/api/models/" + segment(requireText(folder, "folder")), body -> Decode.strings(body, "body"));
    }

    @Override
    public void free(boolean unloadModels, boolean freeMemory) throws ComfyException {
        JsonObject body = new JsonObject();
        if (unloadModels) {
            body.addProperty("unload_models", true);
        }
        if (freeMemory) {
            body.addProperty("free_memory", true);
        }
        postJson("/api/free", body);
    }

    @Override
    public ServerCapabilities probe() throws ComfyException {
        return new ServerCapabilities(systemStats(), features(), hasJobsApi());
    }

    // ---- files

    @Override
    public UploadResult uploadImage(UploadRequest request) throws ComfyException {
        return upload("/api/upload/image", request, null);
    }

    @Override
    public UploadResult uploadMask(UploadRequest request, FileRef original) throws ComfyException {
        JsonObject ref = new JsonObject();
        ref.addProperty("filename", original.filename());
        ref.addProperty("subfolder", original.subfolder());
        ref.addProperty("type", original.type());
        return upload("/api/upload/mask", request, ComfyJson.write(ref));
    }

    private UploadResult upload(String path, UploadRequest request, String originalRef) throws ComfyException {
        String route = "POST " + path;
        Multipart form = new Multipart();
        form.field("type", request.type());
        form.field("subfolder", request.subfolder());
        if (request.overwrite()) {
            form.field("overwrite", "true");
        }
        if (originalRef != null) {
            form.field("original_ref", originalRef);
        }
        BodyPublisher body;
        try {
            body = form.file("image", request.filename(), request.source());
        } catch (FileNotFoundException e) {
            throw new ComfyException(Kind.LOCAL_IO, server.id(), route,
                    "cannot read the file to upload: " + request.source(), e);
        }
        HttpResponse<byte[]> response = exchange("POST", path, body, form.contentType(),
                capped(settings.slowRequestTimeout()), settings.slowRequestTimeout(), 200);
        return decode(route, response, Decode::upload);
    }

    @Override
    public ViewResult view(ViewRequest request, OutputStream out) throws ComfyException {
        String path = viewPath(request);
        String route = "GET " + path;
        HttpResponse<InputStream> response = exchange("GET", path, null, null, BodyHandlers.ofInputStream(),
                settings.slowRequestTimeout(), 200);
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        long copied = 0;
        // small outputs (previews, masks) need no 64 KB buffer each; a missing or lying length only costs reads
        long length = response.headers().firstValueAsLong("Content-Length").orElse(VIEW_BUFFER);
        byte[] buffer = new byte[(int) Math.max(512, Math.min(VIEW_BUFFER, length + 1))];
        try (InputStream in = response.body()) {
            while (true) {
                int n;
                try {
                    n = in.read(buffer);
                } catch (IOException e) {
                    throw new ComfyException(Kind.CONNECTION_LOST, server.id(), route, 200, "",
                            "download broke off after " + copied + " bytes: " + e.getMessage(), e);
                }
                if (n < 0) {
                    break;
                }
                try {
                    out.write(buffer, 0, n);
                } catch (IOException e) {
                    throw new ComfyException(Kind.LOCAL_IO, server.id(), route,
                            "cannot write the download after " + copied + " bytes: " + e.getMessage(), e);
                }
                copied += n;
            }
        } catch (IOException e) {
            // only close() can get here; the body has been read completely
        }
        return new ViewResult(copied, contentType);
    }

    @Override
    public ViewResult view(ViewRequest request, Path target) throws ComfyException {
        String route = "GET " + viewPath(request);
        Path dir = target.toAbsolutePath().getParent();
        Path temp;
        try {
            Files.createDirectories(dir);
            temp = Files.createTempFile(dir, "." + target.getFileName(), ".part");
        } catch (IOException e) {
            throw new ComfyException(Kind.LOCAL_IO, server.id(), route, "cannot create a file in " + dir, e);
        }
        boolean done = false;
        try {
            ViewResult result;
            try (OutputStream out = Files.newOutputStream(temp)) {
                result = view(request, out);
            }
            try {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
            return result;
        } catch (IOException e) {
            throw new ComfyException(Kind.LOCAL_IO, server.id(), route, "cannot write " + target, e);
        } finally {
            if (!done) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException e) {
                    // a stale .part file is harmless; the failure being reported matters more
                }
            }
        }
    }

    private static String viewPath(ViewRequest request) {
        FileRef file = request.file();
        StringBuilder b = new StringBuilder("/api/view?filename=").append(param(file.filename()))
                .append("&subfolder=").append(param(file.subfolder())).append("&type=").append(param(file.type()));
        request.preview().ifPresent(p -> b.append("&preview=").append(param(p)));
        request.channel().ifPresent(c -> b.append("&channel=").append(param(c)));
        return b.toString();
    }

    // ---- user data

    @Override
    public List<UserDataFile> listUserData(String dir, boolean recurse) throws ComfyException {
        String path = "/api/userdata?dir=" + param(requireText(dir, "dir")) + "&recurse=" + recurse
                + "&full_info=true&split=false";
        return getJson(path, Decode::userData);
    }

    @Override
    public Optional<byte[]> readUserData(String file) throws ComfyException {
        String path = "/api/userdata/" + segment(requireText(file, "path"));
        HttpResponse<byte[]> response = exchange("GET", path, null, null, capped(settings.requestTimeout()),
                settings.requestTimeout(), 200, 404);
        return response.statusCode() == 404 ? Optional.empty() : Optional.of(response.body());
    }

    @Override
    public void writeUserData(String file, byte[] content, boolean overwrite) throws ComfyException {
        String path = "/api/userdata/" + segment(requireText(file, "path")) + "?overwrite=" + overwrite
                + "&full_info=false";
        exchange("POST", path, BodyPublishers.ofByteArray(content), "application/octet-stream",
                capped(settings.requestTimeout()), settings.requestTimeout(), 200);
    }

    @Override
    public void deleteUserData(String file) throws ComfyException {
        String path = "/api/userdata/" + segment(requireText(file, "path"));
        exchange("DELETE", path, null, null, capped(settings.requestTimeout()), settings.requestTimeout(), 200, 204);
    }

    @Override
    public String toString() {
        return "ComfyClient[" + server + "]";
    }

    // ---- the one place that talks HTTP

    private <T> T getJson(String path, Function<JsonElement, T> decoder) throws ComfyException {
        HttpResponse<byte[]> response = exchange("GET", path, null, null, capped(settings.requestTimeout()),
                settings.requestTimeout(), 200);
        return decode("GET " + path, response, decoder);
    }

    /** POST of a JSON body to a route that answers 200 with an empty body. */
    private void postJson(String path, JsonObject body) throws ComfyException {
        exchange("POST", path, json(body), "application/json", capped(settings.requestTimeout()),
                settings.requestTimeout(), 200);
    }

    /**
     * Sends one request and returns the response if its status is one of {@code expected}; throws the typed
     * failure otherwise. A 401 to headers a credential provider gave is retried once with the provider's fresh ones.
     */
    private <T> HttpResponse<T> exchange(String method, String path, BodyPublisher body, String contentType,
            BodyHandler<T> handler, Duration timeout, int... expected) throws ComfyException {
        String route = method + " " + path;
        HttpResponse<T> response = send(method, path, body, contentType, handler, timeout,
                credentials.headers(server, route));
        if (response.statusCode() == 401 && !expects(expected, 401) && credentials.rejected(server)) {
            discard(response);
            // every body publisher used here (bytes, string, file, their concatenation) can be sent again
            response = send(method, path, body, contentType, handler, timeout, credentials.headers(server, route));
        }
        if (expects(expected, response.statusCode())) {
            return response;
        }
        if (response.body() instanceof InputStream in) {
            // a streamed download that failed: read just enough of the error body to report it
            try (in) {
                throw statusFailure(route, response, in.readNBytes(EXCERPT_CHARS * 4));
            } catch (IOException e) {
                throw statusFailure(route, response, new byte[0]);
            }
        }
        throw statusFailure(route, response);
    }

    /** One request with these headers, its transport failures typed. */
    private <T> HttpResponse<T> send(String method, String path, BodyPublisher body, String contentType,
            BodyHandler<T> handler, Duration timeout, java.util.Map<String, String> authHeaders)
            throws ComfyException {
        String route = method + " " + path;
        HttpRequest.Builder builder = HttpRequest.newBuilder(server.resolve(path)).timeout(timeout)
                .method(method, body == null ? BodyPublishers.noBody() : body);
        if (contentType != null) {
            builder.header("Content-Type", contentType);
        }
        builder.header("Accept", "application/json, */*;q=0.5");
        authHeaders.forEach(builder::header);
        AnswerTracker<T> tracker = new AnswerTracker<>(handler);
        try {
            return http.send(builder.build(), tracker);
        } catch (HttpConnectTimeoutException e) {
            throw new ComfyException(Kind.TIMEOUT, server.id(), route,
                    "no connection within " + settings.connectTimeout().toMillis() + " ms", e);
        } catch (HttpTimeoutException e) {
            if (tracker.answered()) {
                // the headers came in time; the body did not (see CappedBytes)
                throw new ComfyException(Kind.TIMEOUT, server.id(), route, tracker.status(), "",
                        "the answer did not end within " + timeout.multipliedBy(2).toMillis() + " ms", e);
            }
            throw new ComfyException(Kind.TIMEOUT, server.id(), route,
                    "no answer within " + timeout.toMillis() + " ms", e);
        } catch (ConnectException e) {
            if (unresolved(e)) {
                // the JDK reports an unknown host as a ConnectException; it is not a refusal
                throw new ComfyException(Kind.CONNECTION_FAILED, server.id(), route,
                        "host name does not resolve: " + server.baseUrl().getHost(), e);
            }
            throw new ComfyException(Kind.CONNECTION_REFUSED, server.id(), route,
                    "nothing accepts connections at " + server.baseUrl(), e);
        } catch (IOException e) {
            if (tracker.answered()) {
                throw new ComfyException(Kind.CONNECTION_LOST, server.id(), route, tracker.status(), "",
                        "the connection broke while reading the answer: " + describe(e), e);
            }
            throw new ComfyException(Kind.CONNECTION_FAILED, server.id(), route, describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ComfyException(Kind.INTERRUPTED, server.id(), route, "interrupted while waiting", e);
        }
    }

    /**
     * The body as bytes, at most {@link #MAX_ANSWER_BYTES}, and whole within the request's timeout once the headers
     * came: more, or later, fails the request.
     */
    private BodyHandler<byte[]> capped(Duration timeout) {
        return info -> new CappedBytes(HttpResponse.BodySubscribers.ofByteArray(), deadlines, timeout);
    }

    /**
     * Counts what arrives and stops at the cap, or when the body's deadline passes (a server that sends its headers and
     * then nothing, or a byte a second, would hold a synchronous request for ever).
     */
    private static final class CappedBytes implements HttpResponse.BodySubscriber<byte[]>, BodyDeadlines.Late {
        private final HttpResponse.BodySubscriber<byte[]> delegate;
        private final BodyDeadlines deadlines;
        private Flow.Subscription subscription;
        private long received;
        private boolean stopped;

        CappedBytes(HttpResponse.BodySubscriber<byte[]> delegate, BodyDeadlines deadlines, Duration timeout) {
            this.delegate = delegate;
            this.deadlines = deadlines;
            // created once the headers came: the body gets as long as they could take
            deadlines.watch(this, timeout);
        }

        @Override
        public synchronized void late() {
            if (!stopped) {
                stopped = true;
                if (subscription != null) {
                    subscription.cancel();
                }
                delegate.onError(new HttpTimeoutException("the answer did not end in time"));
            }
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return delegate.getBody();
        }

        @Override
        public synchronized void onSubscribe(Flow.Subscription s) {
            subscription = s;
            delegate.onSubscribe(s);
            if (stopped) {
                s.cancel();
            }
        }

        @Override
        public synchronized void onNext(List<ByteBuffer> items) {
            if (stopped) {
                return;
            }
            for (ByteBuffer b : items) {
                received += b.remaining();
            }
            if (received > MAX_ANSWER_BYTES) {
                stopped = true;
                deadlines.done(this);
                subscription.cancel();
                delegate.onError(new IOException("the answer is larger than " + (MAX_ANSWER_BYTES >> 20)
                        + " MiB, more than any ComfyUI route sends"));
                return;
            }
            delegate.onNext(items);
        }

        @Override
        public synchronized void onError(Throwable error) {
            deadlines.done(this);
            if (!stopped) {
                delegate.onError(error);
            }
        }

        @Override
        public synchronized void onComplete() {
            deadlines.done(this);
            if (!stopped) {
                delegate.onComplete();
            }
        }
    }

    private static boolean expects(int[] expected, int status) {
        for (int e : expected) {
            if (e == status) {
                return true;
            }
        }
        return false;
    }

    /** Closes a streamed body that will not be read. */
    private static void discard(HttpResponse<?> response) {
        if (response.body() instanceof InputStream in) {
            try {
                in.close();
            } catch (IOException e) {
                // the connection is dropped instead of reused; nothing else to do
            }
        }
    }

    private ComfyException statusFailure(String route, HttpResponse<?> response) {
        return statusFailure(route, response, response.body() instanceof byte[] bytes ? bytes : new byte[0]);
    }

    private ComfyException statusFailure(String route, HttpResponse<?> response, byte[] body) {
        int status = response.statusCode();
        String excerpt = excerpt(body, response);
        if (status == 401) {
            return new ComfyException(Kind.UNAUTHORIZED, server.id(), route, status, excerpt,
                    server.auth() instanceof ServerAuth.Provided provided
                            ? "the server rejected the credentials of provider '" + provided.provider()
                                    + "', also the ones asked for again after the first refusal"
                            : server.auth().headers().isEmpty()
                                    ? "the server demands authentication; configure the server's auth"
                                    : "the server rejected the configured " + server.auth().kind() + " credentials",
                    null);
        }
        String detail = response.headers().firstValue("Location").map(l -> "redirected to " + l + "; check the base URL")
                .orElse("unexpected status");
        return new ComfyException(Kind.HTTP_STATUS, server.id(), route, status, excerpt, detail, null);
    }

    private <T> T decode(String route, HttpResponse<byte[]> response, Function<JsonElement, T> decoder)
            throws ComfyException {
        requireJson(route, response);
        try {
            JsonElement json = ComfyJson.parse(new String(response.body(), StandardCharsets.UTF_8), "body");
            return decoder.apply(json);
        } catch (RuntimeException e) {
            throw badResponse(route, response, e);
        }
    }

    private void requireJson(String route, HttpResponse<byte[]> response) throws ComfyException {
        if (!isJson(response)) {
            throw new ComfyException(Kind.BAD_RESPONSE, server.id(), route, response.statusCode(), excerpt(response),
                    "expected JSON but the Content-Type is '"
                            + response.headers().firstValue("Content-Type").orElse("(none)") + "'",
                    null);
        }
    }

    private ComfyException badResponse(String route, HttpResponse<byte[]> response, RuntimeException e) {
        return new ComfyException(Kind.BAD_RESPONSE, server.id(), route, response.statusCode(), excerpt(response),
                e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), e);
    }

    private static boolean isJson(HttpResponse<?> response) {
        String type = response.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
        int semicolon = type.indexOf(';');
        String mime = (semicolon < 0 ? type : type.substring(0, semicolon)).strip();
        return mime.equals("application/json") || mime.endsWith("+json");
    }

    private static String excerpt(HttpResponse<?> response) {
        return response.body() instanceof byte[] bytes ? excerpt(bytes, response) : "";
    }

    /**
     * The beginning of a body, for a message: a proxy that echoes the request (some do, in their error pages) would
     * put the credentials it was sent into messages and logs, so their values are masked.
     */
    private static String excerpt(byte[] bytes, HttpResponse<?> response) {
        if (bytes.length == 0) {
            return "";
        }
        String text = masked(new String(bytes, 0, Math.min(bytes.length, EXCERPT_CHARS * 4), StandardCharsets.UTF_8),
                response.request());
        StringBuilder b = new StringBuilder();
        text.codePoints().limit(EXCERPT_CHARS)
                .forEach(c -> b.appendCodePoint(Character.isISOControl(c) && c != '\n' ? '\uFFFD' : c));
        if (text.codePointCount(0, text.length()) > EXCERPT_CHARS || bytes.length > EXCERPT_CHARS * 4) {
            b.append('\u2026');
        }
        return b.toString();
    }

    /** The text with the values of the request's own headers (its credentials) masked. */
    static String masked(String text, HttpRequest request) {
        String out = text;
        for (var header : request.headers().map().entrySet()) {
            if (header.getKey().equalsIgnoreCase("Accept") || header.getKey().equalsIgnoreCase("Content-Type")) {
                continue;
            }
            for (String value : header.getValue()) {
                // "Bearer TOKEN": an echo may show the token alone
                int space = value.indexOf(' ');
                for (String secret : space < 0 ? List.of(value) : List.of(value, value.substring(space + 1))) {
                    if (secret.strip().length() >= 4) {
                        out = out.replace(secret.strip(), "***");
                    }
                }
            }
        }
        return out;
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        Throwable cause = e.getCause();
        if ((message == null || message.isEmpty()) && cause != null) {
            message = cause.getMessage();
        }
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private static BodyPublisher json(JsonObject body) {
        return BodyPublishers.ofString(ComfyJson.write(body), StandardCharsets.UTF_8);
    }

    private static JsonArray ids(Collection<String> ids) {
        JsonArray array = new JsonArray();
        ids.forEach(id -> array.add(requireText(id, "id")));
        return array;
    }

    /** Query parameter value, percent-encoded ({@code %20} for space, as aiohttp expects). */
    static String param(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Path segment: everything but unreserved characters encoded, including {@code /} (userdata needs %2F). */
    static String segment(String value) {
        return param(value).replace("*", "%2A");
    }

    private static String requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        return value;
    }

    /** Remembers whether the server began to answer, to tell a refused/failed connection from a broken answer. */
    private static final class AnswerTracker<T> implements BodyHandler<T> {
        private final BodyHandler<T> delegate;
        private volatile int status;

        AnswerTracker(BodyHandler<T> delegate) {
            this.delegate = delegate;
        }

        @Override
        public HttpResponse.BodySubscriber<T> apply(HttpResponse.ResponseInfo info) {
            status = info.statusCode();
            return delegate.apply(info);
        }

        boolean answered() {
            return status != 0;
        }

        int status() {
            return status;
        }
    }

    /** multipart/form-data whose file part is streamed from disk. */
    private static final class Multipart {
        private final String boundary = "----comfy-workbench-" + UUID.randomUUID();
        private final StringBuilder fields = new StringBuilder();

        void field(String name, String value) {
            fields.append("--").append(boundary).append("\r\n")
                    .append("Content-Disposition: form-data; name=\"").append(name).append("\"\r\n\r\n")
                    .append(value).append("\r\n");
        }

        BodyPublisher file(String name, String filename, Path source) throws FileNotFoundException {
            String head = fields + "--" + boundary + "\r\n" + "Content-Disposition: form-data; name=\"" + name
                    + "\"; filename=\"" + filename + "\"\r\n" + "Content-Type: " + mediaType(filename) + "\r\n\r\n";
            return BodyPublishers.concat(BodyPublishers.ofString(head, StandardCharsets.UTF_8),
                    BodyPublishers.ofFile(source),
                    BodyPublishers.ofString("\r\n--" + boundary + "--\r\n", StandardCharsets.UTF_8));
        }

        String contentType() {
            return "multipart/form-data; boundary=" + boundary;
        }

        private static String mediaType(String filename) {
            String lower = filename.toLowerCase(Locale.ROOT);
            if (lower.endsWith(".png")) {
                return "image/png";
            }
            if (lower.endsWith(".jpg") || lower.endsWith(".jpeg")) {
                return "image/jpeg";
            }
            if (lower.endsWith(".webp")) {
                return "image/webp";
            }
            return "application/octet-stream";
        }
    }

    private static boolean unresolved(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.nio.channels.UnresolvedAddressException || t instanceof java.net.UnknownHostException) {
                return true;
            }
        }
        return false;
    }

    /** {@code /queue} and {@code /history} share one body for deleting: {@code {"delete": [ids]}}. */
    private void postDelete(String route, Collection<String> promptIds) throws ComfyException {
        JsonObject body = new JsonObject();
        body.add("delete", ids(promptIds));
        postJson(route, body);
    }

    /** ... and one for clearing: {@code {"clear": true}}. */
    private void postClear(String route) throws ComfyException {
        JsonObject body = new JsonObject();
        body.addProperty("clear", true);
        postJson(route, body);
    }
}
