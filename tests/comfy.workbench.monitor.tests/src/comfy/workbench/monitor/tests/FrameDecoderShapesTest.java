package comfy.workbench.monitor.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import comfy.workbench.monitor.api.ExecutingEvent;
import comfy.workbench.monitor.api.ExecutionCachedEvent;
import comfy.workbench.monitor.api.LogsEvent;
import comfy.workbench.monitor.api.MonitorEvent;
import comfy.workbench.monitor.api.NodeProgress;
import comfy.workbench.monitor.api.NodeProgress.NodeState;
import comfy.workbench.monitor.api.PreviewEvent;
import comfy.workbench.monitor.api.ProgressEvent;
import comfy.workbench.monitor.api.ProgressStateEvent;
import comfy.workbench.monitor.api.ProgressTextEvent;
import comfy.workbench.monitor.api.StatusEvent;
import comfy.workbench.monitor.api.UnknownEvent;
import comfy.workbench.monitor.internal.BadFrameException;
import comfy.workbench.monitor.internal.FrameDecoder;

/** Shapes the captures do not show but a server may send: field order, Python floats, unknown types, and more. */
final class FrameDecoderShapesTest {

    private static final Instant AT = Instant.parse("2026-11-28T04:30:00Z");
    private static final String PID = "00000000-0000-4000-8000-000000000000";

    private final FrameDecoder decoder = new FrameDecoder("s1");

    /** The three messages of the fake server's flood, as it writes them. */
    static final String PROGRESS = "{\"type\":\"progress\",\"data\":{\"value\":7,\"max\":20,\"prompt_id\":\"" + PID
            + "\",\"node\":\"3\"}}";
    static final String PROGRESS_STATE = "{\"type\":\"progress_state\",\"data\":{\"prompt_id\":\"" + PID
            + "\",\"nodes\":{\"3\":{\"value\":7,\"max\":20,\"state\":\"running\",\"node_id\":\"3\",\"prompt_id\":\"" + PID
            + "\",\"display_node_id\":\"3\",\"parent_node_id\":null,\"real_node_id\":\"3\"}}}}";
    static final String EXECUTING = "{\"type\":\"executing\",\"data\":{\"node\":\"3\",\"display_node\":\"3\",\"prompt_id\":\""
            + PID + "\"}}";

    @Test
    void floodMessagesDecode() throws BadFrameException {
        assertEquals(new ProgressEvent("s1", AT, PID, "3", 7, 20), decoder.decodeText(PROGRESS, AT));
        assertEquals(new ProgressStateEvent("s1", AT, PID,
                Map.of("3", new NodeProgress("3", 7, 20, NodeState.RUNNING, "3", null, "3"))),
                decoder.decodeText(PROGRESS_STATE, AT));
        assertEquals(new ExecutingEvent("s1", AT, PID, "3", "3"), decoder.decodeText(EXECUTING, AT));
    }

    @Test
    void fieldsMayComeInAnyOrderAndDataBeforeType() throws BadFrameException {
        MonitorEvent expected = decoder.decodeText(PROGRESS, AT);
        assertEquals(expected, decoder.decodeText(
                "{\"data\":{\"node\":\"3\",\"prompt_id\":\"" + PID + "\",\"max\":20,\"value\":7},\"type\":\"progress\"}", AT));
        assertEquals(decoder.decodeText(PROGRESS_STATE, AT), decoder.decodeText(
                "{\"data\":{\"nodes\":{\"3\":{\"real_node_id\":\"3\",\"parent_node_id\":null,\"display_node_id\":\"3\","
                        + "\"prompt_id\":\"" + PID + "\",\"node_id\":\"3\",\"state\":\"running\",\"max\":20,\"value\":7}},"
                        + "\"prompt_id\":\"" + PID + "\"},\"extra\":[1,{\"x\":null}],\"type\":\"progress_state\"}", AT));
        // whitespace and fields this version does not know are fine
        assertEquals(expected, decoder.decodeText(" {\n \"type\" : \"progress\" , \"data\" : { \"value\" : 7 , \"max\" : 20 ,"
                + " \"prompt_id\" : \"" + PID + "\" , \"node\" : \"3\" , \"eta\" : {\"s\": [1.5]} } , \"v\": 2 }\n", AT));
    }

