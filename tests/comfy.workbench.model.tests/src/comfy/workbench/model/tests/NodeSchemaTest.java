package comfy.workbench.model.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonObject;

import comfy.workbench.model.api.ComfyJson;
import comfy.workbench.model.api.ComfyJsonException;
import comfy.workbench.model.api.InputKind;
import comfy.workbench.model.api.InputSection;
import comfy.workbench.model.api.InputSpec;
import comfy.workbench.model.api.NodeClass;
import comfy.workbench.model.api.NodeOutput;
import comfy.workbench.model.api.NodeSchema;
import comfy.workbench.testing.captures.Captures;

/** The node schema read from the genuine {@code /object_info} of ComfyUI 0.3.64 (383 classes). */
class NodeSchemaTest {

    private static String objectInfo;
    private static NodeSchema schema;

    @BeforeAll
    static void parseCapture() {
        objectInfo = Captures.locate().read("object_info.json");
        schema = NodeSchema.parse(objectInfo, "object_info.json");
    }

    private static NodeClass nodeClass(String name) {
        return schema.nodeClass(name).orElseThrow(() -> new AssertionError("no class " + name));
    }

    private static InputSpec input(String className, String input) {
        return nodeClass(className).input(input).orElseThrow(() -> new AssertionError("no input " + className + "." + input));
    }

    @Test
    void everyClassOfTheCaptureParsesWithEveryDeclaredInputAndOutput() {
        JsonObject raw = ComfyJson.parseObject(objectInfo, "object_info.json");
        assertEquals(383, schema.size());
        assertEquals(383, schema.classes().size());
        assertEquals(raw.keySet().stream().toList(), schema.classes().stream().map(NodeClass::name).toList());
        int inputs = 0;
        for (NodeClass c : schema.classes()) {
            JsonObject declared = raw.getAsJsonObject(c.name()).getAsJsonObject("input");
            int expected = declared.entrySet().stream().mapToInt(e -> e.getValue().getAsJsonObject().size()).sum();
            assertEquals(expected, c.inputs().size(), c.name());
            assertEquals(raw.getAsJsonObject(c.name()).getAsJsonArray("output").size(), c.outputs().size(), c.name());
            inputs += c.inputs().size();
        }
        assertEquals(2055, inputs);
        Map<InputKind, Long> kinds = schema.classes().stream().flatMap(c -> c.inputs().stream())
                .collect(Collectors.groupingBy(InputSpec::kind, Collectors.counting()));
        // legacy list combos (97) and ["COMBO", {...}] (44) are both combos; hidden inputs are 37 bare + 6 listed
        assertEquals(Map.of(InputKind.FLOAT, 877L, InputKind.INT, 293L, InputKind.STRING, 75L, InputKind.BOOLEAN, 38L,
                InputKind.COMBO, 141L, InputKind.HIDDEN, 43L, InputKind.LINK, 588L), kinds);
        assertEquals(26, schema.classes().stream().filter(NodeClass::outputNode).count());
        assertEquals(4, schema.classes().stream().filter(NodeClass::deprecated).count());
        assertEquals(68, schema.classes().stream().filter(NodeClass::experimental).count());
        assertEquals(0, schema.classes().stream().filter(NodeClass::apiNode).count());
    }

    @Test
    void kSamplerKeepsTheSeedMaximumExactAndItsInputOrder() {
        NodeClass k = nodeClass("KSampler");
        assertEquals("KSampler", k.displayName());
        assertEquals("sampling", k.category());
        assertEquals("nodes", k.pythonModule());
        assertFalse(k.outputNode());
        assertEquals(List.of("model", "seed", "steps", "cfg", "sampler_name", "scheduler", "positive", "negative",
                "latent_image", "denoise"), k.inputs().stream().map(InputSpec::name).toList());

        InputSpec seed = input("KSampler", "seed");
        assertEquals(InputKind.INT, seed.kind());
        assertEquals(InputSection.REQUIRED, seed.section());
        assertTrue(seed.isRequired());
        assertEquals(new BigDecimal("18446744073709551615"), seed.max().orElseThrow());
        assertEquals("18446744073709551615", seed.max().orElseThrow().toPlainString());
        assertEquals(BigDecimal.ZERO, seed.min().orElseThrow());
        assertEquals(0, seed.defaultValue().orElseThrow().getAsInt());
        assertTrue(seed.controlAfterGenerate());
        assertEquals(Optional.of("The random seed used for creating the noise."), seed.tooltip());

        InputSpec cfg = input("KSampler", "cfg");
        assertEquals(InputKind.FLOAT, cfg.kind());
        assertEquals(new BigDecimal("0.1"), cfg.step().orElseThrow());
        assertEquals(new BigDecimal("0.01"), cfg.round().orElseThrow());
        assertEquals(new BigDecimal("100.0"), cfg.max().orElseThrow());
        assertEquals(8.0, cfg.defaultValue().orElseThrow().getAsDouble());
        assertFalse(cfg.controlAfterGenerate());

        InputSpec sampler = input("KSampler", "sampler_name");
        assertEquals(InputKind.COMBO, sampler.kind());
        assertEquals("COMBO", sampler.type());
        assertEquals(42, sampler.comboOptions().size());
        assertEquals("euler", sampler.comboOptions().get(0));
        assertEquals("uni_pc_bh2", sampler.comboOptions().get(41));
        assertFalse(sampler.multiselect());

        InputSpec model = input("KSampler", "model");
        assertEquals(InputKind.LINK, model.kind());
        assertEquals("MODEL", model.type());
        assertFalse(model.kind().isWidget());
        assertTrue(model.comboOptions().isEmpty());

        assertEquals(List.of(new NodeOutput(0, "LATENT", "LATENT", false, "The denoised latent.")), k.outputs());
    }

