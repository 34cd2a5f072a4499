package comfy.workbench.connection.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import comfy.workbench.connection.api.ComfyClient;
import comfy.workbench.connection.api.ComfyClients;
import comfy.workbench.connection.api.ComfyException;
import comfy.workbench.connection.api.ComfyException.Kind;
import comfy.workbench.connection.api.FileRef;
import comfy.workbench.connection.api.ServerAuth;
import comfy.workbench.connection.api.ServerDescriptor;
import comfy.workbench.connection.api.ViewRequest;
import comfy.workbench.testing.captures.Captures;
import comfy.workbench.testing.osgi.Osgi;

/** Hostile and broken servers: each failure must come out as its typed {@link ComfyException}, nothing else. */
final class BadInputTest {

    private static final String CLIENTS = "comfy.workbench.connection.internal.ComfyClientsComponent";

    private static Captures captures;
    private static ComfyClients clients;

    @BeforeAll
    static void services() throws Exception {
        captures = Captures.locate();
        // short timeouts so that the timeout test is quick; set through Configuration Admin like a user would
        Osgi.configure("comfy.workbench.connection.clients", CLIENTS,
                Map.of("connectTimeoutMillis", 2000, "requestTimeoutMillis", 700, "slowRequestTimeoutMillis", 700));
        clients = Osgi.service(ComfyClients.class);
    }

    @AfterAll
    static void defaults() throws Exception {
        Osgi.configure("comfy.workbench.connection.clients", CLIENTS,
                Map.of("connectTimeoutMillis", 5000, "requestTimeoutMillis", 30000, "slowRequestTimeoutMillis", 180000));
    }

    private static ComfyClient client(URI url) {
        return clients.client(new ServerDescriptor("hostile", null, url, null));
    }

    private static ComfyException fails(Kind kind, ThrowingCall call) {
        ComfyException e = assertThrows(ComfyException.class, call::run);
        assertEquals(kind, e.kind(), e.getMessage());
        assertEquals("hostile", e.serverId());
        assertTrue(e.getMessage().startsWith("[hostile] "), e.getMessage());
        return e;
    }

    @FunctionalInterface
    interface ThrowingCall {
        void run() throws Exception;
    }

    @Test
    void aTypedUrlIsCheckedAndHttpIsAssumedWithoutAScheme() {
        assertEquals(URI.create("http://127.0.0.1:8189"), ServerDescriptor.parseUrl(" 127.0.0.1:8189 "));
        assertEquals(URI.create("http://gpu-box:8188/comfy"), ServerDescriptor.parseUrl("GPU-Box:8188/comfy/"));
        assertEquals(URI.create("https://h"), ServerDescriptor.parseUrl("https://h"));
        IllegalArgumentException ftp = assertThrows(IllegalArgumentException.class,
                () -> ServerDescriptor.parseUrl("ftp://h"));
        assertTrue(ftp.getMessage().contains("must be http or https"), ftp.getMessage());
        IllegalArgumentException port = assertThrows(IllegalArgumentException.class,
                () -> ServerDescriptor.parseUrl("127.0.0.1:99999"));
        assertTrue(port.getMessage().contains("port must be 1 to 65535"), port.getMessage());
        IllegalArgumentException letters = assertThrows(IllegalArgumentException.class,
                () -> ServerDescriptor.parseUrl("127.0.0.1:abc"));
        assertTrue(letters.getMessage().startsWith("server URL has a port that is not a number (\"abc\")"),
                "it said 'no host': " + letters.getMessage());
        IllegalArgumentException blank = assertThrows(IllegalArgumentException.class, () -> ServerDescriptor.parseUrl(" "));
        assertTrue(blank.getMessage().contains("no server URL given"), blank.getMessage());
    }

    @Test
    void garbageBody() throws Exception {
        try (ReplayServer server = ReplayServer.start()
                .script("GET", "/system_stats", ReplayServer.Reply.json(200, "<<<this is not json>>>"))
                .script("GET", "/queue", ReplayServer.Reply.json(200, "{\"queue_running\": 5, \"queue_pending\": []}"))
                .script("GET", "/history", ReplayServer.Reply.json(200, "{\"x\": {\"prompt\": \"no\"}}"))
                .script("GET", "/embeddings", ReplayServer.Reply.json(200, "[1, 2]"))
                .script("GET", "/prompt", ReplayServer.Reply.json(200, "{} trailing"))) {
            ComfyClient client = client(server.baseUrl());
            ComfyException e = fails(Kind.BAD_RESPONSE, client::systemStats);
            assertTrue(e.getMessage().contains("GET /api/system_stats"), e.getMessage());
            assertTrue(e.bodyExcerpt().contains("this is not json"));
            assertTrue(fails(Kind.BAD_RESPONSE, client::queue).getMessage().contains("queue_running: expected an array"));
            assertTrue(fails(Kind.BAD_RESPONSE, client::history).getMessage().contains("x.prompt"));
            fails(Kind.BAD_RESPONSE, client::embeddings);
            fails(Kind.BAD_RESPONSE, client::queueRemaining);
        }
    }

