package comfy.workbench.connection.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import comfy.workbench.connection.api.ComfyClient;
import comfy.workbench.connection.api.ComfyClients;
import comfy.workbench.connection.api.ComfyException;
import comfy.workbench.connection.api.ComfyException.Kind;
import comfy.workbench.connection.api.FileRef;
import comfy.workbench.connection.api.HistoryEntry;
import comfy.workbench.connection.api.HistoryMessage;
import comfy.workbench.connection.api.Job;
import comfy.workbench.connection.api.JobStatus;
import comfy.workbench.connection.api.JobsPage;
import comfy.workbench.connection.api.JobsQuery;
import comfy.workbench.connection.api.PromptAccepted;
import comfy.workbench.connection.api.PromptRejectedException;
import comfy.workbench.connection.api.PromptRequest;
import comfy.workbench.connection.api.QueueItem;
import comfy.workbench.connection.api.QueueSnapshot;
import comfy.workbench.connection.api.ServerDescriptor;
import comfy.workbench.connection.api.ServerRegistry;
import comfy.workbench.connection.api.SystemStats;
import comfy.workbench.connection.api.UploadRequest;
import comfy.workbench.connection.api.UploadResult;
import comfy.workbench.connection.api.UserDataFile;
import comfy.workbench.connection.api.ViewRequest;
import comfy.workbench.connection.api.ViewResult;
import comfy.workbench.model.api.NodeError;
import comfy.workbench.model.api.NodeSchema;
import comfy.workbench.model.api.PromptError;
import comfy.workbench.model.api.PromptGraph;
import comfy.workbench.testing.captures.Captures;
import comfy.workbench.testing.fake.FakeComfyServer;
import comfy.workbench.testing.fake.TestPrompts;
import comfy.workbench.testing.fake.Stall;
import comfy.workbench.testing.osgi.Osgi;
import comfy.workbench.testing.osgi.Eventually;

/**
 * The client against the fake ComfyUI server, through the DS services: the fake is registered in the
 * {@link ServerRegistry} and its client comes from {@link ComfyClients}. Every route, with decoded values checked.
 */
final class FakeServerClientTest {

