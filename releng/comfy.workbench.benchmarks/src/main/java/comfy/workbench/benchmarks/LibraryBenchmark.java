package comfy.workbench.benchmarks;

import comfy.workbench.testing.captures.Captures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import comfy.workbench.model.api.NodeSchema;
import comfy.workbench.workflows.api.SearchHit;
import comfy.workbench.workflows.api.Workflow;
import comfy.workbench.workflows.api.WorkflowDraft;
import comfy.workbench.workflows.api.WorkflowLibrary;
import comfy.workbench.workflows.api.WorkflowQuery;
import comfy.workbench.workflows.internal.DefaultWorkflowCodec;
import comfy.workbench.workflows.internal.FileWorkflowLibrary;

/**
 * The workflow library with 10,000 workflows: a search (goal ≤ 50 ms per query) and loading the library index
 * from its folder (goal ≤ 1 s). The library is built once through {@link WorkflowLibrary#create} in
 * {@code folder} (default {@code target/library-10000}) and reused while it holds {@code size} workflows: names,
 * tags and descriptions drawn from a word list, graphs from four shapes (image, latent, video-like, upscale) so the
 * node-class and output-type filters have something to cut.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LibraryBenchmark {

    private static final List<String> WORDS = List.of("portrait", "landscape", "anime", "photo", "cinematic", "sdxl",
            "flux", "upscale", "inpaint", "outpaint", "controlnet", "lora", "face", "detail", "night", "city",
            "forest", "ocean", "studio", "product", "logo", "sketch", "watercolor", "oil", "painting", "render",
            "character", "turnaround", "video", "animation", "loop", "batch", "test", "draft", "final", "client");

    private static final String IMAGE = """
            {"1": {"class_type": "EmptyImage", "inputs": {"width": 64, "height": 64, "batch_size": 1, "color": %d}},
             "2": {"class_type": "ImageInvert", "inputs": {"image": ["1", 0]}},
             "3": {"class_type": "SaveImage", "inputs": {"images": ["2", 0], "filename_prefix": "p"}}}""";
    private static final String LATENT = """
            {"1": {"class_type": "EmptyLatentImage", "inputs": {"width": 64, "height": %d, "batch_size": 1}},
             "2": {"class_type": "SaveLatent", "inputs": {"samples": ["1", 0], "filename_prefix": "l"}}}""";
    private static final String UPSCALE = """
            {"1": {"class_type": "LoadImage", "inputs": {"image": "in%d.png"}},
             "2": {"class_type": "ImageScaleBy", "inputs": {"image": ["1", 0], "upscale_method": "lanczos", "scale_by": 2}},
             "3": {"class_type": "PreviewImage", "inputs": {"images": ["2", 0]}}}""";
    private static final String AUDIO = """
            {"1": {"class_type": "EmptyLatentAudio", "inputs": {"seconds": %d, "batch_size": 1}},
             "2": {"class_type": "SaveLatent", "inputs": {"samples": ["1", 0], "filename_prefix": "a"}}}""";

    @Param("10000")
    public int size;

    @Param("target/library-10000")
    public String folder;

    private WorkflowLibrary library;
    private DefaultWorkflowCodec codec;

    @Setup
    public void fill() throws IOException {
        codec = new DefaultWorkflowCodec();
        Path dir = Path.of(folder);
        Files.createDirectories(dir);
        library = new FileWorkflowLibrary(dir, codec, Clock.systemUTC());
        if (library.entries().size() != size) {
            library.entries().forEach(e -> library.delete(e.id(), e.revision()));
            NodeSchema schema = NodeSchema.parse(Files.readString(Captures.locate().dir().resolve("object_info.json"),
                    StandardCharsets.UTF_8), "object_info.json");
            Random random = new Random(42);
            List<String> shapes = List.of(IMAGE, LATENT, UPSCALE, AUDIO);
            for (int i = 0; i < size; i++) {
                Workflow w = codec.readApi(shapes.get(i % shapes.size()).formatted(i), "w" + i);
                library.create(WorkflowDraft.of(words(random, 3) + " " + i, w).withTags(List.of(words(random, 1),
                        words(random, 1))).withDescription(words(random, 12)).withSchema(schema));
            }
        }
        if (library.entries().size() != size || !library.problems().isEmpty()) {
            throw new IllegalStateException("the library holds " + library.entries().size() + " workflows and "
                    + library.problems().size() + " problems");
        }
    }

    private static String words(Random random, int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append(i == 0 ? "" : " ").append(WORDS.get(random.nextInt(WORDS.size())));
        }
        return s.toString();
    }

    @Benchmark
    public List<SearchHit> searchOneWord() {
        return library.search(WorkflowQuery.text("portrait"));
    }

    @Benchmark
    public List<SearchHit> searchTwoWordsPrefix() {
        return library.search(WorkflowQuery.text("cine port"));
    }

    @Benchmark
    public List<SearchHit> searchTextAndNodeClass() {
        return library.search(WorkflowQuery.text("night").withNodeClasses(Set.of("ImageInvert")).withLimit(50));
    }

    @Benchmark
    public List<SearchHit> searchAllByOutputType() {
        return library.search(new WorkflowQuery("", Set.of(), Set.of("LATENT"), 0));
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @Warmup(iterations = 3)
    @Measurement(iterations = 10)
    public WorkflowLibrary loadIndex() {
        return new FileWorkflowLibrary(Path.of(folder), codec, Clock.systemUTC());
    }
}