    @Test
    void nanAndBigNumbersAreNotGarbage() throws Exception {
        String stats = captures.records("00_http_endpoints.jsonl", "http_response").get(0).get("body_raw").getAsString()
                .replace("\"ram_free\": 24585605120", "\"ram_free\": NaN");
        try (ReplayServer server = ReplayServer.start().script("GET", "/system_stats", ReplayServer.Reply.json(200, stats))) {
            // NaN where a byte count belongs is a protocol violation, reported as such (not a NumberFormatException)
            fails(Kind.BAD_RESPONSE, () -> client(server.baseUrl()).systemStats());
        }
    }

    @Test
    void serverErrors() throws Exception {
        try (ReplayServer server = ReplayServer.start()
                .script("GET", "/queue", ReplayServer.Reply.text(500, "text/plain; charset=utf-8",
                        "500 Internal Server Error\n\nServer got itself in trouble"))
                .script("POST", "/queue", ReplayServer.Reply.text(502, "text/html", "<html>Bad Gateway</html>"))
                .script("POST", "/prompt", ReplayServer.Reply.text(400, "text/plain", "400: Bad Request"))) {
            ComfyClient client = client(server.baseUrl());
            ComfyException e = fails(Kind.HTTP_STATUS, client::queue);
            assertEquals(500, e.status().getAsInt());
            assertTrue(e.bodyExcerpt().contains("Server got itself in trouble"));
            assertTrue(e.isTransient());
            ComfyException gateway = fails(Kind.HTTP_STATUS, client::clearQueue);
            assertEquals(502, gateway.status().getAsInt());
            assertTrue(gateway.getMessage().contains("POST /api/queue"), gateway.getMessage());
            ComfyException plain400 = fails(Kind.HTTP_STATUS, () -> client.submit(
                    comfy.workbench.connection.api.PromptRequest.of(comfy.workbench.model.api.PromptGraph.parse(
                            "{\"1\":{\"class_type\":\"SaveImage\",\"inputs\":{}}}", "g"))));
            assertEquals(400, plain400.status().getAsInt());
            assertFalse(plain400.isTransient());
        }
    }

