package comfy.workbench.monitor.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import comfy.workbench.monitor.api.EventType;
import comfy.workbench.monitor.api.ExecutedEvent;
import comfy.workbench.monitor.api.ExecutingEvent;
import comfy.workbench.monitor.api.ExecutionCachedEvent;
import comfy.workbench.monitor.api.ExecutionErrorEvent;
import comfy.workbench.monitor.api.ExecutionFailure;
import comfy.workbench.monitor.api.ExecutionInterruptedEvent;
import comfy.workbench.monitor.api.ExecutionStartEvent;
import comfy.workbench.monitor.api.ExecutionSuccessEvent;
import comfy.workbench.monitor.api.FeatureFlagsEvent;
import comfy.workbench.monitor.api.MonitorEvent;
import comfy.workbench.monitor.api.NodeProgress;
import comfy.workbench.monitor.api.PreviewEvent;
import comfy.workbench.monitor.api.ProgressEvent;
import comfy.workbench.monitor.api.ProgressStateEvent;
import comfy.workbench.monitor.api.ProgressTextEvent;
import comfy.workbench.monitor.api.StatusEvent;
import comfy.workbench.monitor.internal.BadFrameException;
import comfy.workbench.monitor.internal.FrameDecoder;
import comfy.workbench.testing.captures.Captures;

/**
 * Every frame a real ComfyUI 0.3.64 sent in the captures decodes to its event with the values the capture holds.
 * The expected values are read from each record's parsed {@code data} (or the recorder's decoded binary header
 * fields), so this is an independent, tree-based reading compared with the decoder's streaming one; a few
 * representative messages are also checked against literal values.
 */
final class FrameDecoderCaptureTest {

    private static final Instant AT = Instant.parse("2026-11-28T04:00:00Z");
    private static final String SERVER = "local";

    private static Captures captures;
    private final FrameDecoder decoder = new FrameDecoder(SERVER);

    @BeforeAll
    static void locate() {
        captures = Captures.locate();
    }

    @Test
    void everyCapturedFrameDecodesToItsEventWithTheCapturedValues() throws Exception {
        Map<String, Integer> byType = new TreeMap<>();
        int frames = 0;
        for (String transcript : captures.transcripts()) {
            for (JsonObject r : captures.records(transcript)) {
                String kind = r.get("kind").getAsString();
                String where = transcript + " seq " + r.get("seq").getAsInt();
                MonitorEvent e;
                if (kind.equals("ws_text")) {
                    e = decoder.decodeText(r.get("raw").getAsString(), AT);
                    checkText(r.getAsJsonObject("data"), e, where);
                } else if (kind.equals("ws_binary")) {
                    e = decoder.decodeBinary(frame(r), AT);
                    checkBinary(r, e, where);
                } else {
                    continue;
                }
                assertEquals(SERVER, e.serverId(), where);
                assertEquals(AT, e.receivedAt(), where);
                byType.merge(e.type().name(), 1, Integer::sum);
                frames++;
            }
        }
        // totals of the 15 transcripts (ws_text and ws_binary records), counted independently with a script
        assertEquals(434, frames, byType.toString());
        assertEquals(Map.ofEntries(Map.entry("STATUS", 92), Map.entry("FEATURE_FLAGS", 1),
                Map.entry("EXECUTION_START", 19), Map.entry("EXECUTION_CACHED", 19), Map.entry("EXECUTING", 90),
                Map.entry("PROGRESS", 4), Map.entry("PROGRESS_STATE", 161), Map.entry("EXECUTED", 22),
                Map.entry("EXECUTION_SUCCESS", 15), Map.entry("EXECUTION_ERROR", 1),
                Map.entry("EXECUTION_INTERRUPTED", 3), Map.entry("PREVIEW", 4), Map.entry("PROGRESS_TEXT", 3)),
                byType);
    }