    private static final String REGISTRY = "comfy.workbench.connection.internal.ServerRegistryComponent";
    private static final byte[] PNG_SIGNATURE = { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
    /** The node of {@link #slow(int)} that the tests hold, so that its prompt keeps the worker busy. */
    private static final String SLOW_NODE = TestPrompts.SLOW_NODE;

    private static Captures captures;
    private static FakeComfyServer fake;
    private static ComfyClient client;

    @BeforeAll
    static void startAndRegister(@TempDir Path data) throws Exception {
        captures = Captures.locate();
        fake = FakeComfyServer.builder().start();
        Osgi.configure("comfy.workbench.connection.registry", REGISTRY, Map.of("dataDirectory", data.toString()));
        ServerRegistry registry = Osgi.service(ServerRegistry.class);
        registry.add(new ServerDescriptor("fake", "Fake ComfyUI", fake.baseUri(), null));
        client = Osgi.service(ComfyClients.class).client("fake").orElseThrow();
        assertEquals(fake.baseUri(), client.server().baseUrl());
    }

    @AfterAll
    static void stop() {
        Osgi.service(ServerRegistry.class).remove("fake");
        if (fake != null) {
            fake.close();
        }
    }

    /** Capture 01's graph: EmptyImage → ImageInvert → SaveImage, and a PreviewImage of the EmptyImage. */
    static PromptGraph capture01Graph() {
        return PromptGraph.parse("{\"1\":{\"class_type\":\"EmptyImage\",\"inputs\":{\"width\":64,\"height\":64,"
                + "\"batch_size\":1,\"color\":16711680}},\"2\":{\"class_type\":\"ImageInvert\",\"inputs\":{\"image\":[\"1\",0]}},"
                + "\"3\":{\"class_type\":\"SaveImage\",\"inputs\":{\"images\":[\"2\",0],\"filename_prefix\":\"peer_invert\"}},"
                + "\"4\":{\"class_type\":\"PreviewImage\",\"inputs\":{\"images\":[\"1\",0]}}}", "capture 01");
    }

    /** A quick prompt that no other prompt shares a cache entry with ({@link TestPrompts#quick}). */
    static PromptGraph quick(int color, String prefix) {
        return PromptGraph.parse(TestPrompts.quick(color, prefix), "quick " + prefix);
    }

    /** A prompt whose ImageBlur, node {@value TestPrompts#SLOW_NODE}, a test can hold ({@link TestPrompts#slow}). */
    static PromptGraph slow(int color) {
        return PromptGraph.parse(TestPrompts.slow(color), "slow " + color);
    }

    static HistoryEntry finished(ComfyClient c, String promptId) throws Exception {
        return Eventually.value("history of " + promptId, () -> c.history(promptId));
    }

    private static void awaitRunning(String promptId) throws Exception {
        Eventually.until(promptId + " running", () -> client.queue().running().stream()
                .anyMatch(i -> i.promptId().equals(promptId)));
    }

    private static List<String> ids(List<QueueItem> items) {
        return items.stream().map(QueueItem::promptId).toList();
    }

    @Test
    void endToEndPromptHistoryAndDownloads(@TempDir Path downloads) throws Exception {
        String promptId = UUID.randomUUID().toString();
        String clientId = UUID.randomUUID().toString();
        JsonObject extra = JsonParser.parseString("{\"extra_pnginfo\":{\"workflow\":{\"nodes\":[],\"version\":0.4}},"
                + "\"custom_key\":\"custom value\"}").getAsJsonObject();
        PromptAccepted accepted = client.submit(PromptRequest.of(capture01Graph()).withPromptId(promptId)
                .withClientId(clientId).withExtraData(extra));
        assertEquals(promptId, accepted.promptId(), "the caller's prompt id is honoured");
        assertFalse(accepted.partiallyAccepted());

        HistoryEntry entry = finished(client, promptId);
        assertEquals(promptId, entry.promptId());
        assertEquals(accepted.number(), entry.number());
        assertTrue(entry.succeeded(), entry.statusStr());
        assertEquals("success", entry.statusStr());
        assertTrue(entry.completed());
        assertFalse(entry.interrupted());
        assertTrue(entry.executionError().isEmpty());
        assertEquals(List.of("3", "4"), entry.outputNodes().stream().sorted().toList());
        assertEquals(Set.of("3", "4"), entry.outputs().keySet());
        assertEquals("EmptyImage", entry.prompt().getAsJsonObject("1").get("class_type").getAsString());
        // capture 11: the server merges client_id into extra_data and keeps the rest as sent
        JsonObject storedExtra = entry.extraData();
        assertEquals(clientId, storedExtra.get("client_id").getAsString());
        assertEquals("custom value", storedExtra.get("custom_key").getAsString());
        assertEquals(extra.get("extra_pnginfo"), storedExtra.get("extra_pnginfo"));
        List<String> messages = entry.messages().stream().map(HistoryMessage::type).toList();
        assertEquals("execution_start", messages.get(0));
        assertEquals("execution_success", messages.get(messages.size() - 1));
        assertEquals(promptId, entry.messages().get(0).data().get("prompt_id").getAsString());

        List<FileRef> files = entry.outputFiles();
        assertEquals(2, files.size(), files.toString());
        FileRef saved = files.stream().filter(f -> f.type().equals("output")).findFirst().orElseThrow();
        FileRef preview = files.stream().filter(f -> f.type().equals("temp")).findFirst().orElseThrow();
        assertTrue(saved.filename().matches("peer_invert_\\d{5}_\\.png"), saved.filename());
        assertTrue(preview.filename().matches("ComfyUI_temp_[a-z]{5}_\\d{5}_\\.png"), preview.filename());
        for (FileRef file : files) {
            Path target = downloads.resolve(file.type() + "-" + file.filename());
            ViewResult result = client.view(ViewRequest.of(file), target);
            byte[] bytes = Files.readAllBytes(target);
            assertEquals("image/png", result.contentType());
            assertEquals(bytes.length, result.bytes());
            assertTrue(bytes.length > PNG_SIGNATURE.length, file + " is empty");
            assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(bytes, PNG_SIGNATURE.length), file + " is not a PNG");
        }
        try (var listing = Files.list(downloads)) {
            assertEquals(2, listing.count(), "only the two downloads, no temporary files left");
        }

        assertEquals(1, fake.executions(promptId));
        QueueSnapshot queue = client.queue();
        assertEquals(0, queue.size(), queue.toString());
        assertEquals(0, client.queueRemaining());

        ComfyException missing = assertThrows(ComfyException.class,
                () -> client.view(ViewRequest.of(FileRef.output("no_such_file.png")), downloads.resolve("none.png")));
        assertEquals(Kind.HTTP_STATUS, missing.kind());
        assertEquals(404, missing.status().getAsInt());
        assertFalse(Files.exists(downloads.resolve("none.png")));
    }

