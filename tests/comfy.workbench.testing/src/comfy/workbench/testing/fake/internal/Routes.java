package comfy.workbench.testing.fake.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.URIUtil;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/** The HTTP routes of ComfyUI 0.3.64 (plus the newer {@code /api/jobs} family when enabled), bare and {@code /api}-prefixed. */
public final class Routes extends Handler.Abstract {

    /** The parts of the server the routes act on. */
    public record Backend(PromptQueue queue, Executor executor, ObjectInfo info, PromptValidator validator, Storage storage,
            boolean jobsApi, String pathPrefix, byte[] webpSample) {
    }

    private static final String JSON = "application/json; charset=utf-8";
    private static final List<String> MODEL_FOLDERS = List.of("checkpoints", "configs", "loras", "vae", "text_encoders",
            "diffusion_models", "clip_vision", "style_models", "embeddings", "diffusers", "vae_approx", "controlnet", "gligen",
            "upscale_models", "custom_nodes", "hypernetworks", "photomaker", "classifiers", "model_patches", "audio_encoders");

    private final Backend b;
    private final Map<String, Long> createTimes = new ConcurrentHashMap<>();

    public Routes(Backend backend) {
        this.b = backend;
    }

    /** The route a path belongs to, e.g. {@code "GET /history/{id}"}: the key faults and counters use. */
    public static String routeKey(String method, String path) {
        String p = path;
        if (p.startsWith("/api/")) {
            p = p.substring(4);
        }
        if (p.startsWith("/api/jobs")) {
            p = p.substring(4);
            return method + " /api" + template(p);
        }
        if (p.startsWith("/jobs") && path.startsWith("/api/jobs")) {
            return method + " /api" + template(p);
        }
        return method + " " + template(p);
    }

