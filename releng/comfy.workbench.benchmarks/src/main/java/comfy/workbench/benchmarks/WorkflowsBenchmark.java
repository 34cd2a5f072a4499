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

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import comfy.workbench.model.api.ComfyJson;
import comfy.workbench.model.api.NodeSchema;
import comfy.workbench.model.api.PromptGraph;
import comfy.workbench.workflows.api.UiWorkflow;
import comfy.workbench.workflows.api.ValidationReport;
import comfy.workbench.workflows.internal.SchemaValidator;
import comfy.workbench.workflows.internal.UiConverter;

/**
 * Validating a 1,000-node API graph against the genuine 383-class schema of ComfyUI 0.3.64 (goal ≤ 20 ms)
 * and converting a 1,000-node UI workflow to API format (goal ≤ 50 ms), warm.
 * <p>
 * The API graph is 100 chains of 10 image nodes (EmptyImage, inverts, blurs, scales with combo, INT and
 * FLOAT inputs, ending in SaveImage), all valid, so every input of every node is checked. The UI workflow
 * is 100 units of 10 nodes: a PrimitiveNode driving EmptyImage's width, a Reroute, a bypassed ImageBlur,
 * a muted PreviewImage and six ordinary nodes; it converts to 600 API nodes. Captures are found as in
 * {@link ObjectInfoBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(1)
public class WorkflowsBenchmark {

    private NodeSchema schema;
    private PromptGraph api;
    private UiWorkflow ui;
    private String uiText;
    private final SchemaValidator validator = new SchemaValidator();
    private final UiConverter converter = new UiConverter();

    @Setup
    public void build() throws IOException {
        schema = NodeSchema.parse(Files.readString(Captures.locate().dir().resolve("object_info.json"), StandardCharsets.UTF_8),
                "object_info.json");
        api = PromptGraph.of(apiGraph(100), "synthetic");
        ValidationReport report = validator.validate(api, schema);
        if (api.size() != 1000 || !report.valid()) {
            throw new IllegalStateException("the synthetic graph should be 1,000 valid nodes: " + report.describe());
        }
        uiText = ComfyJson.write(uiWorkflow(100));
        ui = UiWorkflow.parse(uiText, "synthetic");
        PromptGraph converted = converter.convert(ui, schema, "synthetic");
        if (ui.nodes().size() != 1000 || converted.size() != 600 || !validator.validate(converted, schema).valid()) {
            throw new IllegalStateException("the synthetic UI workflow should be 1,000 nodes converting to 600 valid ones");
        }
    }

    /** The first goal: a parsed 1,000-node graph to a report. */
    @Benchmark
    public ValidationReport validate1000() {
        return validator.validate(api, schema);
    }

    /** The second goal: a parsed 1,000-node UI workflow to its API graph. */
    @Benchmark
    public PromptGraph convert1000() {
        return converter.convert(ui, schema, "synthetic");
    }

    /** For scale: the same from the UI workflow's text, parsing included. */
    @Benchmark
    public PromptGraph parseAndConvert1000() {
        return converter.convert(UiWorkflow.parse(uiText, "synthetic"), schema, "synthetic");
    }

    static JsonObject apiGraph(int chains) {
        JsonObject graph = new JsonObject();
        for (int c = 0; c < chains; c++) {
            int base = c * 10 + 1;
            node(graph, base, "EmptyImage", "width", 64, "height", 48, "batch_size", 1, "color", c);
            String[] middle = { "ImageInvert", "ImageBlur", "ImageScale", "ImageInvert", "ImageBlur", "ImageScale",
                    "ImageInvert", "ImageBlur" };
            for (int i = 0; i < middle.length; i++) {
                int id = base + 1 + i;
                JsonObject inputs = node(graph, id, middle[i]);
                inputs.add("image", link(id - 1, 0));
                if (middle[i].equals("ImageBlur")) {
                    inputs.addProperty("blur_radius", 2);
                    inputs.addProperty("sigma", 1.5);
                } else if (middle[i].equals("ImageScale")) {
                    inputs.addProperty("upscale_method", "bilinear");
                    inputs.addProperty("width", 32);
                    inputs.addProperty("height", 24);
                    inputs.addProperty("crop", "disabled");
                }
            }
            JsonObject save = node(graph, base + 9, "SaveImage", "filename_prefix", "bench");
            save.add("images", link(base + 8, 0));
        }
        return graph;
    }

    private static JsonObject node(JsonObject graph, int id, String classType, Object... values) {
        JsonObject node = new JsonObject();
        JsonObject inputs = new JsonObject();
        for (int i = 0; i < values.length; i += 2) {
            Object v = values[i + 1];
            if (v instanceof Number n) {
                inputs.addProperty((String) values[i], n);
            } else {
                inputs.addProperty((String) values[i], (String) v);
            }
        }
        node.add("inputs", inputs);
        node.addProperty("class_type", classType);
        graph.add(String.valueOf(id), node);
        return inputs;
    }

    private static JsonArray link(int id, int slot) {
        JsonArray a = new JsonArray();
        a.add(String.valueOf(id));
        a.add(slot);
        return a;
    }

    /** 10 UI nodes per unit: 6 run, 4 are virtual, bypassed or muted. */
    static JsonObject uiWorkflow(int units) {
        JsonArray nodes = new JsonArray();
        JsonArray links = new JsonArray();
        int[] nextLink = { 1 };
        for (int u = 0; u < units; u++) {
            int b = u * 10 + 1;
            int prim = b, empty = b + 1, invert = b + 2, reroute = b + 3, bypassed = b + 4, scale = b + 5, blur = b + 6,
                    invert2 = b + 7, save = b + 8, muted = b + 9;
            int lPrim = uiLink(links, nextLink, prim, empty, "INT");
            int lEmpty = uiLink(links, nextLink, empty, invert, "IMAGE");
            int lInv = uiLink(links, nextLink, invert, reroute, "IMAGE");
            int lInvMuted = uiLink(links, nextLink, invert, muted, "IMAGE");
            int lRer = uiLink(links, nextLink, reroute, bypassed, "IMAGE");
            int lByp = uiLink(links, nextLink, bypassed, scale, "IMAGE");
            int lScale = uiLink(links, nextLink, scale, blur, "IMAGE");
            int lBlur = uiLink(links, nextLink, blur, invert2, "IMAGE");
            int lInv2 = uiLink(links, nextLink, invert2, save, "IMAGE");
            nodes.add(uiNode(prim, "PrimitiveNode", 0, null, new int[] { lPrim }, "[128,\"fixed\"]"));
            JsonObject e = uiNode(empty, "EmptyImage", 0, null, new int[] { lEmpty }, "[512,64,1,0]");
            e.add("inputs", ComfyJson.parse("[{\"name\":\"width\",\"type\":\"INT\",\"widget\":{\"name\":\"width\"},\"link\":"
                    + lPrim + "}]", "x"));
            nodes.add(e);
            nodes.add(uiNode(invert, "ImageInvert", 0, lEmpty, new int[] { lInv, lInvMuted }, "[]"));
            nodes.add(uiNode(reroute, "Reroute", 0, lInv, new int[] { lRer }, null));
            nodes.add(uiNode(bypassed, "ImageBlur", 4, lRer, new int[] { lByp }, "[3,1.5]"));
            nodes.add(uiNode(scale, "ImageScale", 0, lByp, new int[] { lScale }, "[\"bilinear\",32,24,\"disabled\"]"));
            nodes.add(uiNode(blur, "ImageBlur", 0, lScale, new int[] { lBlur }, "[2,1.5]"));
            nodes.add(uiNode(invert2, "ImageInvert", 0, lBlur, new int[] { lInv2 }, "[]"));
            nodes.add(uiNode(save, "SaveImage", 0, lInv2, new int[0], "[\"bench\"]"));
            nodes.add(uiNode(muted, "PreviewImage", 2, lInvMuted, new int[0], "[]"));
        }
        JsonObject wf = new JsonObject();
        wf.addProperty("last_node_id", units * 10);
        wf.addProperty("last_link_id", nextLink[0] - 1);
        wf.add("nodes", nodes);
        wf.add("links", links);
        wf.add("groups", new JsonArray());
        wf.add("config", new JsonObject());
        wf.add("extra", new JsonObject());
        wf.addProperty("version", 0.4);
        return wf;
    }

    private static int uiLink(JsonArray links, int[] next, int from, int to, String type) {
        int id = next[0]++;
        links.add(ComfyJson.parse("[" + id + "," + from + ",0," + to + ",0,\"" + type + "\"]", "x"));
        return id;
    }

    private static JsonObject uiNode(int id, String type, int mode, Integer inputLink, int[] outputLinks, String widgets) {
        JsonObject n = new JsonObject();
        n.addProperty("id", id);
        n.addProperty("type", type);
        n.add("pos", ComfyJson.parse("[" + id * 10 + ",0]", "x"));
        n.add("size", ComfyJson.parse("[300,100]", "x"));
        n.add("flags", new JsonObject());
        n.addProperty("order", id);
        n.addProperty("mode", mode);
        JsonArray inputs = new JsonArray();
        if (inputLink != null) {
            String name = type.equals("SaveImage") || type.equals("PreviewImage") ? "images" : type.equals("Reroute") ? "" : "image";
            inputs.add(ComfyJson.parse("{\"name\":\"" + name + "\",\"type\":\"IMAGE\",\"link\":" + inputLink + "}", "x"));
        }
        n.add("inputs", inputs);
        JsonArray ol = new JsonArray();
        for (int l : outputLinks) {
            ol.add(l);
        }
        JsonObject out = new JsonObject();
        String outType = type.equals("PrimitiveNode") ? "INT" : "IMAGE";
        out.addProperty("name", outType);
        out.addProperty("type", outType);
        out.add("links", ol);
        JsonArray outputs = new JsonArray();
        if (!type.equals("SaveImage") && !type.equals("PreviewImage")) {
            outputs.add(out);
        }
        n.add("outputs", outputs);
        n.add("properties", new JsonObject());
        if (widgets != null) {
            n.add("widgets_values", ComfyJson.parse(widgets, "x"));
        }
        return n;
    }
}