    private static void checkText(JsonObject message, MonitorEvent e, String where) {
        String type = message.get("type").getAsString();
        JsonObject d = message.getAsJsonObject("data");
        switch (type) {
            case "status" -> {
                StatusEvent s = assertInstanceOf(StatusEvent.class, e, where);
                assertEquals(d.getAsJsonObject("status").getAsJsonObject("exec_info").get("queue_remaining").getAsInt(),
                        s.queueRemaining(), where);
                assertEquals(str(d, "sid"), s.sessionId(), where);
                assertNull(s.promptId(), where);
            }
            case "feature_flags" -> assertEquals(d, assertInstanceOf(FeatureFlagsEvent.class, e, where).flags().flags(),
                    where);
            case "execution_start" -> {
                ExecutionStartEvent s = assertInstanceOf(ExecutionStartEvent.class, e, where);
                assertEquals(str(d, "prompt_id"), s.promptId(), where);
                assertEquals(d.get("timestamp").getAsLong(), s.serverTimestamp(), where);
            }
            case "execution_success" -> {
                ExecutionSuccessEvent s = assertInstanceOf(ExecutionSuccessEvent.class, e, where);
                assertEquals(str(d, "prompt_id"), s.promptId(), where);
                assertEquals(d.get("timestamp").getAsLong(), s.serverTimestamp(), where);
            }
            case "execution_cached" -> {
                ExecutionCachedEvent c = assertInstanceOf(ExecutionCachedEvent.class, e, where);
                assertEquals(str(d, "prompt_id"), c.promptId(), where);
                assertEquals(strings(d.getAsJsonArray("nodes")), c.nodes(), where);
                assertEquals(d.get("timestamp").getAsLong(), c.serverTimestamp(), where);
            }
            case "executing" -> {
                ExecutingEvent x = assertInstanceOf(ExecutingEvent.class, e, where);
                assertEquals(str(d, "node"), x.node(), where);
                assertEquals(str(d, "display_node"), x.displayNode(), where);
                assertEquals(str(d, "prompt_id"), x.promptId(), where);
            }
            case "progress" -> {
                ProgressEvent p = assertInstanceOf(ProgressEvent.class, e, where);
                assertEquals(d.get("value").getAsDouble(), p.value(), where);
                assertEquals(d.get("max").getAsDouble(), p.max(), where);
                assertEquals(str(d, "prompt_id"), p.promptId(), where);
                assertEquals(str(d, "node"), p.node(), where);
            }
            case "progress_state" -> {
                ProgressStateEvent p = assertInstanceOf(ProgressStateEvent.class, e, where);
                assertEquals(str(d, "prompt_id"), p.promptId(), where);
                JsonObject nodes = d.getAsJsonObject("nodes");
                assertEquals(nodes.keySet(), p.nodes().keySet(), where);
                for (String id : nodes.keySet()) {
                    JsonObject n = nodes.getAsJsonObject(id);
                    NodeProgress np = p.nodes().get(id);
                    assertEquals(str(n, "node_id"), np.nodeId(), where);
                    assertEquals(n.get("value").getAsDouble(), np.value(), where);
                    assertEquals(n.get("max").getAsDouble(), np.max(), where);
                    assertEquals(NodeProgress.NodeState.of(str(n, "state")), np.state(), where);
                    assertFalse(np.state() == NodeProgress.NodeState.OTHER, where);
                    assertEquals(str(n, "display_node_id"), np.displayNodeId(), where);
                    assertEquals(str(n, "parent_node_id"), np.parentNodeId(), where);
                    assertEquals(str(n, "real_node_id"), np.realNodeId(), where);
                }
            }
            case "executed" -> {
                ExecutedEvent x = assertInstanceOf(ExecutedEvent.class, e, where);
                assertEquals(str(d, "node"), x.node(), where);
                assertEquals(str(d, "display_node"), x.displayNode(), where);
                assertEquals(str(d, "prompt_id"), x.promptId(), where);
                assertEquals(d.getAsJsonObject("output"), x.output(), where);
            }
            case "execution_error" -> {
                ExecutionErrorEvent x = assertInstanceOf(ExecutionErrorEvent.class, e, where);
                assertEquals(str(d, "prompt_id"), x.promptId(), where);
                assertEquals(d.get("timestamp").getAsLong(), x.serverTimestamp(), where);
                ExecutionFailure f = x.failure();
                assertEquals(str(d, "node_id"), f.nodeId(), where);
                assertEquals(str(d, "node_type"), f.nodeType(), where);
                assertEquals(strings(d.getAsJsonArray("executed")), f.executed(), where);
                assertEquals(str(d, "exception_type"), f.exceptionType(), where);
                assertEquals(str(d, "exception_message"), f.exceptionMessage(), where);
                assertEquals(strings(d.getAsJsonArray("traceback")), f.traceback(), where);
            }
            case "execution_interrupted" -> {
                ExecutionInterruptedEvent x = assertInstanceOf(ExecutionInterruptedEvent.class, e, where);
                assertEquals(str(d, "prompt_id"), x.promptId(), where);
                assertEquals(d.get("timestamp").getAsLong(), x.serverTimestamp(), where);
                assertEquals(str(d, "node_id"), x.failure().nodeId(), where);
                assertEquals(str(d, "node_type"), x.failure().nodeType(), where);
                assertEquals(strings(d.getAsJsonArray("executed")), x.failure().executed(), where);
                assertNull(x.failure().exceptionType(), where);
            }
            default -> fail(where + ": the captures hold a type this test does not know: " + type);
        }
    }