    private static String template(String p) {
        for (String base : List.of("/history/", "/object_info/", "/models/", "/userdata/")) {
            if (p.startsWith(base) && p.length() > base.length()) {
                return base + "{id}";
            }
        }
        if (p.startsWith("/jobs/") && !p.equals("/jobs/cancel")) {
            return p.endsWith("/cancel") ? "/jobs/{id}/cancel" : "/jobs/{id}";
        }
        return p;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = request.getHttpURI().getPath();
        if (!b.pathPrefix().isEmpty()) {
            path = path.substring(b.pathPrefix().length());
        }
        String method = request.getMethod();
        String key = routeKey(method, path.isEmpty() ? "/" : path);
        String route = key.substring(key.indexOf(' ') + 1);
        boolean api = path.startsWith("/api/");
        String tail = api ? path.substring(4) : path;
        if (route.startsWith("/api/jobs") && !b.jobsApi()) {
            return empty(response, callback, 404);
        }
        switch (key) {
            case "GET /":
                return send(response, callback, 200, "text/html",
                        "<!doctype html><title>ComfyUI (fake)</title><p>Fake ComfyUI server; API only.</p>\n".getBytes(StandardCharsets.UTF_8));
            case "GET /system_stats":
                return json(response, callback, 200, systemStats());
            case "GET /features":
                return json(response, callback, 200, features());
            case "GET /embeddings", "GET /extensions":
                return json(response, callback, 200, new JsonArray());
            case "GET /models":
                return json(response, callback, 200, Json.strings(MODEL_FOLDERS));
            case "GET /models/{id}":
                return MODEL_FOLDERS.contains(lastSegment(tail)) ? json(response, callback, 200, new JsonArray()) : empty(response, callback, 404);
            case "GET /object_info":
                return send(response, callback, 200, JSON, b.info().text().getBytes(StandardCharsets.UTF_8));
            case "GET /object_info/{id}": {
                String cls = lastSegment(tail);
                JsonObject c = b.info().get(cls);
                return json(response, callback, 200, c == null ? new JsonObject() : Json.obj(cls, c));
            }
            case "GET /prompt":
                return json(response, callback, 200, Json.obj("exec_info", Json.obj("queue_remaining", b.queue().remaining())));
            case "POST /prompt":
                return postPrompt(request, response, callback);
            case "GET /queue":
                return getQueue(response, callback);
            case "POST /queue": {
                JsonObject body = bodyObject(request);
                if (body.has("clear") && body.get("clear").getAsBoolean()) {
                    b.queue().clear();
                }
                if (body.has("delete")) {
                    body.getAsJsonArray("delete").forEach(id -> b.queue().delete(id.getAsString()));
                }
                return empty(response, callback, 200);
            }
            case "POST /interrupt": {
                JsonObject body = bodyObject(request);
                String target = Json.str(body, "prompt_id");
                PromptQueue.Item running = b.queue().running();
                if (target == null || (running != null && running.promptId().equals(target))) {
                    b.executor().interrupt();
                }
                return empty(response, callback, 200);
            }
            case "POST /free":
                bodyObject(request);
                return empty(response, callback, 200);
            case "GET /history": {
                Fields q = Request.extractQueryParameters(request);
                Integer max = q.getValue("max_items") == null ? null : Integer.valueOf(q.getValue("max_items"));
                int offset = q.getValue("offset") == null ? -1 : Integer.parseInt(q.getValue("offset"));
                return json(response, callback, 200, b.queue().history(max, offset));
            }
            case "GET /history/{id}":
                return json(response, callback, 200, b.queue().history(lastSegment(tail)));
            case "POST /history": {
                JsonObject body = bodyObject(request);
                if (body.has("clear") && body.get("clear").getAsBoolean()) {
                    b.queue().clearHistory();
                }
                if (body.has("delete")) {
                    body.getAsJsonArray("delete").forEach(id -> b.queue().deleteHistory(id.getAsString()));
                }
                return empty(response, callback, 200);
            }
            case "POST /upload/image", "POST /upload/mask":
                return upload(request, response, callback, key.endsWith("mask"));
            case "GET /view":
                return view(request, response, callback);
            case "GET /userdata":
                return listUserdata(request, response, callback);
            case "GET /userdata/{id}", "POST /userdata/{id}", "DELETE /userdata/{id}":
                return userdata(request, response, callback, method, URIUtil.decodePath(tail.substring("/userdata/".length())));
            case "GET /api/jobs":
                return listJobs(request, response, callback);
            case "POST /api/jobs/cancel": {
                boolean any = false;
                JsonObject body = bodyObject(request);
                for (JsonElement id : body.has("job_ids") ? body.getAsJsonArray("job_ids") : new JsonArray()) {
                    any |= cancel(id.getAsString());
                }
                return json(response, callback, 200, Json.obj("cancelled", any));
            }
            case "GET /api/jobs/{id}": {
                JsonObject job = job(lastSegment(tail), true);
                return job == null ? json(response, callback, 404, Json.obj("error", "Job not found")) : json(response, callback, 200, job);
            }
            case "POST /api/jobs/{id}/cancel": {
                String[] parts = tail.split("/");
                return json(response, callback, 200, Json.obj("cancelled", cancel(parts[parts.length - 2])));
            }
            default:
                return empty(response, callback, 404);
        }
    }

