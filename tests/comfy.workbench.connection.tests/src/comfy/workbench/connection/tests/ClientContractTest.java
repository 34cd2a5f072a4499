package comfy.workbench.connection.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;

import comfy.workbench.connection.api.ComfyClient;
import comfy.workbench.connection.api.ComfyClients;
import comfy.workbench.connection.api.ComfyException;
import comfy.workbench.connection.api.ComfyException.Kind;
import comfy.workbench.connection.api.Device;
import comfy.workbench.connection.api.FeatureFlags;
import comfy.workbench.connection.api.FileRef;
import comfy.workbench.connection.api.HistoryEntry;
import comfy.workbench.connection.api.PromptAccepted;
import comfy.workbench.connection.api.PromptRejectedException;
import comfy.workbench.connection.api.PromptRequest;
import comfy.workbench.connection.api.QueueItem;
import comfy.workbench.connection.api.QueueSnapshot;
import comfy.workbench.connection.api.ServerCapabilities;
import comfy.workbench.connection.api.ServerDescriptor;
import comfy.workbench.connection.api.SystemStats;
import comfy.workbench.connection.api.UploadRequest;
import comfy.workbench.connection.api.UploadResult;
import comfy.workbench.connection.api.ViewRequest;
import comfy.workbench.connection.api.ViewResult;
import comfy.workbench.model.api.ComfyJson;
import comfy.workbench.model.api.PromptGraph;
import comfy.workbench.testing.captures.Captures;
import comfy.workbench.testing.osgi.Osgi;

/**
 * Replays the genuine ComfyUI 0.3.64 answers through the client obtained from the {@link ComfyClients} service and
 * checks the decoded values against the captures.
 */
final class ClientContractTest {

    private static Captures captures;
    private static ComfyClients clients;

    @BeforeAll
    static void services() {
        captures = Captures.locate();
        clients = Osgi.service(ComfyClients.class);
    }

    private static ComfyClient client(ReplayServer server) {
        return clients.client(new ServerDescriptor("replay", "Replay", server.baseUrl(), null));
    }

    private static PromptGraph graph() {
        return PromptGraph.parse("{\"1\":{\"class_type\":\"EmptyImage\",\"inputs\":{\"width\":64,\"height\":64,"
                + "\"batch_size\":1,\"color\":16711680}},\"2\":{\"class_type\":\"SaveImage\",\"inputs\":{\"images\":[\"1\",0],"
                + "\"filename_prefix\":\"peer\"}}}", "test graph");
    }

    @Test
    void idleServerEndpoints() throws Exception {
        try (ReplayServer server = ReplayServer.start().replay(captures, "00_http_endpoints.jsonl")) {
            ComfyClient client = client(server);

            SystemStats stats = client.systemStats();
            assertEquals("0.3.64", stats.comfyuiVersion());
            assertEquals("posix", stats.os());
            assertEquals(25276510208L, stats.ramTotal());
            assertEquals(24585605120L, stats.ramFree());
            assertEquals("1.27.10", stats.requiredFrontendVersion());
            assertTrue(stats.argv().contains("--cpu"));
            Device cpu = stats.primaryDevice().orElseThrow();
            assertEquals("cpu", cpu.type());
            assertEquals(1, stats.devices().size());

            FeatureFlags features = client.features();
            assertTrue(features.supportsPreviewMetadata());
            assertEquals(104857600L, features.maxUploadSize().getAsLong());

            QueueSnapshot queue = client.queue();
            assertEquals(0, queue.size());
            assertEquals(0, client.queueRemaining());
            assertEquals(List.of(), client.history());
            assertEquals(List.of(), client.embeddings());
            assertEquals(List.of(), client.extensions());
            List<String> folders = client.modelFolders();
            assertEquals(20, folders.size());
            assertEquals("checkpoints", folders.get(0));
            assertEquals(List.of(), client.models("checkpoints"));
            ComfyException unknownFolder = assertThrows(ComfyException.class, () -> client.models("no_such_folder"));
            assertEquals(Kind.HTTP_STATUS, unknownFolder.kind());
            assertEquals(404, unknownFolder.status().getAsInt());
            assertTrue(unknownFolder.getMessage().contains("GET /api/models/no_such_folder"), unknownFolder.getMessage());

            JsonObject emptyImage = client.objectInfo("EmptyImage").orElseThrow();
            assertEquals(List.of("width", "height", "batch_size", "color"), List.of(emptyImage.getAsJsonObject("input_order")
                    .getAsJsonArray("required").asList().stream().map(e -> e.getAsString()).toArray()));
            assertEquals("18446744073709551615", client.objectInfo("KSampler").orElseThrow().getAsJsonObject("input")
                    .getAsJsonObject("required").getAsJsonArray("seed").get(1).getAsJsonObject().get("max").getAsBigInteger()
                    .toString());
            assertEquals(Optional.empty(), client.objectInfo("NoSuchNode"));
            assertEquals(Optional.empty(), client.history("00000000-0000-0000-0000-000000000000"));

            JsonObject all = client.objectInfo();
            assertEquals(383, all.size());
            assertTrue(all.has("KSampler"));
            // the parser variant hands over the raw text, as NodeSchema.parse(String, String) wants it
            int classes = client.objectInfo((text, what) -> ComfyJson.parseObject(text, what).size());
            assertEquals(383, classes);

            client.interruptAll();
            assertEquals("POST", server.last().method());
            assertEquals(0, server.last().body().length);

            // every route went through the /api prefix
            assertTrue(server.paths().stream().allMatch(p -> p.startsWith("/api/")), server.paths().toString());
            assertFalse(client.hasJobsApi(), "0.3.64 has no jobs API");
            ComfyException noJobs = assertThrows(ComfyException.class, () -> client.job("00000000-0000-0000-0000-000000000000"));
            assertEquals(Kind.UNSUPPORTED, noJobs.kind());
        }
    }