    @Test
    void loadImageIsALegacyComboWithUpload() {
        InputSpec image = input("LoadImage", "image");
        assertEquals(InputKind.COMBO, image.kind());
        assertEquals(List.of("example.png"), image.comboOptions());
        assertTrue(image.imageUpload());
        assertTrue(image.remote().isEmpty());
        NodeClass c = nodeClass("LoadImage");
        assertEquals("Load Image", c.displayName());
        assertEquals(List.of(new NodeOutput(0, "IMAGE", "IMAGE", false, ""), new NodeOutput(1, "MASK", "MASK", false, "")),
                c.outputs());
    }

    @Test
    void saveImageIsAnOutputNodeWithHiddenInputsAfterTheRequiredOnes() {
        NodeClass save = nodeClass("SaveImage");
        assertTrue(save.outputNode());
        assertTrue(save.outputs().isEmpty());
        assertEquals(List.of("images", "filename_prefix", "prompt", "extra_pnginfo"),
                save.inputs().stream().map(InputSpec::name).toList());
        InputSpec prompt = input("SaveImage", "prompt");
        assertEquals(InputSection.HIDDEN, prompt.section());
        assertEquals(InputKind.HIDDEN, prompt.kind());
        assertEquals("PROMPT", prompt.type());
        assertEquals(List.of("prompt", "extra_pnginfo"),
                save.inputs(InputSection.HIDDEN).stream().map(InputSpec::name).toList());
        InputSpec prefix = input("SaveImage", "filename_prefix");
        assertEquals(InputKind.STRING, prefix.kind());
        assertEquals("ComfyUI", prefix.defaultValue().orElseThrow().getAsString());
        assertFalse(prefix.multiline());
    }

    @Test
    void emptyImageColorKeepsUnknownOptionsRaw() {
        InputSpec color = input("EmptyImage", "color");
        assertEquals(InputKind.INT, color.kind());
        assertEquals(new BigDecimal("16777215"), color.max().orElseThrow());
        assertEquals(BigDecimal.ONE, color.step().orElseThrow());
        assertEquals("color", color.rawOption("display").orElseThrow().getAsString());
        assertEquals("{\"default\":0,\"min\":0,\"max\":16777215,\"step\":1,\"display\":\"color\"}",
                ComfyJson.write(color.rawOptions()));
        assertEquals(List.of("width", "height", "batch_size", "color"),
                nodeClass("EmptyImage").inputs().stream().map(InputSpec::name).toList());
    }

    @Test
    void comboV2InputsCarryTheirOptionsAndFlags() {
        InputSpec dim = input("LatentConcat", "dim");
        assertEquals(InputKind.COMBO, dim.kind());
        assertEquals("COMBO", dim.type());
        assertEquals(List.of("x", "-x", "y", "-y", "t", "-t"), dim.comboOptions());
        assertFalse(dim.multiselect());
        // 44 inputs use the ["COMBO", {...}] form; all but LoadImageOutput's remote one list options
        assertEquals(44, schema.classes().stream().flatMap(c -> c.inputs().stream())
                .filter(i -> i.kind() == InputKind.COMBO && i.rawOptions().has("options")).count() + 1);

        InputSpec remote = input("LoadImageOutput", "image");
        assertEquals(InputKind.COMBO, remote.kind());
        assertTrue(remote.comboOptions().isEmpty());
        assertTrue(remote.imageUpload());
        assertEquals("/internal/files/output", remote.remote().orElseThrow().get("route").getAsString());
        assertEquals("output", remote.rawOption("image_folder").orElseThrow().getAsString());
    }

