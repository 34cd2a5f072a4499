package comfy.workbench.benchmarks;

import comfy.workbench.testing.captures.Captures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;

import comfy.workbench.model.api.ComfyJson;
import comfy.workbench.model.api.NodeSchema;

/**
 * Parsing the genuine 323 kB {@code /object_info} of ComfyUI 0.3.64 (383 classes), warm. Goal: the
 * whole node schema in at most 30 ms median. {@link #gsonTreeBaseline()} is plain Gson on the same text,
 * to tell our share of the time from the tree's.
 * <p>
 * The capture is found from {@code -Dcomfy.captures=<folder>} (the same property the tests use), else
 * from a {@code shared/comfyui-captures} folder above the working directory, else from the repository's copy.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(1)
public class ObjectInfoBenchmark {

    private String objectInfo;

    @Setup
    public void readCapture() throws IOException {
        objectInfo = Files.readString(Captures.locate().dir().resolve("object_info.json"), StandardCharsets.UTF_8);
        int classes = NodeSchema.parse(objectInfo, "object_info.json").size();
        if (classes != 383) {
            throw new IllegalStateException("expected the 383-class capture, got " + classes + " classes");
        }
    }

    /** The task the goal is about: text to {@link NodeSchema}. */
    @Benchmark
    public NodeSchema nodeSchema() {
        return NodeSchema.parse(objectInfo, "object_info.json");
    }

    /** Only the JSON tree, with the model's Python-compatible parser. */
    @Benchmark
    public JsonElement comfyJsonTree() {
        return ComfyJson.parse(objectInfo, "object_info.json");
    }

    /** Gson's own parser on the same text, for comparison. */
    @Benchmark
    public JsonElement gsonTreeBaseline() {
        return JsonParser.parseString(objectInfo);
    }
}