    private static void checkBinary(JsonObject r, MonitorEvent e, String where) throws Exception {
        switch (r.get("event_type").getAsInt()) {
            case 1 -> {
                PreviewEvent p = assertInstanceOf(PreviewEvent.class, e, where);
                assertEquals(r.get("image_format").getAsInt() == 2 ? "image/png" : "image/jpeg", p.mediaType(), where);
                assertEquals(r.get("image_length").getAsInt(), p.size(), where);
                assertEquals(r.get("image_sha256").getAsString(), sha256(p), where);
                assertNull(p.promptId(), where);
                assertNull(p.nodeId(), where);
            }
            case 3 -> {
                ProgressTextEvent t = assertInstanceOf(ProgressTextEvent.class, e, where);
                assertEquals(r.get("node_id").getAsString(), t.nodeId(), where);
                assertEquals(r.get("text").getAsString(), t.text(), where);
            }
            case 4 -> {
                PreviewEvent p = assertInstanceOf(PreviewEvent.class, e, where);
                JsonObject meta = r.getAsJsonObject("metadata");
                assertEquals(str(meta, "image_type"), p.mediaType(), where);
                assertEquals(str(meta, "prompt_id"), p.promptId(), where);
                assertEquals(str(meta, "node_id"), p.nodeId(), where);
                assertEquals(str(meta, "display_node_id"), p.displayNodeId(), where);
                assertEquals(r.get("image_length").getAsInt(), p.size(), where);
                assertEquals(r.get("image_sha256").getAsString(), sha256(p), where);
            }
            default -> fail(where + ": unexpected binary type in the captures");
        }
    }

    // ---- representative messages, with literal values

    @Test
    void executionErrorOf06CarriesTheExceptionAndTraceback() throws Exception {
        ExecutionErrorEvent e = assertInstanceOf(ExecutionErrorEvent.class, only("06_execution_error_ws.jsonl",
                "execution_error"));
        assertEquals("693e5e34-244b-4689-967f-0e6b716e4f2d", e.promptId());
        ExecutionFailure f = e.failure();
        assertEquals("RuntimeError", f.exceptionType());
        assertTrue(f.exceptionMessage().startsWith("Input and output sizes should be greater than 0"),
                f.exceptionMessage());
        assertEquals("2", f.nodeId());
        assertEquals("ImageScaleBy", f.nodeType());
        assertEquals(List.of("1"), f.executed());
        assertFalse(f.traceback().isEmpty());
        assertTrue(f.traceback().get(0).contains("/opt/ComfyUI/execution.py"), f.traceback().get(0));
        assertTrue(f.describe().startsWith("RuntimeError: Input and output sizes"), f.describe());
        assertTrue(e.serverTimestamp() > 1_700_000_000_000L, "epoch ms: " + e.serverTimestamp());
    }

    @Test
    void interruptionOf07NamesTheNodeAndWhatRanBefore() throws Exception {
        ExecutionInterruptedEvent e = assertInstanceOf(ExecutionInterruptedEvent.class,
                only("07_execution_interrupted_ws.jsonl", "execution_interrupted"));
        assertEquals("e559f497-0645-466a-a4cc-f15146f2ef48", e.promptId());
        assertEquals(1795823534547L, e.serverTimestamp());
        assertEquals(new ExecutionFailure("11", "ImageBlur", List.of("1", "10"), null, null, List.of()), e.failure());
        assertEquals("interrupted (node 11 ImageBlur)", e.failure().describe());
    }

    @Test
    void reconnectReplayOf12HasANodeButNoPrompt() throws Exception {
        List<MonitorEvent> replays = new ArrayList<>();
        for (JsonObject r : captures.records("12_ws_reconnect_during_execution.jsonl", "ws_text")) {
            MonitorEvent e = decoder.decodeText(r.get("raw").getAsString(), AT);
            if (e instanceof ExecutingEvent x && x.replay()) {
                replays.add(e);
            }
        }
        assertEquals(List.of(new ExecutingEvent(SERVER, AT, null, "10", null)), replays);
    }