    @Test
    void queueOrderDeleteClearAndInterrupt() throws Exception {
        // phase 1 (capture 09): the slow prompt holds the worker while the others queue up
        Stall hold = fake.holdNode(SLOW_NODE);
        String s = client.submit(PromptRequest.of(slow(1))).promptId();
        awaitRunning(s);
        Map<String, String> q = new TreeMap<>();
        q.put("Q1", client.submit(PromptRequest.of(quick(101, "q1"))).promptId());
        q.put("Q2", client.submit(PromptRequest.of(quick(102, "q2"))).promptId());
        q.put("Q3", client.submit(PromptRequest.of(quick(103, "q3"))).promptId());
        PromptAccepted q4 = client.submit(PromptRequest.of(quick(104, "q4")).withFront(true));
        q.put("Q4", q4.promptId());
        PromptAccepted q5 = client.submit(PromptRequest.of(quick(105, "q5")).withNumber(-100));
        q.put("Q5", q5.promptId());
        PromptAccepted q6 = client.submit(PromptRequest.of(quick(106, "q6")).withNumber(2.5));
        q.put("Q6", q6.promptId());
        assertTrue(q4.number() < 0, "front gives a negative number: " + q4.number());
        assertEquals(-100.0, q5.number());
        assertEquals(2.5, q6.number());

        QueueSnapshot queue = client.queue();
        assertEquals(List.of(s), ids(queue.running()));
        assertEquals(List.of(q.get("Q5"), q.get("Q4"), q.get("Q6"), q.get("Q1"), q.get("Q2"), q.get("Q3")),
                ids(queue.pending()));
        assertEquals("q5", queue.pending().get(0).prompt().getAsJsonObject("2").getAsJsonObject("inputs")
                .get("filename_prefix").getAsString());
        assertEquals(List.of("2"), queue.pending().get(0).outputsToExecute());
        assertEquals(7, client.queueRemaining());

        client.deleteFromQueue(List.of(q.get("Q2")));
        client.deleteFromQueue(List.of(UUID.randomUUID().toString()));
        // an interrupt aimed at a prompt that is not running is ignored
        client.interrupt(q.get("Q1"));
        assertEquals(List.of(q.get("Q5"), q.get("Q4"), q.get("Q6"), q.get("Q1"), q.get("Q3")), ids(client.queue().pending()));
        hold.release();

        HistoryEntry last = finished(client, q.get("Q3"));
        assertTrue(last.succeeded());
        assertTrue(finished(client, s).succeeded(), "the ignored interrupt did not stop the slow prompt");
        List<String> runOrder = client.history().stream().map(HistoryEntry::promptId)
                .filter(id -> id.equals(s) || q.containsValue(id)).toList();
        assertEquals(List.of(s, q.get("Q5"), q.get("Q4"), q.get("Q6"), q.get("Q1"), q.get("Q3")), runOrder);
        assertEquals(Optional.empty(), client.history(q.get("Q2")));
        assertEquals(0, fake.executions(q.get("Q2")));

        // phase 2: clear removes the pending prompts only; a targeted interrupt stops the running one
        Stall hold2 = fake.holdNode(SLOW_NODE);
        String s2 = client.submit(PromptRequest.of(slow(2))).promptId();
        awaitRunning(s2);
        String q7 = client.submit(PromptRequest.of(quick(107, "q7"))).promptId();
        String q8 = client.submit(PromptRequest.of(quick(108, "q8"))).promptId();
        assertEquals(List.of(q7, q8), ids(client.queue().pending()));
        client.clearQueue();
        QueueSnapshot cleared = client.queue();
        assertEquals(List.of(), cleared.pending());
        assertEquals(List.of(s2), ids(cleared.running()));
        client.interrupt(s2);
        hold2.release(); // the interrupt takes effect when the next node would start (capture 07)
        HistoryEntry interrupted = finished(client, s2);
        assertTrue(interrupted.interrupted(), interrupted.messages().toString());
        assertEquals("error", interrupted.statusStr());
        assertFalse(interrupted.completed());
        assertEquals(0, client.queue().size());
        assertEquals(0, fake.executions(q7));
        assertEquals(0, fake.executions(q8));
    }