    @Test
    void probeFindsVersionDevicesAndFlags() throws Exception {
        try (ReplayServer server = ReplayServer.start().replay(captures, "00_http_endpoints.jsonl")) {
            ServerCapabilities capabilities = client(server).probe();
            assertEquals("0.3.64", capabilities.version());
            assertEquals("cpu", capabilities.stats().devices().get(0).name());
            assertTrue(capabilities.features().supportsPreviewMetadata());
            assertFalse(capabilities.jobsApi());
        }
    }

    @Test
    void successfulPromptHistoryAndView(@TempDir Path dir) throws Exception {
        try (ReplayServer server = ReplayServer.start().replay(captures, "01_prompt_success_ws.jsonl")) {
            ComfyClient client = client(server);
            PromptRequest request = PromptRequest.of(graph()).withClientId("client-a");
            PromptAccepted accepted = client.submit(request);
            assertEquals("09534e0a-aa85-4a4a-909b-dce31b017c17", accepted.promptId());
            assertEquals(0.0, accepted.number());
            assertFalse(accepted.partiallyAccepted());

            JsonObject sent = ComfyJson.parseObject(server.last().bodyText(), "sent");
            assertEquals(request.promptId(), sent.get("prompt_id").getAsString());
            assertEquals("client-a", sent.get("client_id").getAsString());
            assertEquals("EmptyImage", sent.getAsJsonObject("prompt").getAsJsonObject("1").get("class_type").getAsString());
            assertTrue(server.last().headers().get("Content-Type").startsWith("application/json"));

            HistoryEntry entry = client.history("09534e0a-aa85-4a4a-909b-dce31b017c17").orElseThrow();
            assertTrue(entry.succeeded());
            assertTrue(entry.completed());
            assertEquals(0.0, entry.number());
            assertEquals("execution_start", entry.messages().get(0).type());
            assertEquals("execution_success", entry.messages().get(entry.messages().size() - 1).type());
            List<FileRef> files = entry.outputFiles();
            assertTrue(files.contains(new FileRef("peer_invert_00001_.png", "", "output")), files.toString());
            FileRef temp = files.stream().filter(f -> f.type().equals("temp")).findFirst().orElseThrow();
            assertEquals("ComfyUI_temp_zflhb_00001_.png", temp.filename());

            Path target = dir.resolve("out/peer_invert.png");
            ViewResult result = client.view(ViewRequest.of(FileRef.output("peer_invert_00001_.png")), target);
            assertEquals(518, result.bytes());
            assertEquals("image/png", result.contentType());
            assertArrayEquals(Files.readAllBytes(captures.file("files/01_output_peer_invert_00001_.png")),
                    Files.readAllBytes(target));
            try (var listing = Files.list(target.getParent())) {
                assertEquals(1, listing.count(), "no temporary file left behind");
            }

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertEquals(592, client.view(ViewRequest.of(temp), out).bytes());
            assertArrayEquals(Files.readAllBytes(captures.file("files/01_temp_ComfyUI_temp_zflhb_00001_.png")),
                    out.toByteArray());
            assertTrue(server.last().query().contains("type=temp"), server.last().query());
        }
    }