    @Test
    void endOfPromptIsExecutingWithNullNode() throws Exception {
        ExecutingEvent done = null;
        for (JsonObject r : captures.records("01_prompt_success_ws.jsonl", "ws_text")) {
            if (decoder.decodeText(r.get("raw").getAsString(), AT) instanceof ExecutingEvent x && x.node() == null) {
                done = x;
            }
        }
        assertEquals(new ExecutingEvent(SERVER, AT, "09534e0a-aa85-4a4a-909b-dce31b017c17", null, null), done);
        assertTrue(done.promptDone());
    }

    @Test
    void firstStatusCarriesTheSessionIdAndLaterOnesDoNot() throws Exception {
        List<JsonObject> texts = captures.records("11_client_id_and_extra_data.jsonl", "ws_text");
        StatusEvent first = assertInstanceOf(StatusEvent.class, decoder.decodeText(raw(texts.get(0)), AT));
        assertEquals("1f703acf-845d-4648-b07f-2e34da5e82b0", first.sessionId());
        assertEquals(0, first.queueRemaining());
        // socket C connected without a clientId: the server made up a hex sid
        StatusEvent third = assertInstanceOf(StatusEvent.class, decoder.decodeText(raw(texts.get(2)), AT));
        assertEquals("94a871f0e6a6487a8bcc858b6edc9d25", third.sessionId());
        StatusEvent later = assertInstanceOf(StatusEvent.class, decoder.decodeText(raw(texts.get(3)), AT));
        assertNull(later.sessionId());
        assertEquals(1, later.queueRemaining());
    }

    @Test
    void eachOutputVariantOf14() throws Exception {
        Map<String, JsonObject> outputs = new TreeMap<>();
        for (JsonObject r : captures.records("14_output_variants_ws.jsonl", "ws_text")) {
            if (decoder.decodeText(raw(r), AT) instanceof ExecutedEvent x) {
                assertEquals("d56e497f-9c6f-479b-853d-9f358dbacaac", x.promptId());
                assertEquals(x.node(), x.displayNode());
                outputs.put(x.node(), x.output());
            }
        }
        assertEquals(Map.of(
                "2", json("{\"images\":[{\"filename\":\"peer_apng_00001_.png\",\"subfolder\":\"\",\"type\":\"output\"}],"
                        + "\"animated\":[true]}"),
                "3", json("{\"images\":[{\"filename\":\"peer_awebp_00001_.webp\",\"subfolder\":\"\",\"type\":\"output\"}],"
                        + "\"animated\":[true]}"),
                "5", json("{\"images\":[{\"filename\":\"ComfyUI_temp_eloor_00001_.png\",\"subfolder\":\"\","
                        + "\"type\":\"temp\"}]}"),
                "9", json("{\"images\":[{\"filename\":\"peer_composite_00001_.png\",\"subfolder\":\"\",\"type\":\"output\"},"
                        + "{\"filename\":\"peer_composite_00002_.png\",\"subfolder\":\"\",\"type\":\"output\"},"
                        + "{\"filename\":\"peer_composite_00003_.png\",\"subfolder\":\"\",\"type\":\"output\"}]}"),
                "11", json("{\"text\":[\"48\"]}"),
                "14", json("{\"latents\":[{\"filename\":\"peer_latent_00001_.latent\",\"subfolder\":\"latents\","
                        + "\"type\":\"output\"}]}")),
                outputs);
    }

    @Test
    void legacyBinaryFramesOf04() throws Exception {
        List<MonitorEvent> events = binaries("04_ws_progress_binary_legacy.jsonl");
        assertEquals(3, events.size());
        assertEquals(new ProgressTextEvent(SERVER, AT, null, "2", "width: 64, height: 48\n batch size: 2"), events.get(0));
        for (MonitorEvent e : events.subList(1, 3)) {
            PreviewEvent p = assertInstanceOf(PreviewEvent.class, e);
            assertEquals("image/png", p.mediaType());
            assertEquals(200, p.size());
            assertEquals("1c4328c512ea14796c9bd4d4433303df800212d57bf509bc606a8a6bc804b9ba", sha256(p));
        }
    }