    @Test
    void goodFramesAfterBadOnesDecodeAsIfAlone() throws BadFrameException {
        // the decoder keeps one JSON reader from frame to frame; a bad frame must not leave anything behind in it
        MonitorEvent progress = decoder.decodeText(PROGRESS, AT);
        List<String> bad = List.of("{\"type\":\"progress\"", "{\"type\":\"progress\",\"data\":{}}", "}", "\"",
                PROGRESS + " {", PROGRESS + PROGRESS, PROGRESS + " // trailing", PROGRESS.substring(0, 40), "[", "/*",
                "{\"type\":\"x\",\"data\":\"", "\ufeff");
        for (String b : bad) {
            try {
                decoder.decodeText(b, AT);
            } catch (BadFrameException expected) {
                // the point is the next frame
            }
            assertEquals(progress, decoder.decodeText(PROGRESS, AT), "after " + b);
        }
        // what a lone reader accepts after the value (whitespace, a lenient comment) is accepted from the shared one
        assertEquals(progress, decoder.decodeText(PROGRESS + " \n\t", AT));
        assertEquals(progress, decoder.decodeText(PROGRESS + " /* note */ ", AT));
        assertEquals(progress, decoder.decodeText(PROGRESS + " // note", AT));
    }

    @Test
    void oneDecoderServesTwoThreadsAtOnce() throws Exception {
        MonitorEvent progress = decoder.decodeText(PROGRESS, AT);
        MonitorEvent state = decoder.decodeText(PROGRESS_STATE, AT);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            java.util.concurrent.Callable<Integer> a = () -> {
                int wrong = 0;
                for (int i = 0; i < 50_000; i++) {
                    wrong += progress.equals(decoder.decodeText(PROGRESS, AT)) ? 0 : 1;
                }
                return wrong;
            };
            java.util.concurrent.Callable<Integer> b = () -> {
                int wrong = 0;
                for (int i = 0; i < 50_000; i++) {
                    wrong += state.equals(decoder.decodeText(PROGRESS_STATE, AT)) ? 0 : 1;
                }
                return wrong;
            };
            List<java.util.concurrent.Future<Integer>> results = pool.invokeAll(List.of(a, b));
            assertEquals(0, results.get(0).get(30, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals(0, results.get(1).get(30, java.util.concurrent.TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void pythonFloatsAndIdsAsNumbers() throws BadFrameException {
        ProgressEvent p = assertInstanceOf(ProgressEvent.class,
                decoder.decodeText("{\"type\":\"progress\",\"data\":{\"value\":NaN,\"max\":Infinity,\"node\":3}}", AT));
        assertTrue(Double.isNaN(p.value()));
        assertEquals(Double.POSITIVE_INFINITY, p.max());
        assertEquals("3", p.node());
        assertNull(p.promptId());
        assertEquals(0.0, p.fraction());
        ProgressStateEvent s = assertInstanceOf(ProgressStateEvent.class, decoder.decodeText(
                "{\"type\":\"progress_state\",\"data\":{\"prompt_id\":\"p\",\"nodes\":{\"5\":{\"value\":-Infinity,"
                        + "\"max\":1.0,\"state\":\"running\",\"node_id\":5}}}}", AT));
        assertEquals(Double.NEGATIVE_INFINITY, s.nodes().get("5").value());
        assertEquals("5", s.nodes().get("5").nodeId());
    }

    @Test
    void progressStateWithSeveralNodesAndEveryState() throws BadFrameException {
        ProgressStateEvent s = assertInstanceOf(ProgressStateEvent.class, decoder.decodeText(
                "{\"type\":\"progress_state\",\"data\":{\"prompt_id\":\"p\",\"nodes\":{"
                        + "\"1\":{\"value\":1.0,\"max\":1.0,\"state\":\"finished\",\"node_id\":\"1\"},"
                        + "\"2\":{\"value\":0.5,\"max\":1.0,\"state\":\"error\",\"node_id\":\"2\"},"
                        + "\"7:3\":{\"value\":3,\"max\":9,\"state\":\"running\",\"node_id\":\"7:3\",\"parent_node_id\":\"7\","
                        + "\"real_node_id\":\"3\",\"display_node_id\":\"7\",\"activity\":\"sampling\"},"
                        + "\"8\":{\"value\":0,\"max\":1,\"state\":\"pending\"}}}}", AT));
        assertEquals(Map.of(
                "1", new NodeProgress("1", 1, 1, NodeState.FINISHED, null, null, null),
                "2", new NodeProgress("2", 0.5, 1, NodeState.ERROR, null, null, null),
                "7:3", new NodeProgress("7:3", 3, 9, NodeState.RUNNING, "7", "7", "3"),
                // no node_id: the key is the node id
                "8", new NodeProgress("8", 0, 1, NodeState.OTHER, null, null, null)), s.nodes());
        assertEquals(Map.of(), assertInstanceOf(ProgressStateEvent.class,
                decoder.decodeText("{\"type\":\"progress_state\",\"data\":{\"prompt_id\":\"p\",\"nodes\":{}}}", AT))
                .nodes());
    }

    @Test
    void smallMessagesWithOptionalFieldsAbsent() throws BadFrameException {
        assertEquals(new StatusEvent("s1", AT, 3, null),
                decoder.decodeText("{\"type\":\"status\",\"data\":{\"status\":{\"exec_info\":{\"queue_remaining\":3}}}}", AT));
        assertEquals(new ExecutionCachedEvent("s1", AT, "p", List.of(), 0),
                decoder.decodeText("{\"type\":\"execution_cached\",\"data\":{\"prompt_id\":\"p\"}}", AT));
        assertEquals(new ExecutingEvent("s1", AT, "p", null, null),
                decoder.decodeText("{\"type\":\"executing\",\"data\":{\"node\":null,\"prompt_id\":\"p\"}}", AT));
    }

    @Test
    void logsMessage() throws BadFrameException {
        LogsEvent logs = assertInstanceOf(LogsEvent.class, decoder.decodeText("{\"type\":\"logs\",\"data\":{\"entries\":["
                + "{\"t\":\"2026-11-28T04:30:00.1\",\"m\":\"got prompt\\n\"},{\"t\":null,\"m\":\"Prompt executed in 0.01 s\"}],"
                + "\"size\":{\"cols\":120,\"rows\":40}}}", AT));
        assertEquals(List.of(new LogsEvent.Entry("2026-11-28T04:30:00.1", "got prompt\n"),
                new LogsEvent.Entry(null, "Prompt executed in 0.01 s")), logs.entries());
    }

    @Test
    void unknownTypesPassThroughWhole() throws BadFrameException {
        String crystools = "{\"type\":\"crystools.monitor\",\"data\":{\"cpu_utilization\":12.5,\"gpus\":[{\"vram\":NaN}]}}";
        assertEquals(new UnknownEvent("s1", AT, "crystools.monitor", crystools, null), decoder.decodeText(crystools, AT));
        String bare = "{\"type\":\"notification\"}";
        assertEquals(new UnknownEvent("s1", AT, "notification", bare, null), decoder.decodeText(bare, AT));
    }

    @Test
    void unknownBinaryTypesCarryThePayloadAfterTheTypeWord() throws BadFrameException {
        UnknownEvent two = assertInstanceOf(UnknownEvent.class,
                decoder.decodeBinary(ByteBuffer.wrap(new byte[] {0, 0, 0, 2, 9, 8, 7}), AT));
        assertEquals("binary:2", two.name());
        assertNull(two.json());
        byte[] payload = new byte[3];
        two.binary().get(payload);
        assertArrayEquals(new byte[] {9, 8, 7}, payload);
        UnknownEvent max = assertInstanceOf(UnknownEvent.class,
                decoder.decodeBinary(ByteBuffer.wrap(new byte[] {-1, -1, -1, -1}), AT));
        assertEquals("binary:4294967295", max.name());
        assertEquals(0, max.binary().remaining());
    }

    @Test
    void previewsOfEveryFormat() throws BadFrameException {
        PreviewEvent jpeg = assertInstanceOf(PreviewEvent.class,
                decoder.decodeBinary(ByteBuffer.wrap(new byte[] {0, 0, 0, 1, 0, 0, 0, 1, -1, -40, -1}), AT));
        assertEquals("image/jpeg", jpeg.mediaType());
        assertArrayEquals(new byte[] {-1, -40, -1}, jpeg.toByteArray());
        byte[] meta = ("{\"image_type\":\"image/webp\",\"prompt_id\":\"p\",\"node_id\":7,\"display_node_id\":null,"
                + "\"parent_node_id\":null,\"real_node_id\":\"7\"}").getBytes(StandardCharsets.UTF_8);
        ByteBuffer frame = ByteBuffer.allocate(8 + meta.length + 4).putInt(4).putInt(meta.length).put(meta)
                .put(new byte[] {'R', 'I', 'F', 'F'}).flip();
        PreviewEvent webp = assertInstanceOf(PreviewEvent.class, decoder.decodeBinary(frame, AT));
        // a media type the server names is passed on, not judged
        assertEquals(new PreviewEvent("s1", AT, "p", "7", null, "image/webp", ByteBuffer.wrap("RIFF".getBytes())).toString(),
                webp.toString());
        assertArrayEquals("RIFF".getBytes(StandardCharsets.US_ASCII), webp.toByteArray());
    }

    @Test
    void progressTextInUtf8() throws BadFrameException {
        byte[] node = "12".getBytes(StandardCharsets.UTF_8);
        byte[] text = "Größe: 64×48 ✓".getBytes(StandardCharsets.UTF_8);
        ByteBuffer frame = ByteBuffer.allocate(8 + node.length + text.length).putInt(3).putInt(node.length).put(node)
                .put(text).flip();
        assertEquals(new ProgressTextEvent("s1", AT, null, "12", "Größe: 64×48 ✓"), decoder.decodeBinary(frame, AT));
        ByteBuffer empty = ByteBuffer.allocate(9).putInt(3).putInt(1).put((byte) '4').flip();
        assertEquals(new ProgressTextEvent("s1", AT, null, "4", ""), decoder.decodeBinary(empty, AT));
    }
}