    @Test
    void uploadsAreMultipartAndReturnTheServersName() throws Exception {
        try (ReplayServer server = ReplayServer.start().replay(captures, "03_upload_loadimage_ws.jsonl")) {
            ComfyClient client = client(server);
            Path src = captures.file("files/03_upload_src.png");
            Path src2 = captures.file("files/03_upload_src2.png");

            UploadResult first = client.uploadImage(new UploadRequest(src, "peer_upload.png", "input", "", true));
            assertEquals(new UploadResult("peer_upload.png", "", "input"), first);
            ReplayServer.Received sent = server.last();
            assertTrue(sent.headers().get("Content-Type").startsWith("multipart/form-data; boundary="));
            String body = new String(sent.body(), java.nio.charset.StandardCharsets.ISO_8859_1);
            assertTrue(body.contains("name=\"image\"; filename=\"peer_upload.png\""), body);
            assertTrue(body.contains("name=\"overwrite\"\r\n\r\ntrue\r\n"), body);
            assertTrue(body.contains(new String(Files.readAllBytes(src), java.nio.charset.StandardCharsets.ISO_8859_1)));

            assertEquals("peer_upload.png", client.uploadImage(new UploadRequest(src, "peer_upload.png", null, null, false)).name());
            UploadResult renamed = client.uploadImage(new UploadRequest(src2, "peer_upload.png", null, null, false));
            assertEquals("peer_upload (1).png", renamed.name());
            UploadResult sub = client.uploadImage(new UploadRequest(src2, "peer_sub.png", "input", "peer_tests", true));
            assertEquals("peer_tests/peer_sub.png", sub.loadImageValue());

            ComfyException traversal = assertThrows(ComfyException.class,
                    () -> client.uploadImage(new UploadRequest(src2, "evil.png", null, "../..", false)));
            assertEquals(Kind.HTTP_STATUS, traversal.kind());
            assertEquals(400, traversal.status().getAsInt());

            UploadResult mask = client.uploadMask(new UploadRequest(captures.file("files/03_upload_mask.png"),
                    "peer_upload_mask.png", "input", "", true), first.ref());
            assertEquals("peer_upload_mask.png", mask.name());
            String maskBody = new String(server.last().body(), java.nio.charset.StandardCharsets.ISO_8859_1);
            assertTrue(maskBody.contains("{\"filename\":\"peer_upload.png\",\"subfolder\":\"\",\"type\":\"input\"}"), maskBody);
            assertEquals("/api/upload/mask", server.last().path());

            ComfyException missing = assertThrows(ComfyException.class,
                    () -> client.uploadImage(UploadRequest.of(src.resolveSibling("does-not-exist.png"))));
            assertEquals(Kind.LOCAL_IO, missing.kind());
        }
    }

    @Test
    void validationErrorsAreTyped() throws Exception {
        try (ReplayServer server = ReplayServer.start().replay(captures, "08_prompt_validation_errors.jsonl")) {
            ComfyClient client = client(server);
            String[] expectedTopTypes = { "prompt_outputs_failed_validation", "invalid_prompt", "invalid_prompt",
                    "prompt_outputs_failed_validation", "prompt_outputs_failed_validation",
                    "prompt_outputs_failed_validation", "prompt_outputs_failed_validation",
                    "prompt_outputs_failed_validation", "prompt_outputs_failed_validation",
                    "prompt_outputs_failed_validation", "prompt_outputs_failed_validation", "prompt_no_outputs",
                    "no_prompt", "prompt_no_outputs", "prompt_outputs_failed_validation" };
            for (int i = 0; i < expectedTopTypes.length; i++) {
                PromptRejectedException e = assertThrows(PromptRejectedException.class,
                        () -> client.submit(PromptRequest.of(graph())), "case " + i);
                assertEquals(Kind.PROMPT_REJECTED, e.kind());
                assertEquals(expectedTopTypes[i], e.failure().error().type(), "case " + i);
                assertTrue(e.getMessage().startsWith("[replay] POST /api/prompt"), e.getMessage());
            }
            // the first case: ImageInvert.image missing
            PromptAccepted partial = client.submit(PromptRequest.of(graph()));
            assertEquals("6f009605-450f-4168-b644-0d6fc78bbef1", partial.promptId());
            assertEquals(23.0, partial.number());
            assertTrue(partial.partiallyAccepted());
            assertEquals("required_input_missing", partial.nodeErrors().get("9").errors().get(0).type());
            assertEquals("image", partial.nodeErrors().get("9").errors().get(0).inputName().orElseThrow());

            ComfyException notJson = assertThrows(ComfyException.class, () -> client.submit(PromptRequest.of(graph())));
            assertEquals(Kind.HTTP_STATUS, notJson.kind());
            assertEquals(500, notJson.status().getAsInt());
            assertTrue(notJson.bodyExcerpt().contains("Server got itself in trouble"), notJson.bodyExcerpt());
        }
    }