    @Test
    void truncatedBodies() throws Exception {
        byte[] full = captures.read("object_info.json").getBytes(StandardCharsets.UTF_8);
        try (ReplayServer server = ReplayServer.start()
                // the transfer breaks off: fewer bytes than Content-Length, then the connection is dropped
                .behave("GET", "/object_info", (request, response, callback) -> {
                    response.setStatus(200);
                    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
                    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, full.length);
                    response.write(false, ByteBuffer.wrap(full, 0, 1000),
                            Callback.from(() -> callback.failed(new IOException("cut off on purpose")), callback::failed));
                })
                .behave("GET", "/view", (request, response, callback) -> {
                    response.setStatus(200);
                    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "image/png");
                    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 100_000);
                    response.write(false, ByteBuffer.wrap(new byte[5000]),
                            Callback.from(() -> callback.failed(new IOException("cut off on purpose")), callback::failed));
                })
                // the transfer is complete, but the JSON in it is cut short
                .script("GET", "/system_stats", ReplayServer.Reply.json(200, "{\"system\": {\"os\": \"posix\", \"ram"))) {
            ComfyClient client = client(server.baseUrl());
            fails(Kind.CONNECTION_LOST, client::objectInfo);
            assertTrue(fails(Kind.BAD_RESPONSE, client::systemStats).getMessage().contains("malformed JSON"));
            ComfyException view = fails(Kind.CONNECTION_LOST,
                    () -> client.view(ViewRequest.of(FileRef.output("x.png")), new ByteArrayOutputStream()));
            assertTrue(view.isTransient());
        }
    }

    @Test
    void truncatedDownloadLeavesNoFile(@TempDir Path dir) throws Exception {
        try (ReplayServer server = ReplayServer.start().behave("GET", "/view", (request, response, callback) -> {
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "image/png");
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 100_000);
            response.write(false, ByteBuffer.wrap(new byte[5000]),
                    Callback.from(() -> callback.failed(new IOException("cut off on purpose")), callback::failed));
        })) {
            Path target = dir.resolve("x.png");
            fails(Kind.CONNECTION_LOST, () -> client(server.baseUrl()).view(ViewRequest.of(FileRef.output("x.png")), target));
            try (var listing = Files.list(dir)) {
                assertEquals(0, listing.count(), "neither the target nor a partial file remains");
            }
        }
    }

    @Test
    void wrongContentType() throws Exception {
        try (ReplayServer server = ReplayServer.start()
                .script("GET", "/system_stats", ReplayServer.Reply.text(200, "text/html",
                        "<!doctype html><title>Login</title><form>proxy login</form>"))
                .script("GET", "/features", new ReplayServer.Reply(200, null, "{}".getBytes(StandardCharsets.UTF_8)))) {
            ComfyClient client = client(server.baseUrl());
            ComfyException e = fails(Kind.BAD_RESPONSE, client::systemStats);
            assertTrue(e.getMessage().contains("text/html"), e.getMessage());
            assertTrue(e.bodyExcerpt().contains("proxy login"));
            fails(Kind.BAD_RESPONSE, client::features);
        }
    }

    @Test
    void refusedConnection() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        ComfyClient client = client(URI.create("http://127.0.0.1:" + port));
        ComfyException e = fails(Kind.CONNECTION_REFUSED, client::systemStats);
        assertTrue(e.getMessage().contains("GET /api/system_stats"), e.getMessage());
        assertTrue(e.status().isEmpty());
        assertTrue(e.isTransient());
        fails(Kind.CONNECTION_REFUSED, () -> client.view(ViewRequest.of(FileRef.output("a.png")), new ByteArrayOutputStream()));
    }

    @Test
    void unknownHostIsAConnectionFailureNotARefusal() throws Exception {
        // .invalid never resolves (RFC 2606), so this needs no network
        ComfyClient client = client(URI.create("http://comfy-studio.invalid:8188"));
        ComfyException e = fails(Kind.CONNECTION_FAILED, client::systemStats);
        assertTrue(e.getMessage().contains("comfy-studio.invalid"), e.getMessage());
        assertTrue(e.getMessage().contains("GET /api/system_stats"), e.getMessage());
    }

    @Test
    void timeout() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (ReplayServer server = ReplayServer.start().behave("GET", "/queue", (request, response, callback) -> {
            release.await(30, TimeUnit.SECONDS);
            ReplayServer.send(response, callback, ReplayServer.Reply.json(200, "{}"));
        })) {
            ComfyException e = fails(Kind.TIMEOUT, () -> client(server.baseUrl()).queue());
            assertTrue(e.getMessage().contains("700 ms"), e.getMessage());
        } finally {
            release.countDown();
        }
    }

    @Test
    void aProxyThatEchoesTheRequestDoesNotPutTheCredentialsIntoTheMessage() throws Exception {
        try (ReplayServer server = ReplayServer.start().behave("GET", "/system_stats", (request, response, callback) ->
                ReplayServer.send(response, callback, ReplayServer.Reply.text(401, "text/plain",
                        "denied; you sent Authorization: " + request.getHeaders().get("Authorization"))))) {
            ComfyClient client = clients.client(new ServerDescriptor("hostile", null, server.baseUrl(),
                    new ServerAuth.Bearer("SUPERSECRETTOKEN123")));
            ComfyException e = fails(Kind.UNAUTHORIZED, client::systemStats);
            assertFalse(e.getMessage().contains("SUPERSECRETTOKEN123"), e.getMessage());
            assertTrue(e.getMessage().contains("you sent Authorization: ***"), e.getMessage());
        }
    }

    @Test
    void anAnswerWithoutEndIsCutAtItsCap() throws Exception {
        // a deadline far enough for 256 MiB on a busy machine: the cap is what ends it
        Osgi.configure("comfy.workbench.connection.clients", CLIENTS,
                Map.of("connectTimeoutMillis", 2000, "requestTimeoutMillis", 30_000, "slowRequestTimeoutMillis", 700));
        try (ReplayServer server = ReplayServer.start().behave("GET", "/queue", (request, response, callback) -> {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            try (OutputStream out = Content.Sink.asOutputStream(response)) {
                byte[] chunk = new byte[1 << 20];
                Arrays.fill(chunk, (byte) ' ');
                out.write('[');
                while (true) { // until the client hangs up
                    out.write(chunk);
                }
            } catch (IOException hungUp) {
                callback.succeeded();
            }
        })) {
            ComfyException endless = fails(Kind.CONNECTION_LOST, () -> client(server.baseUrl()).queue());
            assertTrue(endless.getMessage().contains("larger than 256 MiB"), endless.getMessage());
        } finally {
            services();
        }
    }

    @Test
    void anAnswerWhoseBodyDoesNotEndInTimeFailsAtItsDeadline() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (ReplayServer server = ReplayServer.start().behave("GET", "/system_stats", (request, response, callback) -> {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            try (OutputStream out = Content.Sink.asOutputStream(response)) {
                out.write('{');
                out.flush();
                release.await(30, TimeUnit.SECONDS); // the headers came in time; the rest never does
            } catch (IOException hungUp) {
                // the client gave up
            }
            callback.succeeded();
        })) {
            ComfyException slow = fails(Kind.TIMEOUT, () -> client(server.baseUrl()).systemStats());
            assertTrue(slow.getMessage().contains("the answer did not end within 1400 ms"), slow.getMessage());
        } finally {
            release.countDown();
        }
    }

    @Test
    void serverBehindPathPrefix() throws Exception {
        try (ReplayServer server = ReplayServer.startBehindPrefix("/comfy").replay(captures, "00_http_endpoints.jsonl")) {
            ComfyClient client = clients.client(ServerDescriptor.of("hostile", server.baseUrl() + "/"));
            assertEquals("0.3.64", client.systemStats().comfyuiVersion());
            assertEquals("/comfy/api/system_stats", server.last().path());
            assertEquals(20, client.modelFolders().size());
            // the same server without its prefix: ComfyUI's bare 404
            ComfyClient wrong = client(URI.create("http://127.0.0.1:" + server.baseUrl().getPort()));
            ComfyException e = fails(Kind.HTTP_STATUS, wrong::systemStats);
            assertEquals(404, e.status().getAsInt());
        }
    }

    @Test
    void serverDemandingAuth() throws Exception {
        try (ReplayServer server = ReplayServer.start().replay(captures, "00_http_endpoints.jsonl")
                .requireAuthorization("Bearer s3cret-token")) {
            ComfyException none = fails(Kind.UNAUTHORIZED, () -> client(server.baseUrl()).systemStats());
            assertEquals(401, none.status().getAsInt());
            assertTrue(none.getMessage().contains("demands authentication"), none.getMessage());

            ComfyClient wrong = clients.client(new ServerDescriptor("hostile", null, server.baseUrl(),
                    new ServerAuth.Bearer("wrong")));
            ComfyException rejected = fails(Kind.UNAUTHORIZED, wrong::queue);
            assertFalse(rejected.getMessage().contains("wrong"), "the message must not leak the token");

            ComfyClient right = clients.client(new ServerDescriptor("hostile", null, server.baseUrl(),
                    new ServerAuth.Bearer("s3cret-token")));
            assertEquals("0.3.64", right.systemStats().comfyuiVersion());
            assertEquals("Bearer s3cret-token", server.last().headers().get("Authorization"));
            assertFalse(right.toString().contains("s3cret"), right.toString());

            server.requireAuthorization("Basic " + java.util.Base64.getEncoder()
                    .encodeToString("ann:pa:ss".getBytes(StandardCharsets.UTF_8)));
            ComfyClient basic = clients.client(new ServerDescriptor("hostile", null, server.baseUrl(),
                    new ServerAuth.Basic("ann", "pa:ss")));
            assertEquals(0, basic.queue().size());

            server.requireAuthorization(null);
            ComfyClient headers = clients.client(new ServerDescriptor("hostile", null, server.baseUrl(),
                    new ServerAuth.Headers(Map.of("X-Api-Key", "k-123", "Comfy-User", "ann"))));
            headers.queue();
            assertEquals("k-123", server.last().headers().get("X-Api-Key"));
            assertEquals("ann", server.last().headers().get("Comfy-User"));
        }
    }

    @Test
    void jobsApiOnANewerServer() throws Exception {
        String job = "{\"id\":\"6f009605-450f-4168-b644-0d6fc78bbef1\",\"status\":\"completed\",\"priority\":23,"
                + "\"create_time\":1795000000000,\"execution_start_time\":1795000000100,\"execution_end_time\":1795000000900,"
                + "\"outputs_count\":1,\"workflow_id\":\"wf-1\"}";
        try (ReplayServer server = ReplayServer.start()
                .script("GET", "/api/jobs?limit=1", ReplayServer.Reply.json(200,
                        "{\"jobs\":[" + job + "],\"pagination\":{\"offset\":0,\"limit\":1,\"total\":5,\"has_more\":true}}"))
                .script("GET", "/api/jobs?status=completed,failed&sort_order=desc&limit=10&offset=10",
                        ReplayServer.Reply.json(200, "{\"jobs\":[],\"pagination\":{\"offset\":10,\"limit\":10,\"total\":5,\"has_more\":false}}"))
                .script("GET", "/api/jobs/6f009605-450f-4168-b644-0d6fc78bbef1", ReplayServer.Reply.json(200, job))
                .script("GET", "/api/jobs/00000000-0000-0000-0000-000000000000",
                        ReplayServer.Reply.json(404, "{\"error\":\"Job not found\"}"))
                .script("POST", "/api/jobs/6f009605-450f-4168-b644-0d6fc78bbef1/cancel", ReplayServer.Reply.json(200, "{\"cancelled\":false}"))
                .script("POST", "/api/jobs/cancel", ReplayServer.Reply.json(200, "{\"cancelled\":true}"))) {
            ComfyClient client = client(server.baseUrl());
            assertTrue(client.hasJobsApi());
            var page = client.jobs(comfy.workbench.connection.api.JobsQuery.ALL
                    .withStatuses(java.util.Set.of(comfy.workbench.connection.api.JobStatus.FAILED,
                            comfy.workbench.connection.api.JobStatus.COMPLETED))
                    .withPage(10, 10));
            assertEquals(10, page.offset());
            assertFalse(page.hasMore());
            var found = client.job("6f009605-450f-4168-b644-0d6fc78bbef1").orElseThrow();
            assertEquals(comfy.workbench.connection.api.JobStatus.COMPLETED, found.status());
            assertEquals(1795000000100L, found.executionStartTime().getAsLong());
            assertEquals("wf-1", found.workflowId().orElseThrow());
            assertTrue(client.job("00000000-0000-0000-0000-000000000000").isEmpty());
            assertFalse(client.cancelJob("6f009605-450f-4168-b644-0d6fc78bbef1"));
            assertTrue(client.cancelJobs(java.util.List.of("6f009605-450f-4168-b644-0d6fc78bbef1")));
            assertEquals("{\"job_ids\":[\"6f009605-450f-4168-b644-0d6fc78bbef1\"]}", server.last().bodyText());
        }
    }

    @Test
    void userData() throws Exception {
        try (ReplayServer server = ReplayServer.start()
                .script("GET", "/userdata?dir=workflows&recurse=true&full_info=true&split=false", ReplayServer.Reply.json(200,
                        "[{\"path\":\"a.json\",\"size\":12,\"modified\":1795000000000.5,\"created\":1795000000000}]"))
                .script("GET", "/userdata/workflows%2Fa.json", new ReplayServer.Reply(200, "application/json",
                        "{\"nodes\":[]}".getBytes(StandardCharsets.UTF_8)))
                .script("POST", "/userdata/workflows%2Fb.json?overwrite=false&full_info=false",
                        ReplayServer.Reply.text(409, "text/plain", "409: Conflict"))
                .script("POST", "/userdata/workflows%2Fb.json?overwrite=true&full_info=false",
                        ReplayServer.Reply.json(200, "\"workflows/b.json\""))) {
            ComfyClient client = client(server.baseUrl());
            var files = client.listUserData("workflows", true);
            assertEquals("a.json", files.get(0).path());
            assertEquals(12, files.get(0).size());
            assertEquals("{\"nodes\":[]}", new String(client.readUserData("workflows/a.json").orElseThrow(), StandardCharsets.UTF_8));
            assertEquals("/api/userdata/workflows%2Fa.json", server.last().path());
            assertTrue(client.readUserData("workflows/none.json").isEmpty());
            ComfyException conflict = fails(Kind.HTTP_STATUS,
                    () -> client.writeUserData("workflows/b.json", "{}".getBytes(StandardCharsets.UTF_8), false));
            assertEquals(409, conflict.status().getAsInt());
            client.writeUserData("workflows/b.json", "{\"x\":1}".getBytes(StandardCharsets.UTF_8), true);
            assertEquals("{\"x\":1}", server.last().bodyText());
        }
    }
}