    @Test
    void metadataBinaryFramesAndFeatureFlagsOf05() throws Exception {
        List<MonitorEvent> events = binaries("05_ws_progress_binary_metadata.jsonl");
        assertEquals(3, events.size());
        assertEquals(new ProgressTextEvent(SERVER, AT, null, "2", "width: 40, height: 24\n batch size: 2"), events.get(0));
        for (MonitorEvent e : events.subList(1, 3)) {
            PreviewEvent p = assertInstanceOf(PreviewEvent.class, e);
            assertEquals("5c931af6-9d54-4435-9ff1-ec3a9a58ca68", p.promptId());
            assertEquals("4", p.nodeId());
            assertEquals("4", p.displayNodeId());
            assertEquals("image/png", p.mediaType());
            assertEquals(124, p.size());
            assertEquals("25756932f4e6a4eab46ddcffb7424fc3f38bb0e37e8bb3cbda39de5fec55b063", sha256(p));
        }
        FeatureFlagsEvent flags = assertInstanceOf(FeatureFlagsEvent.class, only("05_ws_progress_binary_metadata.jsonl",
                "feature_flags"));
        assertTrue(flags.flags().supportsPreviewMetadata());
        assertEquals(104857600L, flags.flags().maxUploadSize().getAsLong());
    }

    @Test
    void previewImageIsAViewOfTheFrameNotACopy() throws Exception {
        JsonObject r = captures.records("05_ws_progress_binary_metadata.jsonl", "ws_binary").stream()
                .filter(b -> b.get("event_type").getAsInt() == 4).findFirst().orElseThrow();
        ByteBuffer frame = frame(r);
        int imageOffset = r.get("image_offset").getAsInt();
        PreviewEvent p = assertInstanceOf(PreviewEvent.class, decoder.decodeBinary(frame, AT));
        assertEquals(frame.get(imageOffset), p.image().get(0));
        frame.put(imageOffset, (byte) (frame.get(imageOffset) ^ 0x5A));
        // the event sees the change: it shares the frame's bytes
        assertEquals(frame.get(imageOffset), p.image().get(0));
        assertTrue(p.image().isReadOnly());
    }

    @Test
    void frameAtAnOffsetInALargerBufferDecodesFromItsPosition() throws Exception {
        JsonObject r = captures.records("04_ws_progress_binary_legacy.jsonl", "ws_binary").get(1);
        byte[] bytes = Base64.getDecoder().decode(r.get("frame_base64").getAsString());
        byte[] padded = new byte[bytes.length + 20];
        System.arraycopy(bytes, 0, padded, 7, bytes.length);
        ByteBuffer frame = ByteBuffer.wrap(padded, 7, bytes.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        PreviewEvent p = assertInstanceOf(PreviewEvent.class, decoder.decodeBinary(frame, AT));
        assertEquals(200, p.size());
        assertEquals(r.get("image_sha256").getAsString(), sha256(p));
    }

    // ---- helpers

    private MonitorEvent only(String transcript, String type) throws BadFrameException {
        List<JsonObject> matching = captures.records(transcript, "ws_text").stream()
                .filter(r -> r.getAsJsonObject("data").get("type").getAsString().equals(type)).toList();
        assertEquals(1, matching.size(), type + " in " + transcript);
        MonitorEvent e = decoder.decodeText(raw(matching.get(0)), AT);
        assertEquals(EventType.valueOf(type.toUpperCase()), e.type());
        return e;
    }

    private List<MonitorEvent> binaries(String transcript) throws BadFrameException {
        List<MonitorEvent> events = new ArrayList<>();
        for (JsonObject r : captures.records(transcript, "ws_binary")) {
            events.add(decoder.decodeBinary(frame(r), AT));
        }
        return events;
    }

    private static String raw(JsonObject record) {
        return record.get("raw").getAsString();
    }

    private static ByteBuffer frame(JsonObject record) {
        byte[] bytes = Base64.getDecoder().decode(record.get("frame_base64").getAsString());
        assertEquals(record.get("length").getAsInt(), bytes.length);
        return ByteBuffer.wrap(bytes);
    }

    private static String sha256(PreviewEvent p) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(p.image());
        return HexFormat.of().formatHex(sha.digest());
    }

    private static String str(JsonObject o, String field) {
        JsonElement e = o.get(field);
        return e == null || e.isJsonNull() ? null : e.getAsString();
    }

    private static List<String> strings(JsonArray a) {
        List<String> list = new ArrayList<>();
        a.forEach(x -> list.add(x.getAsString()));
        return list;
    }

    private static JsonObject json(String text) {
        return JsonParser.parseString(text).getAsJsonObject();
    }
}
