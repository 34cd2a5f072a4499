package comfy.workbench.monitor.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import comfy.workbench.monitor.internal.BadFrameException;
import comfy.workbench.monitor.internal.FrameDecoder;

/**
 * Each reason category, with the frames that must produce it and a word the detail must contain so that a log line
 * says what was wrong.
 */
final class FrameDecoderBadInputTest {

    private static final Instant AT = Instant.EPOCH;
    private static final String PID = "\"prompt_id\":\"p\"";

    private final FrameDecoder decoder = new FrameDecoder("s");

    static Stream<Arguments> badTexts() {
        String deep = "[".repeat(300) + "]".repeat(300);
        return Stream.of(
                // not JSON: syntax, empty, trailing data, truncated (even where the beginning alone has a wrong shape)
                bad(FrameDecoder.NOT_JSON, "", "End of input"),
                bad(FrameDecoder.NOT_JSON, "   ", "End of input"),
                bad(FrameDecoder.NOT_JSON, "{", "End of input"),
                bad(FrameDecoder.NOT_JSON, "{\"type\":\"progress\",\"data\":{\"value\":1,\"max\":2", "End of input"),
                bad(FrameDecoder.NOT_JSON, "{\"type\":\"progress\",\"data\":{\"value\":{},\"max\":", "End of input"),
                bad(FrameDecoder.NOT_JSON, "{\"type\":\"status\",\"data\":{}}{}", "after the JSON value"),
                bad(FrameDecoder.NOT_JSON, "{\"type\":\"mystery\",\"data\":{\"a\":}}", "line 1"),
                bad(FrameDecoder.NOT_JSON, "{\"data\":{\"a\":[1,}", "line 1"),
                bad(FrameDecoder.NOT_JSON, "{\"type\":\"executed\",\"data\":{\"node\":\"1\",\"output\":{\"images\":[", "End of input"),
                bad(FrameDecoder.NOT_JSON, deep, "Nesting limit"),
                // well-formed, not an object
                bad(FrameDecoder.NOT_AN_OBJECT, "[1,2]", "an array"),
                bad(FrameDecoder.NOT_AN_OBJECT, "42", "a number"),
                bad(FrameDecoder.NOT_AN_OBJECT, "\"progress\"", "a string"),
                bad(FrameDecoder.NOT_AN_OBJECT, "null", "null"),
                // no type
                bad(FrameDecoder.NO_TYPE, "{}", "no type field"),
                bad(FrameDecoder.NO_TYPE, "{\"data\":{\"value\":1}}", "no type field"),
                bad(FrameDecoder.NO_TYPE, "{\"type\":null,\"data\":{}}", "null"),
                bad(FrameDecoder.NO_TYPE, "{\"type\":5,\"data\":{}}", "number"),
                bad(FrameDecoder.NO_TYPE, "{\"type\":{\"name\":\"progress\"}}", "an object"),
                // a known type with the wrong shape
                bad("bad progress message", "{\"type\":\"progress\"}", "no data"),
                bad("bad progress message", "{\"type\":\"progress\",\"data\":null}", "data is null"),
                bad("bad progress message", "{\"type\":\"progress\",\"data\":[1,2]}", "data is an array"),
                bad("bad progress message", "{\"type\":\"progress\",\"data\":{\"value\":\"seven\",\"max\":2}}", "value"),
                bad("bad progress message", "{\"type\":\"progress\",\"data\":{\"value\":1}}", "max is missing"),
                bad("bad progress message", "{\"type\":\"progress\",\"data\":{\"value\":1,\"max\":2,\"node\":[3]}}", "node"),
                bad("bad progress_state message", "{\"type\":\"progress_state\",\"data\":{" + PID + "}}", "nodes is missing"),
                bad("bad progress_state message", "{\"type\":\"progress_state\",\"data\":{\"nodes\":{\"3\":7}}}", "nodes.3"),
                bad("bad progress_state message", "{\"type\":\"progress_state\",\"data\":{\"nodes\":{\"3\":{\"value\":1}}}}",
                        "nodes.3.state is missing"),
                bad("bad executing message", "{\"type\":\"executing\",\"data\":{}}", "neither node nor prompt_id"),
                bad("bad executing message", "{\"type\":\"executing\",\"data\":{\"node\":{\"id\":\"3\"}}}", "node is an object"),
                bad("bad status message", "{\"type\":\"status\",\"data\":{\"sid\":\"x\"}}", "queue_remaining is missing"),
                bad("bad status message", "{\"type\":\"status\",\"data\":{\"status\":{\"exec_info\":{\"queue_remaining\":-1}}}}",
                        "negative"),
                bad("bad status message", "{\"type\":\"status\",\"data\":{\"status\":{\"exec_info\":{\"queue_remaining\":1.5}}}}",
                        "queue_remaining"),
                bad("bad status message",
                        "{\"type\":\"status\",\"data\":{\"status\":{\"exec_info\":{\"queue_remaining\":99999999999}}}}",
                        "queue_remaining"),
                bad("bad execution_start message", "{\"type\":\"execution_start\",\"data\":{\"timestamp\":1}}", "prompt_id"),
                bad("bad execution_start message", "{\"type\":\"execution_start\",\"data\":{" + PID + ",\"timestamp\":\"now\"}}",
                        "timestamp"),
                bad("bad execution_success message", "{\"type\":\"execution_success\",\"data\":{" + PID + ",\"timestamp\":1.5}}",
                        "timestamp"),
                bad("bad execution_cached message", "{\"type\":\"execution_cached\",\"data\":{" + PID + ",\"nodes\":\"1\"}}",
                        "nodes is a string"),
                bad("bad execution_cached message", "{\"type\":\"execution_cached\",\"data\":{" + PID + ",\"nodes\":[{}]}}",
                        "nodes[0]"),
                bad("bad executed message", "{\"type\":\"executed\",\"data\":{" + PID + ",\"output\":{}}}", "node is missing"),
                bad("bad executed message", "{\"type\":\"executed\",\"data\":{\"node\":\"1\",\"output\":[]}}", "output is an array"),
                bad("bad execution_error message", "{\"type\":\"execution_error\",\"data\":{\"exception_type\":\"E\"}}",
                        "prompt_id is missing"),
                bad("bad execution_error message",
                        "{\"type\":\"execution_error\",\"data\":{" + PID + ",\"exception_type\":\"E\",\"traceback\":\"x\"}}",
                        "traceback"),
                bad("bad execution_error message", "{\"type\":\"execution_error\",\"data\":{" + PID + "}}", "exception_type"),
                bad("bad execution_interrupted message", "{\"type\":\"execution_interrupted\",\"data\":{\"node_id\":\"1\"}}",
                        "prompt_id is missing"),
                bad("bad feature_flags message", "{\"type\":\"feature_flags\",\"data\":[true]}", "data is an array"),
                bad("bad logs message", "{\"type\":\"logs\",\"data\":{\"size\":{}}}", "entries is missing"),
                bad("bad logs message", "{\"type\":\"logs\",\"data\":{\"entries\":[\"line\"]}}", "entries[0]"));
    }

