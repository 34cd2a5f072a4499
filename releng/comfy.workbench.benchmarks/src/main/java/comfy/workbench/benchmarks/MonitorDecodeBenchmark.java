package comfy.workbench.benchmarks;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;

import comfy.workbench.monitor.api.EventType;
import comfy.workbench.monitor.api.MonitorEvent;
import comfy.workbench.monitor.api.PreviewEvent;
import comfy.workbench.monitor.internal.BadFrameException;
import comfy.workbench.monitor.internal.FrameDecoder;
import comfy.workbench.testing.fake.internal.Json;

/**
 * The monitor's frame decoder on one thread, warm.
 * <ul>
 * <li>{@link #textMix}: the fake server's flood mix (6 {@code progress}, 3 {@code progress_state}, 1
 * {@code executing} in every 10 frames, the very strings {@code FakeComfyServer.flood} sends); a score is events
 * per second. Goal: decode plus dispatch ≥ 1,000,000 events/s, so decoding alone must be well above that.</li>
 * <li>{@link #gsonTreeMix}: the same frames parsed into a Gson tree only (no event), the naive way, and
 * {@link #gsonStreamSkipMix}: Gson's streaming reader skipping each frame, the floor under {@link #textMix}; both for
 * comparison.</li>
 * <li>{@link #preview256k} and {@link #legacyPreview256k}: a 262,144-byte type-4 (metadata) and type-1 preview;
 * a score times 0.262144 is MB/s. Goal: ≥ 500 MB/s, i.e. ≥ 1,908 frames/s.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class MonitorDecodeBenchmark {

    static final int MIX = 10;
    static final int PREVIEW_SIZE = 256 * 1024;
    private static final String PID = "00000000-0000-4000-8000-000000000000";

    private final Instant at = Instant.parse("2026-11-28T04:00:00Z");
    private FrameDecoder decoder;
    private String[] mix;
    private ByteBuffer preview;
    private ByteBuffer legacyPreview;

    @Setup
    public void frames() throws BadFrameException {
        decoder = new FrameDecoder("bench");
        mix = mix();
        preview = preview(4);
        legacyPreview = preview(1);
        EventType[] expected = {EventType.PROGRESS, EventType.PROGRESS_STATE, EventType.EXECUTING};
        for (int i : new int[] {0, 6, 9}) {
            EventType type = decoder.decodeText(mix[i], at).type();
            if (type != expected[i == 0 ? 0 : i == 6 ? 1 : 2]) {
                throw new IllegalStateException("unexpected " + type + ": " + mix[i]);
            }
        }
        PreviewEvent p = (PreviewEvent) decoder.decodeBinary(preview, at);
        if (p.size() < PREVIEW_SIZE - 200 || !PID.equals(p.promptId())) {
            throw new IllegalStateException("unexpected preview " + p);
        }
    }

    /** Ten frames of the flood mix, built exactly as {@code FakeComfyServer.flood} builds them. */
    static String[] mix() {
        String progress = Json.message("progress", Json.obj("value", 7, "max", 20, "prompt_id", PID, "node", "3"));
        String state = Json.message("progress_state", Json.obj("prompt_id", PID, "nodes", Json.obj("3",
                Json.obj("value", 7, "max", 20, "state", "running", "node_id", "3", "prompt_id", PID,
                        "display_node_id", "3", "parent_node_id", null, "real_node_id", "3"))));
        String executing = Json.message("executing", Json.obj("node", "3", "display_node", "3", "prompt_id", PID));
        String[] mix = new String[MIX];
        for (int i = 0; i < MIX; i++) {
            mix[i] = i < 6 ? progress : i < 9 ? state : executing;
        }
        return mix;
    }

    /** A 256 KB preview frame of type 4 (with the metadata the fake server sends) or type 1, JPEG. */
    static ByteBuffer preview(int type) {
        ByteBuffer frame = ByteBuffer.allocate(PREVIEW_SIZE);
        if (type == 4) {
            byte[] meta = Json.write(Json.obj("node_id", "3", "prompt_id", PID, "display_node_id", "3",
                    "parent_node_id", null, "real_node_id", "3", "image_type", "image/jpeg"))
                    .getBytes(StandardCharsets.UTF_8);
            frame.putInt(4).putInt(meta.length).put(meta);
        } else {
            frame.putInt(1).putInt(1);
        }
        return frame.put((byte) 0xFF).put((byte) 0xD8).put((byte) 0xFF).clear();
    }

    /** One score unit = one event. */
    @Benchmark
    @OperationsPerInvocation(MIX)
    public void textMix(Blackhole bh) throws BadFrameException {
        for (String frame : mix) {
            bh.consume(decoder.decodeText(frame, at));
        }
    }

    /** Gson's tree of the same frames, no event: what a naive decoder pays before it has read a field. */
    @Benchmark
    @OperationsPerInvocation(MIX)
    public void gsonTreeMix(Blackhole bh) {
        for (String frame : mix) {
            bh.consume(JsonParser.parseString(frame).getAsJsonObject().get("type"));
        }
    }

    /**
     * The floor of any decoder built on Gson's streaming reader: a lenient {@link JsonReader} over each frame that
     * skips the whole value. The difference to {@link #textMix} is what reading the fields and building the events
     * costs.
     */
    @Benchmark
    @OperationsPerInvocation(MIX)
    public void gsonStreamSkipMix(Blackhole bh) throws IOException {
        for (String frame : mix) {
            JsonReader in = new JsonReader(new StringReader(frame));
            in.setStrictness(Strictness.LENIENT);
            in.skipValue();
            bh.consume(in.peek());
        }
    }

    /** One score unit = one 256 KB frame. */
    @Benchmark
    public MonitorEvent preview256k() throws BadFrameException {
        return decoder.decodeBinary(preview, at);
    }

    @Benchmark
    public MonitorEvent legacyPreview256k() throws BadFrameException {
        return decoder.decodeBinary(legacyPreview, at);
    }
}