    @Test
    void firstRejectionCarriesNodeErrors() throws Exception {
        try (ReplayServer server = ReplayServer.start().replay(captures, "08_prompt_validation_errors.jsonl")) {
            PromptRejectedException e = assertThrows(PromptRejectedException.class,
                    () -> client(server).submit(PromptRequest.of(graph())));
            var node = e.failure().nodeErrors().get("2");
            assertEquals("ImageInvert", node.classType());
            assertEquals("required_input_missing", node.errors().get(0).type());
            assertEquals(List.of("3"), node.dependentOutputs());
        }
    }

    @Test
    void queueIsSortedByNumberAndManaged() throws Exception {
        Map<String, String> ids = Map.of("S", "882ee1d5-c3ed-4a36-be5c-b7484294aa46", "Q1",
                "45650727-a703-44d5-b7c3-cf88ddce59ec", "Q2", "18c7fa92-d7f0-44b6-8593-e0232447fd14", "Q3",
                "4bf79b0a-7ae0-42f9-92d4-3432cc494a19", "Q4", "08bc69d1-98c3-464a-91a5-b014ae8fe990", "Q5",
                "b94e1e16-db92-4521-8894-9b8f0e34c52f", "Q6", "8f91b2a0-fedf-4f12-aa69-9ca97efb98e2");
        try (ReplayServer server = ReplayServer.start().replay(captures, "09_queue_management.jsonl")) {
            ComfyClient client = client(server);
            double[] numbers = { 24, 25, 26, 27, -28, -100, 2.5 };
            for (double n : numbers) {
                assertEquals(n, client.submit(PromptRequest.of(graph())).number());
            }
            QueueSnapshot queue = client.queue();
            assertEquals(List.of(ids.get("S")), queue.running().stream().map(QueueItem::promptId).toList());
            assertEquals(List.of(ids.get("Q5"), ids.get("Q4"), ids.get("Q6"), ids.get("Q1"), ids.get("Q2"), ids.get("Q3")),
                    queue.pending().stream().map(QueueItem::promptId).toList());
            assertEquals(-100.0, queue.pending().get(0).number());
            assertEquals(7, client.queueRemaining());

            client.deleteFromQueue(List.of(ids.get("Q2")));
            JsonObject sent = ComfyJson.parseObject(server.last().bodyText(), "sent");
            assertEquals(ids.get("Q2"), sent.getAsJsonArray("delete").get(0).getAsString());
            assertFalse(client.queue().contains(ids.get("Q2")));
            client.deleteFromQueue(List.of("00000000-0000-0000-0000-000000000000"));
            assertEquals(0, client.queue().size());

            for (int i = 0; i < 3; i++) {
                client.submit(PromptRequest.of(graph()));
            }
            assertEquals(2, client.queue().pending().size());
            client.clearQueue();
            assertEquals("{\"clear\":true}", server.last().bodyText());
            QueueSnapshot cleared = client.queue();
            assertEquals(0, cleared.pending().size());
            assertEquals(1, cleared.running().size());
            client.interrupt("not-the-running-prompt");
            client.interrupt("bcc90ae7-a55a-46b4-903d-227f9dfe4669");
            assertEquals("{\"prompt_id\":\"bcc90ae7-a55a-46b4-903d-227f9dfe4669\"}", server.last().bodyText());
            assertEquals("/api/interrupt", server.last().path());
            HistoryEntry interrupted = client.history("bcc90ae7-a55a-46b4-903d-227f9dfe4669").orElseThrow();
            assertTrue(interrupted.interrupted());
            assertFalse(interrupted.succeeded());
            assertEquals("error", interrupted.statusStr());
        }
    }