    private static Arguments bad(String reason, String text, String detail) {
        return Arguments.of(reason, text, detail);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("badTexts")
    void badTextIsReportedWithItsReasonAndADetail(String reason, String text, String detail) {
        BadFrameException e = assertThrows(BadFrameException.class, () -> decoder.decodeText(text, AT));
        assertEquals(reason, e.reason(), e.getMessage());
        assertTrue(e.getMessage().startsWith(reason + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(detail), () -> "detail should mention '" + detail + "': " + e.getMessage());
    }

    static Stream<Arguments> badBinaries() {
        byte[] meta = "{\"node_id\":\"4\",\"image_type\":\"image/png\"}".getBytes(StandardCharsets.UTF_8);
        return Stream.of(
                Arguments.of(FrameDecoder.TOO_SHORT, new byte[0], "no event type"),
                Arguments.of(FrameDecoder.TOO_SHORT, new byte[] {0, 0, 0}, "no event type"),
                Arguments.of(FrameDecoder.TOO_SHORT, frame(1), "no image format"),
                Arguments.of(FrameDecoder.TOO_SHORT, frame(1, (char) 0, (char) 0), "no image format"),
                Arguments.of(FrameDecoder.TOO_SHORT, frame(1, 2), "without image bytes"),
                Arguments.of(FrameDecoder.TOO_SHORT, frame(3), "no node id length"),
                Arguments.of(FrameDecoder.TOO_SHORT, frame(4, (char) 0, (char) 0, (char) 0), "no metadata length"),
                Arguments.of(FrameDecoder.TOO_SHORT, withInt(frame(4), meta.length, meta), "without image bytes"),
                Arguments.of(FrameDecoder.BAD_LENGTH, frame(3, 0xFFFFFFFF, 'x'), "4294967295 but 1 bytes follow"),
                Arguments.of(FrameDecoder.BAD_LENGTH, frame(3, 0x7FFFFFFF, 'x'), "2147483647 but 1 bytes follow"),
                Arguments.of(FrameDecoder.BAD_LENGTH, frame(3, 2, '1'), "2 but 1 bytes follow"),
                Arguments.of(FrameDecoder.BAD_LENGTH, withInt(frame(4), meta.length + 1, meta), "metadata length"),
                Arguments.of(FrameDecoder.BAD_LENGTH, withInt(frame(4), -5, meta), "4294967291"),
                Arguments.of(FrameDecoder.BAD_PREVIEW_METADATA, preview4("{not json"), "line 1"),
                Arguments.of(FrameDecoder.BAD_PREVIEW_METADATA, preview4("[\"image/png\"]"), "metadata is an array"),
                Arguments.of(FrameDecoder.BAD_PREVIEW_METADATA, preview4("{\"node_id\":\"4\"}"), "no image_type"),
                Arguments.of(FrameDecoder.BAD_PREVIEW_METADATA, preview4("{\"image_type\":[1]}"), "image_type"),
                Arguments.of(FrameDecoder.BAD_PREVIEW_METADATA, preview4("{\"image_type\":\"image/png\"} x"), "data after the JSON value"),
                Arguments.of(FrameDecoder.BAD_PREVIEW_METADATA, withInt(frame(4), 2, new byte[] {(byte) 0xC3, 0x28, 9}),
                        "not UTF-8"),
                Arguments.of(FrameDecoder.UNKNOWN_IMAGE_FORMAT, frame(1, 3, 0xFF), "format 3"),
                Arguments.of(FrameDecoder.UNKNOWN_IMAGE_FORMAT, frame(1, 0xFFFFFFFF, 0xFF), "format 4294967295"),
                Arguments.of(FrameDecoder.BAD_PROGRESS_TEXT, withInt(frame(3), 2, new byte[] {(byte) 0xC3, 0x28, 'a'}),
                        "node id is not UTF-8"),
                Arguments.of(FrameDecoder.BAD_PROGRESS_TEXT, withInt(frame(3), 1, new byte[] {'7', (byte) 0xFF}),
                        "text is not UTF-8"));
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("badBinaries")
    void badBinaryIsReportedWithItsReasonAndADetail(String reason, byte[] frame, String detail) {
        BadFrameException e = assertThrows(BadFrameException.class,
                () -> decoder.decodeBinary(ByteBuffer.wrap(frame), AT));
        assertEquals(reason, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains(detail), () -> "detail should mention '" + detail + "': " + e.getMessage());
    }

    @Test
    void everyReasonCategoryIsExercised() {
        Set<String> reasons = new HashSet<>();
        badTexts().forEach(a -> reasons.add((String) a.get()[0]));
        badBinaries().forEach(a -> reasons.add((String) a.get()[0]));
        List<String> categories = List.of(FrameDecoder.NOT_JSON, FrameDecoder.NOT_AN_OBJECT, FrameDecoder.NO_TYPE,
                FrameDecoder.TOO_SHORT, FrameDecoder.BAD_LENGTH, FrameDecoder.BAD_PREVIEW_METADATA,
                FrameDecoder.UNKNOWN_IMAGE_FORMAT, FrameDecoder.BAD_PROGRESS_TEXT);
        assertTrue(reasons.containsAll(categories), reasons.toString());
        for (String type : List.of("status", "feature_flags", "execution_start", "execution_cached", "executing",
                "progress", "progress_state", "executed", "execution_success", "execution_error",
                "execution_interrupted", "logs")) {
            assertTrue(reasons.contains(FrameDecoder.badMessage(type)), "no bad-shape case for " + type);
        }
    }

    @Test
    void nullFramesAreBadFramesNotNullPointers() {
        assertEquals(FrameDecoder.NOT_JSON,
                assertThrows(BadFrameException.class, () -> decoder.decodeText(null, AT)).reason());
        assertEquals(FrameDecoder.TOO_SHORT,
                assertThrows(BadFrameException.class, () -> decoder.decodeBinary(null, AT)).reason());
    }

    // ---- frame builders

    /** Big-endian u32 words; the last ones may be single bytes when given as chars. */
    private static byte[] frame(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : parts) {
            if (p instanceof Integer i) {
                out.writeBytes(ByteBuffer.allocate(4).putInt(i).array());
            } else if (p instanceof Character c) {
                out.write(c);
            }
        }
        return out.toByteArray();
    }

    private static byte[] withInt(byte[] head, int value, byte[] tail) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head);
        out.writeBytes(ByteBuffer.allocate(4).putInt(value).array());
        out.writeBytes(tail);
        return out.toByteArray();
    }

    private static byte[] preview4(String metadata) {
        byte[] m = metadata.getBytes(StandardCharsets.UTF_8);
        return withInt(frame(4), m.length, concat(m, new byte[] {(byte) 0x89, 'P', 'N', 'G'}));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = new byte[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