    @Test
    void multilineForceInputRoundFalseAndListOutputs() {
        InputSpec text = input("CLIPTextEncode", "text");
        assertEquals(InputKind.STRING, text.kind());
        assertTrue(text.multiline());
        InputSpec steps = input("SaveLoRANode", "steps");
        assertEquals(InputKind.INT, steps.kind());
        assertTrue(steps.forceInput());
        assertEquals(InputSection.OPTIONAL, steps.section());
        // "round": false means no rounding, not a precision
        long roundFalse = schema.classes().stream().flatMap(c -> c.inputs().stream())
                .filter(i -> i.rawOption("round").map(r -> r.getAsJsonPrimitive().isBoolean()).orElse(false))
                .peek(i -> assertTrue(i.round().isEmpty(), i.toString())).count();
        assertEquals(57, roundFalse);
        assertTrue(nodeClass("RebatchLatents").outputs().get(0).isList());
        assertFalse(nodeClass("KSampler").outputs().get(0).isList());
        InputSpec uniqueId = schema.classes().stream().flatMap(c -> c.inputs().stream())
                .filter(i -> i.type().equals("UNIQUE_ID")).findFirst().orElseThrow();
        assertEquals(InputKind.HIDDEN, uniqueId.kind());
    }

    @Test
    void inputOrderIsRespectedEvenWhenItDiffersFromTheJsonOrder() {
        String json = "{\"N\":{\"input\":{\"required\":{\"b\":[\"INT\"],\"a\":[\"FLOAT\",{\"min\":-Infinity,\"max\":1e3}]},"
                + "\"optional\":{\"z\":[\"IMAGE\"],\"y\":[[1,2,\"three\"],{\"default\":2}]}},"
                + "\"input_order\":{\"required\":[\"a\",\"b\"],\"optional\":[\"y\"]},"
                + "\"output\":[[\"p\",\"q\"]],\"output_name\":[\"choice\"],\"name\":\"N\",\"search_aliases\":[\"n\"]}}";
        NodeClass n = NodeSchema.parse(json, "inline").nodeClass("N").orElseThrow();
        assertEquals(List.of("a", "b", "y", "z"), n.inputs().stream().map(InputSpec::name).toList());
        InputSpec a = n.input("a").orElseThrow();
        assertTrue(a.min().isEmpty(), "-Infinity is no bound");
        assertEquals(0, new BigDecimal("1000").compareTo(a.max().orElseThrow()));
        assertEquals(List.of("1", "2", "three"), n.input("y").orElseThrow().comboOptions());
        assertEquals(new NodeOutput(0, "COMBO", "choice", false, ""), n.outputs().get(0));
        assertEquals("N", n.displayName());
        assertEquals("[\"n\"]", ComfyJson.write(n.extra().get("search_aliases")));
        assertTrue(NodeSchema.parse(json, "inline").nodeClass("Missing").isEmpty());
    }

    @Test
    void schemaEqualityFollowsContent() {
        assertEquals(schema, NodeSchema.parse(objectInfo, "again"));
        Map<String, NodeClass> byName = schema.classes().stream().collect(Collectors.toMap(NodeClass::name, Function.identity()));
        assertEquals(nodeClass("KSampler"), byName.get("KSampler"));
    }

    @Test
    void malformedDeclarationsNameTheClassAndTheInput() {
        assertError("object_info: class KSampler input seed: max is a string, expected a number",
                "{\"KSampler\":{\"input\":{\"required\":{\"seed\":[\"INT\",{\"max\":\"big\"}]}}}}");
        assertError("object_info: class K input x: declaration is a number, expected [TYPE] or [TYPE, {options}]",
                "{\"K\":{\"input\":{\"required\":{\"x\":5}}}}");
        assertError("object_info: class K input x: options are an array, expected an object",
                "{\"K\":{\"input\":{\"optional\":{\"x\":[\"INT\",[1]]}}}}");
        assertError("object_info: class K input x: declaration has 0 elements, expected [TYPE] or [TYPE, {options}]",
                "{\"K\":{\"input\":{\"required\":{\"x\":[]}}}}");
        assertError("object_info: class K input x: combo choice 1 is an object, expected a string or number",
                "{\"K\":{\"input\":{\"required\":{\"x\":[[\"a\",{}]]}}}}");
        assertError("object_info: class K input x: options.options is a string, expected a list of choices",
                "{\"K\":{\"input\":{\"required\":{\"x\":[\"COMBO\",{\"options\":\"a\"}]}}}}");
        assertError("object_info: class K input ghost: listed in input_order.required but not declared in input.required",
                "{\"K\":{\"input\":{\"required\":{\"x\":[\"INT\"]}},\"input_order\":{\"required\":[\"ghost\",\"x\"]}}}");
        assertError("object_info: class K input: required is an array, expected an object",
                "{\"K\":{\"input\":{\"required\":[]}}}");
        assertError("object_info: class K: output_node is a string, expected true or false",
                "{\"K\":{\"output_node\":\"yes\"}}");
        assertError("object_info: class K is an array, expected an object", "{\"K\":[]}");
        assertError("object_info: class K input x: min is NaN, expected a number",
                "{\"K\":{\"input\":{\"required\":{\"x\":[\"FLOAT\",{\"min\":NaN}]}}}}");
    }

    private static void assertError(String message, String json) {
        ComfyJsonException e = assertThrows(ComfyJsonException.class, () -> NodeSchema.parse(json, "object_info"));
        assertEquals(message, e.getMessage());
    }
}
