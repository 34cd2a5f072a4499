package comfy.workbench.testing.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import comfy.workbench.testing.captures.Captures;
import comfy.workbench.testing.fake.FakeComfyServer;

/**
 * Replays every capture against one fake server, in the order the captures were recorded (00–09, 11–14, 10) so
 * that counters, caches and history build up as they did on the real server, and compares each response's status,
 * content type and JSON shape, and each socket's message-type sequence and message shapes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CaptureContractTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final Captures captures = Captures.locate();
    private final HttpClient http = HttpClient.newHttpClient();
    private final Map<String, String> substitutions = new LinkedHashMap<>();
    private FakeComfyServer server;

    @BeforeAll
    void start() {
        // the slow graphs of 07, 09 and 12 chain ImageBlur nodes; long enough to interrupt and to queue behind,
        // with a margin for a cold JVM on a loaded 2-core CI machine
        server = FakeComfyServer.builder().nodeDuration("ImageBlur", Duration.ofMillis(800)).start();
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test @Order(0) void httpEndpoints() throws Exception { replay("00_http_endpoints.jsonl"); }
    @Test @Order(1) void promptSuccess() throws Exception { replay("01_prompt_success_ws.jsonl"); }
    @Test @Order(2) void promptCached() throws Exception { replay("02_prompt_cached_ws.jsonl"); }
    @Test @Order(3) void uploadLoadImage() throws Exception { replay("03_upload_loadimage_ws.jsonl"); }
    @Test @Order(4) void progressBinaryLegacy() throws Exception { replay("04_ws_progress_binary_legacy.jsonl"); }
    @Test @Order(5) void progressBinaryMetadata() throws Exception { replay("05_ws_progress_binary_metadata.jsonl"); }
    @Test @Order(6) void executionError() throws Exception { replay("06_execution_error_ws.jsonl"); }
    @Test @Order(7) void executionInterrupted() throws Exception { replay("07_execution_interrupted_ws.jsonl"); }
    @Test @Order(8) void validationErrors() throws Exception { replay("08_prompt_validation_errors.jsonl"); }
    @Test @Order(9) void queueManagement() throws Exception { replay("09_queue_management.jsonl"); }
    @Test @Order(11) void clientIdAndExtraData() throws Exception { replay("11_client_id_and_extra_data.jsonl"); }
    @Test @Order(12) void reconnectDuringExecution() throws Exception { replay("12_ws_reconnect_during_execution.jsonl"); }
    @Test @Order(13) void viewVariants() throws Exception { replay("13_view_variants.jsonl"); }
    @Test @Order(14) void outputVariants() throws Exception { replay("14_output_variants_ws.jsonl"); }
    @Test @Order(15) void historyManagement() throws Exception { replay("10_history_management.jsonl"); }

    @Test @Order(16)
    void everyTranscriptIsReplayed() {
        assertEquals(15, captures.transcripts().size(), "a new capture needs a replay test here: " + captures.transcripts());
    }

    private void replay(String transcript) throws Exception {
        List<JsonObject> records = captures.records(transcript);
        Map<String, WsProbe> sockets = new HashMap<>();
        Map<String, List<JsonObject>> expected = new HashMap<>();
        List<String> problems = new ArrayList<>();
        HttpResponse<byte[]> last = null;
        try {
            for (int i = 0; i < records.size(); i++) {
                JsonObject r = records.get(i);
                switch (r.get("kind").getAsString()) {
                    case "ws_open" -> {
                        // a socket opened mid-prompt (capture 12) must open at the same point of the run
                        awaitNonStatus(sockets, expected);
                        String label = r.get("ws").getAsString();
                        String clientId = r.get("client_id").isJsonNull() ? null : r.get("client_id").getAsString();
                        WsProbe socket = new WsProbe(http, server.wsUri(clientId));
                        // the server registers a socket and greets it with a status once it is open; broadcasts
                        // before that (a prompt queued by the next request) would go past it
                        socket.await(l -> !l.isEmpty(), WAIT, "the first status on " + label);
                        sockets.put(label, socket);
                        expected.put(label, new ArrayList<>());
                    }
                    case "ws_send" -> {
                        WsProbe ws = sockets.get(r.get("ws").getAsString());
                        ws.await(l -> !l.isEmpty(), WAIT, "the first status");
                        ws.send(r.get("raw").getAsString());
                    }
                    case "ws_text", "ws_binary" -> expected.get(r.get("ws").getAsString()).add(r);
                    case "http_request" -> {
                        awaitNonStatus(sockets, expected);
                        last = send(r);
                        last = awaitHistoryEntry(r, i + 1 < records.size() ? records.get(i + 1) : null, last);
                    }
                    case "http_response" -> compareResponse(transcript + " seq " + r.get("seq"), r, last, problems);
                    case "ws_close" -> {
                        String label = r.get("ws").getAsString();
                        compareSocket(transcript + " socket " + label, sockets.get(label), expected.get(label), problems);
                    }
                    default -> {
                    }
                }
            }
        } finally {
            sockets.values().forEach(WsProbe::close);
        }
        assertTrue(problems.isEmpty(), transcript + " differs from the fake:\n" + String.join("\n", problems));
    }

    /** Before a request, every socket must have seen the non-status messages the capture shows before it. */
    private static void awaitNonStatus(Map<String, WsProbe> sockets, Map<String, List<JsonObject>> expected) throws InterruptedException {
        for (Map.Entry<String, WsProbe> s : sockets.entrySet()) {
            long want = expected.get(s.getKey()).stream().filter(r -> !"status".equals(kind(r))).count();
            s.getValue().await(l -> l.stream().filter(m -> !m.kind().equals("status")).count() >= want, WAIT,
                    want + " non-status messages on " + s.getKey());
        }
    }

    private void compareSocket(String where, WsProbe ws, List<JsonObject> expected, List<String> problems) throws InterruptedException {
        List<String> expectedKinds = expected.stream().map(CaptureContractTest::kind).toList();
        long statuses = expectedKinds.stream().filter("status"::equals).count();
        List<WsProbe.Received> got = ws.await(l -> l.size() >= expected.size()
                && l.stream().filter(m -> m.kind().equals("status")).count() >= statuses, WAIT, where + " " + expectedKinds);
        List<String> gotKinds = got.stream().map(WsProbe.Received::kind).toList();
        List<String> e = expectedKinds.stream().filter(k -> !k.equals("status")).toList();
        List<String> g = gotKinds.stream().filter(k -> !k.equals("status")).toList();
        if (!e.equals(g)) {
            problems.add(where + ": message order\n  captured " + e + "\n  fake     " + g);
            return;
        }
        if (got.size() != expected.size()) {
            problems.add(where + ": captured " + expected.size() + " frames, fake " + got.size() + ": " + gotKinds);
        }
        List<JsonObject> eText = expected.stream().filter(r -> r.has("raw")).toList();
        List<WsProbe.Received> gText = got.stream().filter(m -> m.text() != null).toList();
        for (int i = 0; i < Math.min(eText.size(), gText.size()); i++) {
            JsonElement captured = JsonParser.parseString(eText.get(i).get("raw").getAsString());
            if (!kind(eText.get(i)).equals(gText.get(i).kind())) {
                continue;
            }
            for (String p : Shapes.compare(captured, gText.get(i).json(), substitutions)) {
                problems.add(where + " message " + i + " (" + kind(eText.get(i)) + "): " + p);
            }
        }
    }

    /**
     * Without a socket (capture 08) nothing tells the client a prompt has finished; the real server had finished
     * before the recorded {@code GET /history/{id}}, so the replay waits, with a timeout, until the fake has too.
     */
    private HttpResponse<byte[]> awaitHistoryEntry(JsonObject request, JsonObject captured, HttpResponse<byte[]> first) throws Exception {
        if (captured == null || !request.get("path").getAsString().startsWith("/history/") || !captured.has("body")
                || captured.getAsJsonObject("body").isEmpty()) {
            return first;
        }
        HttpResponse<byte[]> response = first;
        long end = System.nanoTime() + WAIT.toNanos();
        Object monitor = new Object();
        while ("{}".equals(new String(response.body(), StandardCharsets.UTF_8)) && System.nanoTime() < end) {
            synchronized (monitor) {
                monitor.wait(10);
            }
            response = send(request);
        }
        return response;
    }

    private HttpResponse<byte[]> send(JsonObject r) throws Exception {
        String path = substitute(r.get("path").getAsString()).replace(" ", "%20").replace("[", "%5B").replace("]", "%5D");
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUri() + path)).timeout(WAIT);
        String method = r.get("method").getAsString();
        if (r.has("multipart_fields")) {
            String boundary = "fake" + UUID.randomUUID().toString().replace("-", "");
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (Map.Entry<String, JsonElement> f : r.getAsJsonObject("multipart_fields").entrySet()) {
                body.writeBytes(("--" + boundary + "\r\n").getBytes(StandardCharsets.UTF_8));
                if (f.getValue().isJsonObject()) {
                    JsonObject file = f.getValue().getAsJsonObject();
                    body.writeBytes(("Content-Disposition: form-data; name=\"" + f.getKey() + "\"; filename=\"" + file.get("filename").getAsString()
                            + "\"\r\nContent-Type: " + file.get("content_type").getAsString() + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
                    body.writeBytes(Files.readAllBytes(captures.file(file.get("source_file").getAsString())));
                } else {
                    body.writeBytes(("Content-Disposition: form-data; name=\"" + f.getKey() + "\"\r\n\r\n" + f.getValue().getAsString())
                            .getBytes(StandardCharsets.UTF_8));
                }
                body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
            }
            body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
            b.header("Content-Type", "multipart/form-data; boundary=" + boundary);
            b.method(method, HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
        } else if (r.has("body_raw") && !r.get("body_raw").isJsonNull()) {
            b.header("Content-Type", "application/json");
            b.method(method, HttpRequest.BodyPublishers.ofString(substitute(r.get("body_raw").getAsString())));
        } else {
            b.method(method, "POST".equals(method) ? HttpRequest.BodyPublishers.ofString("") : HttpRequest.BodyPublishers.noBody());
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private void compareResponse(String where, JsonObject captured, HttpResponse<byte[]> fake, List<String> problems) {
        int status = captured.get("status").getAsInt();
        if (status != fake.statusCode()) {
            problems.add(where + " " + captured.get("path").getAsString() + ": status " + status + " but fake " + fake.statusCode()
                    + " " + new String(fake.body(), StandardCharsets.UTF_8));
            return;
        }
        String capturedType = captured.getAsJsonObject("headers").has("Content-Type")
                ? captured.getAsJsonObject("headers").get("Content-Type").getAsString() : "";
        String fakeType = fake.headers().firstValue("Content-Type").orElse("");
        if (!capturedType.equalsIgnoreCase(fakeType) && !(fake.body().length == 0 && status == 200 && fakeType.startsWith("application/octet-stream"))) {
            problems.add(where + " " + captured.get("path").getAsString() + ": content type " + capturedType + " but fake " + fakeType);
        }
        if (captured.has("body")) {
            JsonElement fakeBody = JsonParser.parseString(new String(fake.body(), StandardCharsets.UTF_8));
            for (String p : Shapes.compare(captured.get("body"), fakeBody, substitutions)) {
                problems.add(where + " " + captured.get("path").getAsString() + ": " + p);
            }
        } else if (captured.has("body_binary")) {
            JsonObject bin = captured.getAsJsonObject("body_binary");
            if (bin.get("length").getAsInt() == 0 && fake.body().length != 0) {
                problems.add(where + ": captured an empty body, fake sent " + fake.body().length + " bytes");
            }
            String sniffed = bin.get("sniffed").isJsonNull() ? null : bin.get("sniffed").getAsString();
            if ("png".equals(sniffed) && !(fake.body().length > 8 && fake.body()[1] == 'P' && fake.body()[2] == 'N')) {
                problems.add(where + ": captured a PNG, fake sent something else");
            }
        } else if (captured.has("body_summary")) {
            assertTrue(JsonParser.parseString(new String(fake.body(), StandardCharsets.UTF_8)).isJsonObject(), where);
        } else if (captured.has("body_text") && status == 500) {
            String text = new String(fake.body(), StandardCharsets.UTF_8);
            if (!captured.get("body_text").getAsString().equals(text)) {
                problems.add(where + ": 500 body " + text);
            }
        }
    }

    private String substitute(String text) {
        String out = text;
        for (Map.Entry<String, String> s : substitutions.entrySet()) {
            out = out.replace(s.getKey(), s.getValue());
        }
        return out;
    }

    private static String kind(JsonObject r) {
        if ("ws_binary".equals(r.get("kind").getAsString())) {
            return "binary:" + r.get("event_type").getAsInt();
        }
        return JsonParser.parseString(r.get("raw").getAsString()).getAsJsonObject().get("type").getAsString();
    }
}
