package comfy.workbench.monitor.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import com.google.gson.JsonObject;

import comfy.workbench.monitor.api.MonitorEvent;
import comfy.workbench.monitor.api.PreviewEvent;
import comfy.workbench.monitor.internal.BadFrameException;
import comfy.workbench.monitor.internal.FrameDecoder;
import comfy.workbench.testing.captures.Captures;

/**
 * Random, truncated, bit-flipped and oversized frames, made from every captured frame with a fixed seed (so a failure
 * can be replayed from the round number it reports): whatever comes in, the decoder answers with an event or a
 * {@link BadFrameException}, and truncations it can recognise are reported as bad frames with the right reason.
 */
final class FrameDecoderFuzzTest {

    private static final long SEED = 0x2026_1128_0400L;
    private static final int ROUNDS = 100_000;
    private static final Instant AT = Instant.parse("2026-11-28T04:00:00Z");

    private enum Kind {
        TRUNCATED_TEXT, TRUNCATED_BINARY, FLIPPED_TEXT, FLIPPED_BINARY, OVERSIZED_LENGTH, OVERSIZED_TEXT, RANDOM_TEXT,
        RANDOM_BINARY
    }

    private final FrameDecoder decoder = new FrameDecoder("fuzz");

    @Test
    void noInputEscapesAsAnythingButABadFrame() {
        Captures captures = Captures.locate();
        List<String> texts = new ArrayList<>(List.of(FrameDecoderShapesTest.PROGRESS, FrameDecoderShapesTest.PROGRESS_STATE,
                FrameDecoderShapesTest.EXECUTING,
                "{\"type\":\"logs\",\"data\":{\"entries\":[{\"t\":\"1\",\"m\":\"ok\"}],\"size\":{\"cols\":1,\"rows\":2}}}",
                "{\"type\":\"progress\",\"data\":{\"value\":NaN,\"max\":Infinity,\"node\":\"3\"}}",
                "{\"type\":\"crystools.monitor\",\"data\":{\"gpus\":[{\"vram\":1.5e3}]}}"));
        List<byte[]> binaries = new ArrayList<>();
        for (String transcript : captures.transcripts()) {
            captures.records(transcript, "ws_text").forEach(r -> texts.add(r.get("raw").getAsString()));
            for (JsonObject r : captures.records(transcript, "ws_binary")) {
                binaries.add(Base64.getDecoder().decode(r.get("frame_base64").getAsString()));
            }
        }
        byte[] node = "12".getBytes(StandardCharsets.UTF_8);
        byte[] text = "Größe ✓".getBytes(StandardCharsets.UTF_8);
        binaries.add(ByteBuffer.allocate(8 + node.length + text.length).putInt(3).putInt(node.length).put(node).put(text)
                .array());

        SplittableRandom random = new SplittableRandom(SEED);
        Map<String, Integer> outcomes = new TreeMap<>();
        Map<Kind, Integer> kinds = new TreeMap<>();
        Map<String, Integer> truncatedTexts = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        int checkedTruncations = 0;
        for (int round = 0; round < ROUNDS; round++) {
            Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
            kinds.merge(kind, 1, Integer::sum);
            String frameText = null;
            byte[] frameBytes = null;
            String expected = null;
            switch (kind) {
                case TRUNCATED_TEXT -> {
                    String valid = texts.get(random.nextInt(texts.size()));
                    frameText = valid.substring(0, random.nextInt(valid.length()));
                    // no strict prefix of a JSON object is one: its closing brace is its last character
                    expected = "bad: " + FrameDecoder.NOT_JSON;
                }
                case TRUNCATED_BINARY -> {
                    byte[] valid = binaries.get(random.nextInt(binaries.size()));
                    // cuts near the headers are the interesting ones: favour them
                    int cut = random.nextBoolean() ? random.nextInt(Math.min(valid.length, 200))
                            : random.nextInt(valid.length);
                    frameBytes = java.util.Arrays.copyOf(valid, cut);
                    expected = expectedForPrefix(valid, cut);
                }
                case FLIPPED_TEXT -> {
                    char[] chars = texts.get(random.nextInt(texts.size())).toCharArray();
                    for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                        int at = random.nextInt(chars.length);
                        chars[at] = (char) (chars[at] ^ (1 << random.nextInt(8)));
                    }
                    frameText = new String(chars);
                }
                case FLIPPED_BINARY -> {
                    frameBytes = binaries.get(random.nextInt(binaries.size())).clone();
                    for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                        // the first 16 bytes hold every header word: flip there half of the time
                        int at = random.nextBoolean() ? random.nextInt(Math.min(16, frameBytes.length))
                                : random.nextInt(frameBytes.length);
                        frameBytes[at] ^= (byte) (1 << random.nextInt(8));
                    }
                }
                case OVERSIZED_LENGTH -> {
                    frameBytes = binaries.get(random.nextInt(binaries.size())).clone();
                    int size = frameBytes.length;
                    int[] choices = {-1, Integer.MIN_VALUE, Integer.MAX_VALUE, size - 7, size + random.nextInt(1 << 20),
                            random.nextInt()};
                    int length = choices[random.nextInt(choices.length)];
                    ByteBuffer.wrap(frameBytes).putInt(4, length);
                    int type = ByteBuffer.wrap(frameBytes).getInt(0);
                    if (type == 1) {
                        expected = length == 1 || length == 2 ? null : "bad: " + FrameDecoder.UNKNOWN_IMAGE_FORMAT;
                    } else if (length < 0 || length > size - 8) {
                        expected = "bad: " + FrameDecoder.BAD_LENGTH;
                    }
                }
                case OVERSIZED_TEXT -> frameText = oversized(texts.get(random.nextInt(texts.size())), random);
                case RANDOM_TEXT -> frameText = randomText(random);
                case RANDOM_BINARY -> {
                    frameBytes = new byte[random.nextInt(64)];
                    random.nextBytes(frameBytes);
                    if (frameBytes.length >= 4 && random.nextBoolean()) {
                        ByteBuffer.wrap(frameBytes).putInt(0, 1 + random.nextInt(4));
                    }
                }
            }
            String outcome;
            // every fourth text frame is also decoded by a new decoder, whose JSON reader has seen nothing before
            try {
                MonitorEvent e = frameText != null ? decoder.decodeText(frameText, AT)
                        : decoder.decodeBinary(ByteBuffer.wrap(frameBytes), AT);
                if (frameText != null && round % 4 == 0 && !e.equals(new FrameDecoder("fuzz").decodeText(frameText, AT))) {
                    // the long-lived decoder keeps its JSON reader from frame to frame: that must change nothing
                    failures.add("round " + round + " " + kind + ": differs from a new decoder's " + e);
                }
                if (!"fuzz".equals(e.serverId()) || !AT.equals(e.receivedAt())
                        || e instanceof PreviewEvent p && p.size() == 0) {
                    failures.add("round " + round + " " + kind + ": inconsistent event " + e);
                }
                outcome = "event: " + e.type();
            } catch (BadFrameException e) {
                outcome = "bad: " + e.reason();
                if (frameText != null && round % 4 == 0 && !e.getMessage().equals(newDecoderFailure(frameText))) {
                    failures.add("round " + round + " " + kind + ": " + e.getMessage() + " differs from a new decoder's "
                            + newDecoderFailure(frameText));
                }
                if (e.reason().isBlank() || e.getMessage().length() > 400) {
                    failures.add("round " + round + " " + kind + ": unhelpful message " + e.getMessage());
                }
            } catch (Throwable t) {
                outcome = "escaped: " + t.getClass().getName();
                failures.add("round " + round + " " + kind + ": " + t);
            }
            outcomes.merge(outcome, 1, Integer::sum);
            if (kind == Kind.TRUNCATED_TEXT) {
                truncatedTexts.merge(outcome, 1, Integer::sum);
            }
            if (expected != null) {
                checkedTruncations++;
                if (!expected.equals(outcome)) {
                    failures.add("round " + round + " " + kind + ": expected " + expected + ", got " + outcome);
                }
            }
        }
        assertEquals(List.of(), failures.subList(0, Math.min(20, failures.size())),
                failures.size() + " failures; outcomes " + outcomes);
        assertEquals(ROUNDS, outcomes.values().stream().mapToInt(Integer::intValue).sum(), outcomes.toString());
        assertEquals(ROUNDS, kinds.values().stream().mapToInt(Integer::intValue).sum());
        // every truncated text was reported as not JSON, none became an event
        assertEquals(Map.of("bad: " + FrameDecoder.NOT_JSON, kinds.get(Kind.TRUNCATED_TEXT)), truncatedTexts);
        // the mix reached both outcomes and every binary reason, so the checks above were not vacuous
        assertTrue(checkedTruncations > ROUNDS / 8, "checked " + checkedTruncations);
        for (String reason : List.of(FrameDecoder.NOT_JSON, FrameDecoder.NO_TYPE, FrameDecoder.TOO_SHORT,
                FrameDecoder.BAD_LENGTH, FrameDecoder.BAD_PREVIEW_METADATA, FrameDecoder.UNKNOWN_IMAGE_FORMAT,
                FrameDecoder.BAD_PROGRESS_TEXT)) {
            assertTrue(outcomes.getOrDefault("bad: " + reason, 0) > 0, reason + " never seen: " + outcomes);
        }
        for (String type : List.of("PROGRESS_STATE", "EXECUTING", "PREVIEW", "PROGRESS_TEXT", "UNKNOWN")) {
            assertTrue(outcomes.getOrDefault("event: " + type, 0) > 0, type + " never decoded: " + outcomes);
        }
    }

    private static String newDecoderFailure(String text) {
        try {
            return "decoded: " + new FrameDecoder("fuzz").decodeText(text, AT);
        } catch (BadFrameException e) {
            return e.getMessage();
        }
    }

    /** What a prefix of {@code cut} bytes of a valid frame must decode to, or null where any answer is right. */
    private static String expectedForPrefix(byte[] valid, int cut) {
        if (cut < 8) {
            // no layout is complete without its second word
            return "bad: " + FrameDecoder.TOO_SHORT;
        }
        ByteBuffer b = ByteBuffer.wrap(valid);
        int type = b.getInt(0);
        if (type == 1) {
            // the image has no length of its own: a shorter image cannot be told from a whole one
            return cut == 8 ? "bad: " + FrameDecoder.TOO_SHORT : "event: PREVIEW";
        }
        int length = b.getInt(4);
        if (cut - 8 < length) {
            return "bad: " + FrameDecoder.BAD_LENGTH;
        }
        if (type == 4) {
            return cut == 8 + length ? "bad: " + FrameDecoder.TOO_SHORT : "event: PREVIEW";
        }
        try {
            // a text cut inside a multi-byte character is no longer UTF-8
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(valid, 8 + length, cut - 8 - length));
            return "event: PROGRESS_TEXT";
        } catch (CharacterCodingException e) {
            return "bad: " + FrameDecoder.BAD_PROGRESS_TEXT;
        }
    }

    private static final String[] OVERSIZED = {"99999999999999999999999999999", "1e999", "-1e999", "-0", "1.5",
            "18446744073709551615", "-2147483649", "\"" + "x".repeat(20_000) + "\"", "[" + "[".repeat(400) + "]".repeat(401),
            "{\"a\":" .repeat(300) + "1" + "}".repeat(300), "null", "true", "\"\\ud800\""};

    /** A valid message with one number, string or literal replaced by something outsized or out of range. */
    private static String oversized(String valid, SplittableRandom random) {
        String replacement = OVERSIZED[random.nextInt(OVERSIZED.length)];
        int colon = valid.indexOf(':', random.nextInt(valid.length()));
        if (colon < 0) {
            return valid + replacement;
        }
        int end = colon + 1;
        while (end < valid.length() && ",}]".indexOf(valid.charAt(end)) < 0) {
            end++;
        }
        return valid.substring(0, colon + 1) + replacement + valid.substring(end);
    }

    private static final String[] TOKENS = {"{", "}", "[", "]", ":", ",", "\"", "\"type\"", "\"data\"", "\"progress\"",
            "\"status\"", "\"executing\"", "\"progress_state\"", "\"executed\"", "\"nodes\"", "\"value\"", "\"node\"",
            "\"prompt_id\"", "\"3\"", "7", "-1", "1e5", "NaN", "null", "true", " ", "\\", "\\u00", "'", "#", "/*", "é", "\u0000"};

    private static String randomText(SplittableRandom random) {
        StringBuilder b = new StringBuilder();
        if (random.nextBoolean()) {
            b.append("{\"type\":");
        }
        for (int n = random.nextInt(40); n > 0; n--) {
            b.append(TOKENS[random.nextInt(TOKENS.length)]);
        }
        return b.toString();
    }
}