    @Test
    void historyPagingDeletionAndFree() throws Exception {
        try (ReplayServer server = ReplayServer.start().replay(captures, "10_history_management.jsonl")) {
            ComfyClient client = client(server);
            List<HistoryEntry> all = client.history();
            assertEquals(21, all.size());
            assertEquals("09534e0a-aa85-4a4a-909b-dce31b017c17", all.get(0).promptId());
            assertTrue(all.stream().anyMatch(HistoryEntry::interrupted));
            assertTrue(all.stream().anyMatch(e -> e.executionError().isPresent()));

            List<HistoryEntry> lastTwo = client.history(2, 0);
            assertEquals(2, lastTwo.size());
            assertEquals("4a9d9246-213b-4701-bfae-c840c2019eb2", lastTwo.get(0).promptId());
            assertEquals(35.0, lastTwo.get(0).number());
            assertEquals("max_items=2", server.last().query());
            List<HistoryEntry> page = client.history(2, 1);
            assertEquals("5f4a901f-edf5-422e-9b1c-18d55f35fbcc", page.get(0).promptId());

            assertTrue(client.history("09534e0a-aa85-4a4a-909b-dce31b017c17").isPresent());
            client.deleteHistory(List.of("09534e0a-aa85-4a4a-909b-dce31b017c17", "5f4a901f-edf5-422e-9b1c-18d55f35fbcc"));
            assertEquals(2, ComfyJson.parseObject(server.last().bodyText(), "sent").getAsJsonArray("delete").size());
            assertEquals(Optional.empty(), client.history("09534e0a-aa85-4a4a-909b-dce31b017c17"));
            List<HistoryEntry> newest = client.history(1, 0);
            assertEquals("d56e497f-9c6f-479b-853d-9f358dbacaac", newest.get(0).promptId());
            client.clearHistory();
            assertEquals(0, client.history().size());

            client.free(true, false);
            assertEquals("{\"unload_models\":true}", server.last().bodyText());
            client.free(false, true);
            assertEquals("{\"free_memory\":true}", server.last().bodyText());
            client.free(true, true);
            assertEquals("{\"unload_models\":true,\"free_memory\":true}", server.last().bodyText());
        }
    }

    @Test
    void viewVariantsAndItsErrors() throws Exception {
        try (ReplayServer server = ReplayServer.start().replay(captures, "13_view_variants.jsonl")) {
            ComfyClient client = client(server);
            FileRef file = FileRef.output("peer_view_00001_.png");
            ByteArrayOutputStream plain = new ByteArrayOutputStream();
            client.view(ViewRequest.of(file), plain);
            assertArrayEquals(Files.readAllBytes(captures.file("files/13_plain.png")), plain.toByteArray());

            ByteArrayOutputStream webp = new ByteArrayOutputStream();
            ViewResult preview = client.view(ViewRequest.of(file).withPreview("webp;50"), webp);
            assertEquals("image/webp", preview.contentType());
            assertArrayEquals(Files.readAllBytes(captures.file("files/13_preview_webp50.webp")), webp.toByteArray());
            assertTrue(server.last().query().contains("preview=webp%3B50"), server.last().query());

            ByteArrayOutputStream alpha = new ByteArrayOutputStream();
            client.view(ViewRequest.of(file).withChannel("a"), alpha);
            assertArrayEquals(Files.readAllBytes(captures.file("files/13_channel_a.png")), alpha.toByteArray());

            ComfyException missing = assertThrows(ComfyException.class,
                    () -> client.view(ViewRequest.of(FileRef.output("does_not_exist.png")), new ByteArrayOutputStream()));
            assertEquals(404, missing.status().getAsInt());
            ComfyException traversal = assertThrows(ComfyException.class,
                    () -> client.view(ViewRequest.of(new FileRef("peer_view_00001_.png", "../..", "output")),
                            new ByteArrayOutputStream()));
            assertEquals(Kind.HTTP_STATUS, traversal.kind());
            assertEquals(403, traversal.status().getAsInt());
            ComfyException bogus = assertThrows(ComfyException.class,
                    () -> client.view(ViewRequest.of(new FileRef("peer_view_00001_.png", "", "bogus")),
                            new ByteArrayOutputStream()));
            assertEquals(400, bogus.status().getAsInt());
        }
    }

    @Test
    void outputVariantsListEveryFile() throws Exception {
        try (ReplayServer server = ReplayServer.start().replay(captures, "14_output_variants_ws.jsonl")) {
            ComfyClient client = client(server);
            String id = captures.records("14_output_variants_ws.jsonl", "http_response").stream()
                    .filter(r -> r.get("path").getAsString().startsWith("/history/")).findFirst().orElseThrow()
                    .get("path").getAsString().substring("/history/".length());
            HistoryEntry entry = client.history(id).orElseThrow();
            List<FileRef> files = entry.outputFiles();
            assertTrue(files.contains(new FileRef("peer_latent_00001_.latent", "latents", "output")), files.toString());
            assertEquals(3, files.stream().filter(f -> f.filename().startsWith("peer_composite_")).count());
            assertTrue(files.stream().anyMatch(f -> f.filename().equals("peer_awebp_00001_.webp")));
            ByteArrayOutputStream latent = new ByteArrayOutputStream();
            assertEquals(6128, client.view(ViewRequest.of(new FileRef("peer_latent_00001_.latent", "latents", "output")),
                    latent).bytes());
            assertInstanceOf(JsonObject.class, entry.outputs().values().iterator().next());
        }
    }
}