    private boolean postPrompt(Request request, Response response, Callback callback) throws IOException {
        JsonObject body;
        try {
            body = Json.parse(new String(bodyBytes(request), StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (RuntimeException e) {
            return serverError(response, callback);
        }
        Number number;
        if (body.has("number")) {
            number = body.get("number").getAsDouble();
        } else {
            long n = b.queue().nextNumber();
            number = body.has("front") && body.get("front").getAsBoolean() ? -n : n;
        }
        if (!body.has("prompt") || !body.get("prompt").isJsonObject()) {
            return json(response, callback, 400, Json.obj("error",
                    PromptValidator.error("no_prompt", "No prompt provided", "No prompt provided"), "node_errors", new JsonObject()));
        }
        String promptId = Json.str(body, "prompt_id");
        if (promptId != null && b.jobsApi() && !promptId.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")) {
            return json(response, callback, 400, Json.obj("error", PromptValidator.error("invalid_prompt_id",
                    "Invalid prompt_id format", "prompt_id must be a canonical UUID"), "node_errors", new JsonObject()));
        }
        if (promptId == null) {
            promptId = UUID.randomUUID().toString();
        }
        List<String> targets = null;
        if (body.has("partial_execution_targets") && body.get("partial_execution_targets").isJsonArray()) {
            targets = new ArrayList<>();
            for (JsonElement t : body.getAsJsonArray("partial_execution_targets")) {
                targets.add(t.getAsString());
            }
        }
        JsonObject prompt = body.getAsJsonObject("prompt");
        PromptValidator.Result result = b.validator().validate(prompt, targets);
        if (!result.ok()) {
            return json(response, callback, 400, Json.obj("error", result.error(), "node_errors", result.nodeErrors()));
        }
        JsonObject extra = body.has("extra_data") && body.get("extra_data").isJsonObject() ? body.getAsJsonObject("extra_data").deepCopy() : new JsonObject();
        if (body.has("client_id") && !body.get("client_id").isJsonNull()) {
            extra.add("client_id", body.get("client_id"));
        }
        // the "sensitive" slot of the real queue item: partner credentials never show in queue or history
        extra.remove("auth_token_comfy_org");
        extra.remove("api_key_comfy_org");
        createTimes.put(promptId, System.currentTimeMillis());
        b.queue().put(new PromptQueue.Item(number, promptId, prompt, extra, result.goodOutputs()));
        return json(response, callback, 200, Json.obj("prompt_id", promptId, "number", number, "node_errors", result.nodeErrors()));
    }

    private boolean getQueue(Response response, Callback callback) {
        JsonArray running = new JsonArray();
        PromptQueue.Item r = b.queue().running();
        if (r != null) {
            running.add(r.toJson());
        }
        JsonArray pending = new JsonArray();
        b.queue().pending().forEach(i -> pending.add(i.toJson()));
        return json(response, callback, 200, Json.obj("queue_running", running, "queue_pending", pending));
    }

    private boolean upload(Request request, Response response, Callback callback, boolean mask) throws IOException {
        Map<String, Multipart.Part> parts = Multipart.parse(request.getHeaders().get(HttpHeader.CONTENT_TYPE), bodyBytes(request));
        Multipart.Part image = parts.get("image");
        if (image == null || image.filename() == null || image.filename().isEmpty()) {
            return empty(response, callback, 400);
        }
        String type = parts.containsKey("type") ? parts.get("type").text() : "input";
        Path dir = b.storage().dir(type.isEmpty() ? "input" : type);
        if (dir == null) {
            dir = b.storage().dir("input");
            type = "input";
        }
        String subfolder = parts.containsKey("subfolder") ? parts.get("subfolder").text() : "";
        Path folder = dir.resolve(subfolder).normalize();
        String filename = image.filename();
        Path file = folder.resolve(filename).normalize();
        if (!file.startsWith(dir)) {
            return empty(response, callback, 400);
        }
        String overwrite = parts.containsKey("overwrite") ? parts.get("overwrite").text() : null;
        boolean duplicate = false;
        if (!"true".equals(overwrite) && !"1".equals(overwrite)) {
            int dot = filename.lastIndexOf('.');
            String stem = dot < 0 ? filename : filename.substring(0, dot);
            String ext = dot < 0 ? "" : filename.substring(dot);
            for (int i = 1; Files.exists(file); i++) {
                if (Arrays.equals(sha256(Files.readAllBytes(file)), sha256(image.data()))) {
                    duplicate = true;
                    break;
                }
                filename = stem + " (" + i + ")" + ext;
                file = folder.resolve(filename);
            }
        }
        if (!duplicate) {
            b.storage().write(file, image.data());
        }
        if (mask && parts.containsKey("original_ref")) {
            JsonObject ref = Json.parse(parts.get("original_ref").text()).getAsJsonObject();
            Path originalDir = b.storage().dir(Json.str(ref, "type") == null ? "input" : Json.str(ref, "type"));
            String originalSub = Json.str(ref, "subfolder") == null ? "" : Json.str(ref, "subfolder");
            if (originalDir == null || !Files.isRegularFile(originalDir.resolve(originalSub).resolve(Json.str(ref, "filename")).normalize())) {
                return empty(response, callback, 404);
            }
        }
        return json(response, callback, 200, Json.obj("name", filename, "subfolder", subfolder, "type", type));
    }

    private boolean view(Request request, Response response, Callback callback) throws IOException {
        Fields q = Request.extractQueryParameters(request);
        String filename = q.getValue("filename");
        if (filename == null) {
            return empty(response, callback, 404);
        }
        String type = q.getValue("type") == null ? "output" : q.getValue("type");
        java.util.regex.Matcher annotated = java.util.regex.Pattern.compile("(.*) \\[(input|output|temp)\\]").matcher(filename);
        if (annotated.matches()) {
            filename = annotated.group(1);
            type = annotated.group(2);
        }
        if (filename.isEmpty() || filename.startsWith("/") || filename.contains("..")) {
            return empty(response, callback, 400);
        }
        Path dir = b.storage().dir(type);
        if (dir == null) {
            return empty(response, callback, 400);
        }
        String subfolder = q.getValue("subfolder") == null ? "" : q.getValue("subfolder");
        Path folder = dir.resolve(subfolder).normalize();
        if (!folder.startsWith(dir)) {
            return empty(response, callback, 403);
        }
        Path file = folder.resolve(Path.of(filename).getFileName().toString());
        if (!Files.isRegularFile(file)) {
            return empty(response, callback, 404);
        }
        response.getHeaders().put(HttpHeader.CONTENT_DISPOSITION, "filename=\"" + file.getFileName() + "\"");
        String preview = q.getValue("preview");
        if (preview != null && preview.startsWith("webp") && b.webpSample() != null) {
            // the JDK cannot encode WebP: a previewed image is answered with a genuine sample WebP of the captures
            return send(response, callback, 200, "image/webp", b.webpSample());
        }
        byte[] bytes = Files.readAllBytes(file);
        return send(response, callback, 200, contentType(file.getFileName().toString()), bytes);
    }

    private boolean listUserdata(Request request, Response response, Callback callback) throws IOException {
        Fields q = Request.extractQueryParameters(request);
        String dirParam = q.getValue("dir");
        if (dirParam == null) {
            return empty(response, callback, 400);
        }
        Path root = b.storage().userDir();
        Path dir = root.resolve(dirParam).normalize();
        if (!dir.startsWith(root)) {
            return empty(response, callback, 403);
        }
        if (!Files.isDirectory(dir)) {
            return empty(response, callback, 404);
        }
        boolean recurse = "true".equals(q.getValue("recurse"));
        boolean fullInfo = "true".equals(q.getValue("full_info"));
        JsonArray out = new JsonArray();
        try (Stream<Path> files = recurse ? Files.walk(dir) : Files.list(dir)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                String rel = dir.relativize(f).toString().replace('\\', '/');
                if (fullInfo) {
                    long modified = Files.getLastModifiedTime(f).toMillis();
                    out.add(Json.obj("path", rel, "size", Files.size(f), "modified", modified, "created", modified));
                } else {
                    out.add(rel);
                }
            }
        }
        return json(response, callback, 200, out);
    }

    private boolean userdata(Request request, Response response, Callback callback, String method, String name) throws IOException {
        Path root = b.storage().userDir();
        Path file = root.resolve(name).normalize();
        if (!file.startsWith(root) || file.equals(root)) {
            return empty(response, callback, 403);
        }
        Fields q = Request.extractQueryParameters(request);
        switch (method) {
            case "GET":
                if (!Files.isRegularFile(file)) {
                    return empty(response, callback, 404);
                }
                response.getHeaders().put(HttpHeader.CONTENT_DISPOSITION, "attachment; filename=\"" + file.getFileName() + "\"");
                return send(response, callback, 200, contentType(file.getFileName().toString()), Files.readAllBytes(file));
            case "POST": {
                boolean overwrite = !"false".equals(q.getValue("overwrite"));
                byte[] body = bodyBytes(request);
                if (Files.exists(file) && !overwrite) {
                    return empty(response, callback, 409);
                }
                b.storage().write(file, body);
                String rel = root.relativize(file).toString().replace('\\', '/');
                if ("true".equals(q.getValue("full_info"))) {
                    long modified = Files.getLastModifiedTime(file).toMillis();
                    return json(response, callback, 200, Json.obj("path", rel, "size", Files.size(file), "modified", modified, "created", modified));
                }
                return json(response, callback, 200, Json.of(rel));
            }
            default:
                if (!Files.isRegularFile(file)) {
                    return empty(response, callback, 404);
                }
                Files.delete(file);
                return empty(response, callback, 204);
        }
    }

    private boolean listJobs(Request request, Response response, Callback callback) {
        Fields q = Request.extractQueryParameters(request);
        List<String> statuses = q.getValue("status") == null ? null : List.of(q.getValue("status").split(","));
        int limit;
        int offset;
        try {
            limit = q.getValue("limit") == null ? Integer.MAX_VALUE : Integer.parseInt(q.getValue("limit"));
            offset = q.getValue("offset") == null ? 0 : Integer.parseInt(q.getValue("offset"));
        } catch (NumberFormatException e) {
            return json(response, callback, 400, Json.obj("error", "Invalid limit or offset"));
        }
        List<JsonObject> jobs = new ArrayList<>();
        for (String id : allJobIds()) {
            JsonObject job = job(id, false);
            if (job != null && (statuses == null || statuses.contains(Json.str(job, "status")))) {
                jobs.add(job);
            }
        }
        boolean desc = !"asc".equals(q.getValue("sort_order"));
        jobs.sort((x, y) -> Long.compare(x.get("create_time").getAsLong(), y.get("create_time").getAsLong()) * (desc ? -1 : 1));
        JsonArray page = new JsonArray();
        jobs.stream().skip(offset).limit(limit).forEach(page::add);
        return json(response, callback, 200, Json.obj("jobs", page, "pagination", Json.obj("offset", offset,
                "limit", limit == Integer.MAX_VALUE ? null : limit, "total", jobs.size(), "has_more", offset + page.size() < jobs.size())));
    }

    private List<String> allJobIds() {
        List<String> ids = new ArrayList<>(b.queue().historySnapshot().keySet());
        PromptQueue.Item r = b.queue().running();
        if (r != null) {
            ids.add(r.promptId());
        }
        b.queue().pending().forEach(i -> ids.add(i.promptId()));
        return ids;
    }

    private JsonObject job(String id, boolean detail) {
        Long created = createTimes.getOrDefault(id, 0L);
        PromptQueue.Item running = b.queue().running();
        for (PromptQueue.Item item : b.queue().pending()) {
            if (item.promptId().equals(id)) {
                return jobJson(id, "pending", item, created, new JsonObject(), null, detail);
            }
        }
        if (running != null && running.promptId().equals(id)) {
            return jobJson(id, "in_progress", running, created, new JsonObject(), null, detail);
        }
        JsonObject entry = b.queue().history(id);
        if (!entry.has(id)) {
            return null;
        }
        JsonObject h = entry.getAsJsonObject(id);
        JsonArray p = h.getAsJsonArray("prompt");
        PromptQueue.Item item = new PromptQueue.Item(p.get(0).getAsNumber(), id, p.get(2).getAsJsonObject(), p.get(3).getAsJsonObject(), List.of());
        JsonObject status = h.getAsJsonObject("status");
        JsonObject error = null;
        String state = "completed";
        if ("error".equals(Json.str(status, "status_str"))) {
            state = "failed";
            for (JsonElement m : status.getAsJsonArray("messages")) {
                String type = m.getAsJsonArray().get(0).getAsString();
                if (type.equals("execution_interrupted")) {
                    state = "cancelled";
                }
                if (type.equals("execution_error")) {
                    error = m.getAsJsonArray().get(1).getAsJsonObject();
                }
            }
        }
        return jobJson(id, state, item, created, h.getAsJsonObject("outputs"), error, detail);
    }

    private static JsonObject jobJson(String id, String status, PromptQueue.Item item, long created, JsonObject outputs, JsonObject error,
            boolean detail) {
        int count = 0;
        for (Map.Entry<String, JsonElement> o : outputs.entrySet()) {
            for (Map.Entry<String, JsonElement> kind : o.getValue().getAsJsonObject().entrySet()) {
                if (kind.getValue().isJsonArray() && !kind.getKey().equals("animated")) {
                    count += kind.getValue().getAsJsonArray().size();
                }
            }
        }
        JsonObject job = Json.obj("id", id, "status", status, "priority", item.number(), "create_time", created,
                "execution_error", error, "outputs_count", count);
        if (detail) {
            job.add("outputs", outputs);
            job.add("workflow", Json.obj("prompt", item.prompt(), "extra_data", item.extraData()));
        }
        return job;
    }

    private boolean cancel(String id) {
        PromptQueue.Item running = b.queue().running();
        if (running != null && running.promptId().equals(id)) {
            b.executor().interrupt();
            return true;
        }
        return b.queue().delete(id);
    }

    private JsonObject systemStats() {
        String version = b.jobsApi() ? "0.6.0" : "0.3.64";
        long ram = 16L << 30;
        return Json.obj("system", Json.obj("os", "posix", "ram_total", ram, "ram_free", ram / 2, "comfyui_version", version,
                "required_frontend_version", "1.27.10", "installed_templates_version", null, "required_templates_version", "0.1.95",
                "python_version", "3.11.2 (fake)", "pytorch_version", "1.13.0a0", "embedded_python", false,
                "argv", Json.arr("main.py", "--cpu")),
                "devices", Json.arr(Json.obj("name", "cpu", "type", "cpu", "index", null, "vram_total", ram, "vram_free", ram / 2,
                        "torch_vram_total", ram, "torch_vram_free", ram / 2)));
    }

    /** The server feature flags, also the WebSocket handshake reply (capture 05 shape). */
    public static JsonObject features() {
        return Json.obj("supports_preview_metadata", true, "max_upload_size", 104857600);
    }

    private static String contentType(String name) {
        String n = name.toLowerCase();
        if (n.endsWith(".png")) {
            return "image/png";
        }
        if (n.endsWith(".webp")) {
            return "image/webp";
        }
        if (n.endsWith(".jpg") || n.endsWith(".jpeg")) {
            return "image/jpeg";
        }
        if (n.endsWith(".json")) {
            return "application/json";
        }
        return "application/octet-stream";
    }

    private static String lastSegment(String path) {
        return URIUtil.decodePath(path.substring(path.lastIndexOf('/') + 1));
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] bodyBytes(Request request) throws IOException {
        return Content.Source.asInputStream(request).readAllBytes();
    }

    private static JsonObject bodyObject(Request request) throws IOException {
        String text = new String(bodyBytes(request), StandardCharsets.UTF_8);
        if (text.isBlank()) {
            return new JsonObject();
        }
        JsonElement e = Json.parse(text);
        return e.isJsonObject() ? e.getAsJsonObject() : new JsonObject();
    }

    private static boolean json(Response response, Callback callback, int status, JsonElement body) {
        return send(response, callback, status, JSON, Json.write(body).getBytes(StandardCharsets.UTF_8));
    }

    /** aiohttp's bare status answers: no body, {@code application/octet-stream} (captures 00, 09, 13). */
    static boolean empty(Response response, Callback callback, int status) {
        return send(response, callback, status, status == 204 ? null : "application/octet-stream", new byte[0]);
    }

    /** aiohttp's answer to an exception in a handler (capture 08, non-JSON body). */
    static boolean serverError(Response response, Callback callback) {
        return send(response, callback, 500, "text/plain; charset=utf-8",
                "500 Internal Server Error\n\nServer got itself in trouble".getBytes(StandardCharsets.UTF_8));
    }

    static boolean send(Response response, Callback callback, int status, String contentType, byte[] body) {
        response.setStatus(status);
        if (contentType != null) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        }
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }
}
