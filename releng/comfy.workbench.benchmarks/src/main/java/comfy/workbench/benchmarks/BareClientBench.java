package comfy.workbench.benchmarks;

import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The floor under the queue's overhead figure: the protocol steps of one job done by the barest client — send the
 * prompt, wait on the socket for its end, download its image to a file — with nothing else (no job store, no
 * tracking, no events, no retries), one job at a time against a running server. What {@code comfy run} takes per
 * job beyond this is the client's own overhead; the rest is the server's work and the round trips any client pays.
 * <p>
 * Usage: {@code java -cp benchmarks.jar comfy.workbench.benchmarks.BareClientBench URL JOBS OUT_DIR [WARMUP]}: WARMUP
 * jobs (default 1,000) first, so that the floor is the protocol's and not this JVM's warm-up; prints one line:
 * {@code bare: N jobs one at a time, sent -> output on disk: median X ms, p99 Y ms}.
 */
public final class BareClientBench {

    private BareClientBench() {
    }

    public static void main(String[] args) throws Exception {
        URI base = URI.create(args[0]);
        int jobs = Integer.parseInt(args[1]);
        Path out = Files.createDirectories(Path.of(args[2]));
        int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 1_000;
        String clientId = "bare-" + UUID.randomUUID();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Map<String, LinkedBlockingQueue<JsonObject>> ends = new ConcurrentHashMap<>();
        Map<String, JsonObject> images = new ConcurrentHashMap<>();
        WebSocket.Listener listener = new WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    JsonObject message = JsonParser.parseString(text.toString()).getAsJsonObject();
                    text.setLength(0);
                    String type = message.get("type").getAsString();
                    JsonObject d = message.getAsJsonObject("data");
                    if (type.equals("executed") && d.getAsJsonObject("output").has("images")) {
                        images.put(d.get("prompt_id").getAsString(),
                                d.getAsJsonObject("output").getAsJsonArray("images").get(0).getAsJsonObject());
                    } else if (type.equals("execution_success") || type.equals("execution_error")) {
                        ends.computeIfAbsent(d.get("prompt_id").getAsString(), k -> new LinkedBlockingQueue<>()).add(d);
                    }
                }
                ws.request(1);
                return null;
            }
        };
        URI ws = URI.create(base.toString().replaceFirst("^http", "ws") + "/ws?clientId=" + clientId);
        WebSocket socket = http.newWebSocketBuilder().buildAsync(ws, listener).get(10, TimeUnit.SECONDS);
        double[] millis = new double[jobs];
        for (int i = -warmup; i < jobs; i++) {
            String promptId = UUID.randomUUID().toString();
            String prompt = "{\"1\":{\"class_type\":\"EmptyImage\",\"inputs\":{\"width\":8,\"height\":8,\"batch_size\":1,"
                    + "\"color\":" + (500_000 + i + warmup) + "}},\"2\":{\"class_type\":\"SaveImage\",\"inputs\":{\"images\":[\"1\",0],"
                    + "\"filename_prefix\":\"bare" + (i + warmup) + "\"}}}";
            long start = System.nanoTime();
            HttpResponse<String> accepted = http.send(HttpRequest.newBuilder(URI.create(base + "/api/prompt"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                            "{\"prompt\":" + prompt + ",\"client_id\":\"" + clientId + "\",\"prompt_id\":\"" + promptId + "\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (accepted.statusCode() != 200) {
                throw new IllegalStateException("the server refused the prompt: " + accepted.body());
            }
            JsonObject end = ends.computeIfAbsent(promptId, k -> new LinkedBlockingQueue<>()).poll(30, TimeUnit.SECONDS);
            if (end == null || images.get(promptId) == null) {
                throw new IllegalStateException("no end or no image for " + promptId);
            }
            JsonObject image = images.remove(promptId);
            ends.remove(promptId);
            String query = "filename=" + encode(image.get("filename").getAsString()) + "&subfolder="
                    + encode(image.get("subfolder").getAsString()) + "&type=" + encode(image.get("type").getAsString());
            HttpResponse<InputStream> view = http.send(HttpRequest.newBuilder(URI.create(base + "/api/view?" + query)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = view.body()) {
                Files.copy(body, out.resolve(image.get("filename").getAsString()), StandardCopyOption.REPLACE_EXISTING);
            }
            if (i >= 0) {
                millis[i] = (System.nanoTime() - start) / 1e6;
            }
        }
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
        Arrays.sort(millis);
        System.out.printf(Locale.ROOT, "bare: %d jobs one at a time, sent -> output on disk: median %.2f ms, p99 %.2f ms%n",
                jobs, millis[jobs / 2], millis[Math.min(jobs - 1, (int) Math.round(0.99 * (jobs - 1)))]);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