    @Test
    void historyPagingDeleteAndClear() throws Exception {
        client.clearHistory();
        assertEquals(List.of(), client.history());
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ids.add(client.submit(PromptRequest.of(quick(200 + i, "h" + i))).promptId());
        }
        for (String id : ids) {
            finished(client, id);
        }
        assertEquals(ids, client.history().stream().map(HistoryEntry::promptId).toList());
        assertEquals(ids.subList(2, 4), client.history(2, 0).stream().map(HistoryEntry::promptId).toList(),
                "without an offset: the newest");
        assertEquals(ids.subList(1, 3), client.history(2, 1).stream().map(HistoryEntry::promptId).toList(),
                "offset counts from the oldest");
        assertEquals(ids.subList(3, 4), client.history(1, 0).stream().map(HistoryEntry::promptId).toList());

        client.deleteHistory(ids.subList(0, 2));
        assertEquals(Optional.empty(), client.history(ids.get(0)));
        assertEquals(Optional.empty(), client.history(ids.get(1)));
        assertEquals(ids.subList(2, 4), client.history().stream().map(HistoryEntry::promptId).toList());
        assertEquals(ids.get(2), client.history(ids.get(2)).orElseThrow().promptId());

        client.clearHistory();
        assertEquals(List.of(), client.history());
        assertEquals(Optional.empty(), client.history(ids.get(3)));
        client.free(true, true);
    }

    @Test
    void nodeDefinitionsSystemAndModels() throws Exception {
        NodeSchema schema = client.objectInfo(NodeSchema::parse);
        assertEquals(383, schema.size());
        assertTrue(schema.nodeClass("KSampler").isPresent());
        assertTrue(schema.nodeClass("NoSuchNode").isEmpty());
        assertEquals(383, client.objectInfo().size());

        JsonObject ksampler = client.objectInfo("KSampler").orElseThrow();
        assertEquals("18446744073709551615", ksampler.getAsJsonObject("input").getAsJsonObject("required")
                .getAsJsonArray("seed").get(1).getAsJsonObject().get("max").getAsBigInteger().toString());
        assertEquals("KSampler", ksampler.get("name").getAsString());
        assertEquals(Optional.empty(), client.objectInfo("NoSuchNode"));

        SystemStats stats = client.systemStats();
        assertEquals("0.3.64", stats.comfyuiVersion());
        assertEquals("posix", stats.os());
        assertEquals("cpu", stats.primaryDevice().orElseThrow().type());
        assertTrue(stats.ramTotal() > 0);
        assertTrue(client.features().supportsPreviewMetadata());
        assertEquals(104857600L, client.features().maxUploadSize().getAsLong());
        assertEquals(List.of(), client.embeddings());
        assertEquals(List.of(), client.extensions());
        List<String> folders = client.modelFolders();
        assertEquals(20, folders.size());
        assertEquals("checkpoints", folders.get(0));
        assertEquals(List.of(), client.models("checkpoints"));
        ComfyException unknown = assertThrows(ComfyException.class, () -> client.models("no_such_folder"));
        assertEquals(Kind.HTTP_STATUS, unknown.kind());
        assertEquals(404, unknown.status().getAsInt());
        assertTrue(unknown.getMessage().startsWith("[fake] GET /api/models/no_such_folder"), unknown.getMessage());

        var capabilities = client.probe();
        assertEquals("0.3.64", capabilities.version());
        assertFalse(capabilities.jobsApi());
    }

    @Test
    void uploadsAreRenamedOnConflictAndUsableByLoadImage() throws Exception {
        Path src = captures.file("files/03_upload_src.png");
        Path src2 = captures.file("files/03_upload_src2.png");
        Path mask = captures.file("files/03_upload_mask.png");
        UploadResult first = client.uploadImage(new UploadRequest(src, "fwb_upload.png", "input", "", true));
        assertEquals(new UploadResult("fwb_upload.png", "", "input"), first);
        // the same bytes again without overwrite: recognised as a duplicate, same name
        assertEquals("fwb_upload.png", client.uploadImage(new UploadRequest(src, "fwb_upload.png", "input", "", false)).name());
        // other bytes under the same name: renamed
        UploadResult renamed = client.uploadImage(new UploadRequest(src2, "fwb_upload.png", "input", "", false));
        assertEquals("fwb_upload (1).png", renamed.name());
        assertEquals("input", renamed.type());
        UploadResult sub = client.uploadImage(new UploadRequest(src2, "fwb_sub.png", "input", "fwb_tests", true));
        assertEquals("fwb_tests", sub.subfolder());
        assertEquals("fwb_tests/fwb_sub.png", sub.loadImageValue());
        ComfyException escape = assertThrows(ComfyException.class,
                () -> client.uploadImage(new UploadRequest(src2, "evil.png", "input", "../..", false)));
        assertEquals(Kind.HTTP_STATUS, escape.kind());
        assertEquals(400, escape.status().getAsInt());

        UploadResult masked = client.uploadMask(new UploadRequest(mask, "fwb_upload_mask.png", "input", "", true), first.ref());
        assertEquals(new UploadResult("fwb_upload_mask.png", "", "input"), masked);

        java.io.ByteArrayOutputStream viewed = new java.io.ByteArrayOutputStream();
        ViewResult view = client.view(ViewRequest.of(first.ref()), viewed);
        assertEquals("image/png", view.contentType());
        assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(viewed.toByteArray(), PNG_SIGNATURE.length));

        PromptAccepted load = client.submit(PromptRequest.of(PromptGraph.parse("{\"1\":{\"class_type\":\"LoadImage\","
                + "\"inputs\":{\"image\":\"" + sub.loadImageValue() + "\"}},\"2\":{\"class_type\":\"PreviewImage\","
                + "\"inputs\":{\"images\":[\"1\",0]}}}", "load the upload")));
        HistoryEntry entry = finished(client, load.promptId());
        assertTrue(entry.succeeded(), entry.messages().toString());
        assertEquals("temp", entry.outputFiles().get(0).type());
    }

    @Test
    void userDataRoundTrip() throws Exception {
        byte[] first = "{\"nodes\":[1]}".getBytes(StandardCharsets.UTF_8);
        byte[] second = "{\"nodes\":[1,2,3]}".getBytes(StandardCharsets.UTF_8);
        client.writeUserData("workflows/fwb.json", first, false);
        List<UserDataFile> files = client.listUserData("workflows", true);
        UserDataFile file = files.stream().filter(f -> f.path().equals("fwb.json")).findFirst().orElseThrow(
                () -> new AssertionError(files.toString()));
        assertEquals(first.length, file.size());
        assertTrue(file.modified() > 0);
        assertArrayEquals(first, client.readUserData("workflows/fwb.json").orElseThrow());

        ComfyException conflict = assertThrows(ComfyException.class,
                () -> client.writeUserData("workflows/fwb.json", second, false));
        assertEquals(Kind.HTTP_STATUS, conflict.kind());
        assertEquals(409, conflict.status().getAsInt());
        assertArrayEquals(first, client.readUserData("workflows/fwb.json").orElseThrow());
        client.writeUserData("workflows/fwb.json", second, true);
        assertArrayEquals(second, client.readUserData("workflows/fwb.json").orElseThrow());

        client.deleteUserData("workflows/fwb.json");
        assertEquals(Optional.empty(), client.readUserData("workflows/fwb.json"));
        assertTrue(client.listUserData("workflows", true).stream().noneMatch(f -> f.path().equals("fwb.json")));
        ComfyException noDir = assertThrows(ComfyException.class, () -> client.listUserData("no_such_dir", false));
        assertEquals(404, noDir.status().getAsInt());
    }

    /**
     * Capture 08's validation cases, sent as the real client sent them: the fake's rejection, decoded by the client,
     * has the real server's error type and per-node error types.
     */
    @Test
    void rejectedPromptsCarryTheCapturedErrors() throws Exception {
        List<JsonObject> records = captures.records("08_prompt_validation_errors.jsonl");
        int checked = 0;
        for (int i = 0; i < records.size(); i++) {
            JsonObject request = records.get(i);
            if (!request.get("kind").getAsString().equals("http_request") || !request.has("body")
                    || !request.get("body").isJsonObject() || !request.getAsJsonObject("body").has("prompt")) {
                continue;
            }
            JsonObject response = records.subList(i + 1, records.size()).stream()
                    .filter(r -> r.get("kind").getAsString().equals("http_response")).findFirst().orElseThrow();
            JsonObject expected = response.getAsJsonObject("body");
            JsonObject prompt = request.getAsJsonObject("body").getAsJsonObject("prompt");
            if (prompt.entrySet().stream().anyMatch(e -> !e.getValue().getAsJsonObject().has("class_type"))) {
                // the missing-class_type case never leaves the client: the graph model refuses it
                assertThrows(RuntimeException.class, () -> PromptGraph.of(prompt, "case"));
                checked++;
                continue;
            }
            String what = "case at seq " + request.get("seq").getAsInt() + ": " + prompt;
            PromptRequest submitted = PromptRequest.of(PromptGraph.of(prompt, what));
            if (response.get("status").getAsInt() == 200) {
                PromptAccepted partial = client.submit(submitted);
                assertTrue(partial.partiallyAccepted(), what);
                assertEquals(errorTypes(expected.getAsJsonObject("node_errors")), nodeErrorTypes(partial.nodeErrors()), what);
                HistoryEntry entry = finished(client, partial.promptId());
                assertTrue(entry.succeeded(), what);
                assertEquals(List.of("3"), entry.outputNodes(), "only the valid output runs");
                checked++;
                continue;
            }
            PromptRejectedException e = assertThrows(PromptRejectedException.class, () -> client.submit(submitted), what);
            assertEquals(Kind.PROMPT_REJECTED, e.kind());
            assertEquals(400, e.status().getAsInt());
            assertTrue(e.getMessage().startsWith("[fake] POST /api/prompt"), e.getMessage());
            assertEquals(expected.getAsJsonObject("error").get("type").getAsString(), e.failure().error().type(), what);
            assertEquals(errorTypes(expected.getAsJsonObject("node_errors")), nodeErrorTypes(e.failure().nodeErrors()), what);
            for (Map.Entry<String, NodeError> node : e.failure().nodeErrors().entrySet()) {
                JsonObject expectedNode = expected.getAsJsonObject("node_errors").getAsJsonObject(node.getKey());
                assertEquals(expectedNode.get("class_type").getAsString(), node.getValue().classType(), what);
                assertEquals(expectedNode.getAsJsonArray("dependent_outputs").asList().stream().map(JsonElement::getAsString)
                        .sorted().toList(), node.getValue().dependentOutputs().stream().sorted().toList(), what);
            }
            assertEquals(0, fake.executions(submitted.promptId()), "a rejected prompt never runs");
            checked++;
        }
        assertEquals(15, checked, "every prompt-carrying case of capture 08");
        // the first case in detail: ImageInvert.image missing
        PromptRejectedException first = assertThrows(PromptRejectedException.class, () -> client.submit(PromptRequest.of(
                PromptGraph.parse("{\"1\":{\"class_type\":\"EmptyImage\",\"inputs\":{\"width\":64,\"height\":64,"
                        + "\"batch_size\":1,\"color\":0}},\"2\":{\"class_type\":\"ImageInvert\",\"inputs\":{}},"
                        + "\"3\":{\"class_type\":\"SaveImage\",\"inputs\":{\"images\":[\"2\",0],"
                        + "\"filename_prefix\":\"x\"}}}", "missing input"))));
        PromptError missing = first.failure().nodeErrors().get("2").errors().get(0);
        assertEquals("required_input_missing", missing.type());
        assertEquals("image", missing.inputName().orElseThrow());
    }

    private static Map<String, List<String>> errorTypes(JsonObject nodeErrors) {
        Map<String, List<String>> types = new TreeMap<>();
        nodeErrors.entrySet().forEach(e -> types.put(e.getKey(), e.getValue().getAsJsonObject().getAsJsonArray("errors")
                .asList().stream().map(x -> x.getAsJsonObject().get("type").getAsString()).sorted().toList()));
        return types;
    }

    private static Map<String, List<String>> nodeErrorTypes(Map<String, NodeError> nodeErrors) {
        Map<String, List<String>> types = new TreeMap<>();
        nodeErrors.forEach((id, node) -> types.put(id, node.errors().stream().map(PromptError::type).sorted().toList()));
        return types;
    }

    @Test
    void jobsApiOnlyWhenTheServerHasIt() throws Exception {
        assertFalse(client.hasJobsApi(), "a default fake is 0.3.64");
        ComfyException unsupported = assertThrows(ComfyException.class, () -> client.jobs(JobsQuery.ALL));
        assertEquals(Kind.UNSUPPORTED, unsupported.kind());

        try (FakeComfyServer newer = FakeComfyServer.builder().jobsApi(true).start()) {
            ServerRegistry registry = Osgi.service(ServerRegistry.class);
            registry.add(ServerDescriptor.of("fake-jobs", newer.baseUri().toString()));
            try {
                ComfyClient jobs = Osgi.service(ComfyClients.class).client("fake-jobs").orElseThrow();
                assertTrue(jobs.hasJobsApi());
                assertEquals(0, jobs.jobs(JobsQuery.ALL).total());

                String done = jobs.submit(PromptRequest.of(quick(300, "job"))).promptId();
                finished(jobs, done);
                Stall hold = newer.holdNode(SLOW_NODE);
                String slow = jobs.submit(PromptRequest.of(slow(301))).promptId();
                Eventually.until("slow job in progress", () -> jobs.job(slow).map(j -> j.status() == JobStatus.IN_PROGRESS)
                        .orElse(false));
                String waiting = jobs.submit(PromptRequest.of(quick(302, "job"))).promptId();

                Job completed = jobs.job(done).orElseThrow();
                assertEquals(JobStatus.COMPLETED, completed.status());
                assertEquals(1, completed.outputsCount());
                // the fake reports create_time but (unlike ComfyUI 0.6) no execution start/end times
                assertTrue(completed.createTime().getAsLong() > 0, completed.raw().toString());
                assertTrue(completed.executionError().isEmpty());
                assertEquals(JobStatus.PENDING, jobs.job(waiting).orElseThrow().status());
                assertTrue(jobs.job(UUID.randomUUID().toString()).isEmpty());

                JobsPage all = jobs.jobs(JobsQuery.ALL);
                assertEquals(3, all.total());
                assertEquals(Set.of(done, slow, waiting), all.jobs().stream().map(Job::id).collect(java.util.stream.Collectors.toSet()));
                JobsPage onlyDone = jobs.jobs(JobsQuery.ALL.withStatuses(Set.of(JobStatus.COMPLETED)));
                assertEquals(List.of(done), onlyDone.jobs().stream().map(Job::id).toList());
                JobsPage page = jobs.jobs(JobsQuery.ALL.withPage(1, 1));
                assertEquals(1, page.jobs().size());
                assertEquals(1, page.offset());
                assertTrue(page.hasMore());

                assertTrue(jobs.cancelJob(waiting), "a pending job can be cancelled");
                assertFalse(jobs.queue().contains(waiting));
                assertFalse(jobs.cancelJob(done), "a finished job cannot");
                assertTrue(jobs.cancelJob(slow), "the running job is interrupted");
                hold.release();
                HistoryEntry interrupted = finished(jobs, slow);
                assertTrue(interrupted.interrupted());
                assertEquals(JobStatus.CANCELLED, jobs.job(slow).orElseThrow().status());
            } finally {
                registry.remove("fake-jobs");
            }
        }
    }
}
