package comfy.workbench.templates.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonPrimitive;

import comfy.workbench.model.api.PromptNode;
import comfy.workbench.templates.api.Binding;
import comfy.workbench.templates.api.GraphChange;
import comfy.workbench.templates.api.Parameter;
import comfy.workbench.templates.api.ParameterType;
import comfy.workbench.templates.api.Preview;
import comfy.workbench.templates.api.SweepAxis;
import comfy.workbench.templates.api.SweepPlan;
import comfy.workbench.templates.api.Template;
import comfy.workbench.templates.api.TemplateException;
import comfy.workbench.templates.api.TemplateException.Kind;
import comfy.workbench.templates.internal.DefaultTemplateService;
import comfy.workbench.workflows.api.Workflow;
import comfy.workbench.workflows.api.WorkflowCodec;
import comfy.workbench.testing.osgi.Osgi;
import comfy.workbench.workflows.api.WorkflowValidator;
import comfy.workbench.testing.fake.TestPrompts;

/** Defining parameters from the schema, previewing, checking values and planning sweeps, without a server. */
class TemplateServiceTest {

    final WorkflowCodec codec = Osgi.service(WorkflowCodec.class);
    /** With a fixed random source; the rest as the framework wires it. */
    final Random random = new Random(1);
    final DefaultTemplateService service = DefaultTemplateService.withoutUploadCache(Osgi.service(WorkflowValidator.class),
            () -> random);
    final Workflow base = Fixtures.base(codec);
    final Template template = Fixtures.template(service, base);

    @Test
    void parametersTakeTypeConstraintsAndDefaultFromTheSchemaAndTheWorkflow() {
        Parameter radius = template.parameter("radius").orElseThrow();
        assertEquals(ParameterType.INT, radius.type());
        assertEquals(0, BigDecimal.ONE.compareTo(radius.min()));
        assertEquals(0, BigDecimal.valueOf(31).compareTo(radius.max()));
        assertEquals(new JsonPrimitive(3), radius.defaultValue());
        assertFalse(radius.seed());

        Parameter sigma = template.parameter("sigma").orElseThrow();
        assertEquals(ParameterType.FLOAT, sigma.type());
        assertEquals(0, new BigDecimal("0.1").compareTo(sigma.step()));

        Parameter method = template.parameter("method").orElseThrow();
        assertEquals(ParameterType.COMBO, method.type());
        assertEquals(List.of("nearest-exact", "bilinear", "area", "bicubic", "lanczos"), method.options());

        assertEquals(ParameterType.IMAGE, template.parameter("image").orElseThrow().type());
        assertEquals(ParameterType.STRING, template.parameter("prefix").orElseThrow().type());
        Parameter seed = template.parameter("seed").orElseThrow();
        assertTrue(seed.seed());
        assertEquals(0, new BigDecimal("18446744073709551615").compareTo(seed.max()));
        assertEquals(2, template.parameter("size").orElseThrow().bindings().size());
    }

    @Test
    void bindingsThatDoNotFitAreRefusedNamingTheNodeAndInput() {
        expectDefinition("the workflow has no node 9", List.of(new Binding("9", "x")));
        expectDefinition("node 2 (ImageBlur) has no input \"radius\"", List.of(new Binding("2", "radius")));
        expectDefinition("takes a link of type IMAGE", List.of(new Binding("2", "image")));
        expectDefinition("2.sigma is FLOAT, but 2.blur_radius makes the parameter INT",
                List.of(new Binding("2", "blur_radius"), new Binding("2", "sigma")));
        Workflow custom = codec.readApi("{\"1\": {\"class_type\": \"MyNode\", \"inputs\": {\"a\": 1}}}", "c");
        TemplateException e = assertThrows(TemplateException.class,
                () -> service.parameter(custom, Fixtures.schema(), "a", List.of(new Binding("1", "a"))));
        assertTrue(e.getMessage().contains("MyNode, a class the server's schema does not have"), e.getMessage());
    }

    private void expectDefinition(String message, List<Binding> bindings) {
        TemplateException e = assertThrows(TemplateException.class,
                () -> service.parameter(base, Fixtures.schema(), "p", bindings));
        assertEquals(Kind.BAD_DEFINITION, e.kind());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void aPreviewShowsTheResolvedGraphItsChangesAndItsValidation() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("radius", 5);
        values.put("size", "512");
        values.put("sigma", 2.5);
        values.put("seed", "random");
        Preview preview = service.preview(template, values, Fixtures.schema());

        BigInteger seed = preview.values().get("seed").getAsBigInteger();
        assertTrue(seed.signum() >= 0 && seed.compareTo(new BigInteger("18446744073709551615")) <= 0);
        PromptNode scale = preview.prompt().node("3").orElseThrow();
        assertEquals(512, scale.input("width").orElseThrow().getAsInt());
        assertEquals(512, scale.input("height").orElseThrow().getAsInt());
        assertEquals(List.of("2.blur_radius 3→5", "2.sigma 1.5→2.5", "3.width 256→512", "3.height 256→512",
                "5.noise_seed 7→" + seed), preview.changes().stream()
                        .map(c -> c.nodeId() + "." + c.input() + " " + c.before() + "→" + c.after()).toList());
        assertTrue(preview.validation().valid(), preview.validation().describe());
        assertEquals(base.prompt(), service.preview(template, Map.of(), Fixtures.schema()).prompt(),
                "defaults are the base workflow's values");
        assertEquals(List.of(), service.preview(template, Map.of(), Fixtures.schema()).changes());
    }

    @Test
    void aPreviewOfALocalImageShowsItsNameAndValidatesTheRest(@TempDir Path dir) throws Exception {
        Path image = Files.write(dir.resolve("face.png"), PNG_SIGNATURE);
        Preview preview = service.preview(template, Map.of("image", image), Fixtures.schema());
        assertEquals("face.png", preview.prompt().node("1").orElseThrow().input("image").orElseThrow().getAsString());
        assertTrue(preview.validation().valid(), preview.validation().describe());
        GraphChange change = preview.changes().get(0);
        assertEquals("LoadImage", change.classType());
    }

    @Test
    void aParameterBoundToInputsWithDifferentValuesIsRefusedForItsDefaultWouldChangeTheWorkflow() {
        Workflow wide = codec.readApi(Fixtures.BASE.replace("\"height\": 256", "\"height\": 144"), "wide.json");
        TemplateException e = assertThrows(TemplateException.class, () -> service.parameter(wide, Fixtures.schema(),
                "size", List.of(new Binding("3", "width"), new Binding("3", "height"))));
        assertEquals(Kind.BAD_DEFINITION, e.kind());
        assertTrue(e.getMessage().contains("parameter size: 3.width is 256 but 3.height is 144"), e.getMessage());
    }

    /** The first bytes of every PNG file: enough for the check that a file is an image. */
    static final byte[] PNG_SIGNATURE = { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13 };

    @Test
    void aFileThatIsNotAnImageIsRefusedBeforeAnythingIsUploaded(@TempDir Path dir) throws Exception {
        Path json = Files.writeString(dir.resolve("workflow.json"), "{\"1\": {}}");
        TemplateException e = assertThrows(TemplateException.class,
                () -> service.preview(template, Map.of("image", json), Fixtures.schema()));
        assertEquals(TemplateException.Kind.INVALID_VALUE, e.kind());
        assertTrue(e.getMessage().contains("image: " + json + " is not an image (PNG, JPEG, WebP, GIF, BMP or TIFF)"),
                e.getMessage());
        Path jpeg = Files.write(dir.resolve("photo.jpeg"), new byte[] { (byte) 0xff, (byte) 0xd8, (byte) 0xff, 0 });
        assertEquals("photo.jpeg", service.preview(template, Map.of("image", jpeg.toString()), Fixtures.schema())
                .prompt().node("1").orElseThrow().input("image").orElseThrow().getAsString());
    }

    @Test
    void everyBadValueIsReportedAtOnce() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("radius", 40);
        values.put("sigma", "abc");
        values.put("method", "cubic");
        values.put("size", 1.5);
        values.put("image", "/no/such/file.png");
        values.put("seed", -1);
        TemplateException e = assertThrows(TemplateException.class,
                () -> service.preview(template, values, Fixtures.schema()));
        assertEquals(Kind.INVALID_VALUE, e.kind());
        assertEquals(List.of("image: there is no readable file /no/such/file.png",
                "radius: 40 is above the maximum 31",
                "sigma: \"abc\" is not a number",
                "method: \"cubic\" is not one of nearest-exact, bilinear, area, bicubic, lanczos",
                "size: 1.5 is not a whole number",
                "seed: -1 is below the minimum 0"), e.details());
        assertTrue(e.getMessage().startsWith("template Blur and resize: 6 invalid values"), e.getMessage());

        TemplateException random = assertThrows(TemplateException.class,
                () -> service.preview(template, Map.of("radius", "random"), Fixtures.schema()));
        assertEquals(List.of("radius: \"random\" is not a whole number"), random.details());
        TemplateException unknown = assertThrows(TemplateException.class,
                () -> service.preview(template, Map.of("steps", 20), Fixtures.schema()));
        assertEquals(Kind.UNKNOWN_PARAMETER, unknown.kind());
        assertTrue(unknown.getMessage().contains("no parameter steps (it has: image, radius"), unknown.getMessage());
    }

    @Test
    void aSweepIsCountedAndCheckedBeforeAnythingRuns() {
        SweepPlan plan = service.sweep(template, List.of(SweepAxis.of("radius", 1, 2, 3),
                SweepAxis.range("sigma", new BigDecimal("0.5"), new BigDecimal("1.5"), new BigDecimal("0.5"))),
                Map.of("seed", "random"), 9);
        assertEquals(9, plan.count());
        List<Map<String, Object>> combos = new ArrayList<>();
        plan.combinations().forEach(combos::add);
        assertEquals(9, combos.size());
        assertEquals(9, new HashSet<>(combos).size(), "all different");
        assertEquals(Map.of("seed", "random", "radius", 1, "sigma", new BigDecimal("0.5")), combos.get(0));
        assertEquals(Map.of("seed", "random", "radius", 3, "sigma", new BigDecimal("1.5")), combos.get(8));
        Set<String> seeds = new HashSet<>();
        for (Map<String, Object> values : plan.combinations()) {
            seeds.add(service.preview(template, values, Fixtures.schema()).values().get("seed").getAsString());
        }
        assertEquals(9, seeds.size(), "each instance draws its own seed");

        TemplateException tooMany = assertThrows(TemplateException.class, () -> service.sweep(template,
                List.of(SweepAxis.of("radius", 1, 2, 3), SweepAxis.of("method", "area", "bicubic")), Map.of(), 5));
        assertEquals(Kind.TOO_MANY_INSTANCES, tooMany.kind());
        assertTrue(tooMany.getMessage().contains("makes 6 instances, more than the cap of 5"), tooMany.getMessage());

        TemplateException bad = assertThrows(TemplateException.class,
                () -> service.sweep(template, List.of(SweepAxis.of("radius", 1, 99)), Map.of("sigma", 50), 100));
        assertEquals(List.of("radius: 99 is above the maximum 31", "sigma: 50 is above the maximum 10.0"), bad.details());
        assertThrows(IllegalArgumentException.class,
                () -> SweepAxis.range("seed", BigDecimal.ZERO, new BigDecimal("1e9"), BigDecimal.ONE));
    }

    @Test
    void appModeInputsBecomeParameters() {
        String ui = TestPrompts.APP_UI;
        Workflow workflow = codec.readUi(ui, "app.json", Fixtures.schema());
        List<Parameter> parameters = service.appParameters(workflow, Fixtures.schema());
        assertEquals(List.of("width", "height", "filename_prefix"), parameters.stream().map(Parameter::name).toList());
        assertEquals("Canvas: width", parameters.get(0).label());
        assertEquals(new JsonPrimitive(384), parameters.get(1).defaultValue());
        assertEquals(ParameterType.STRING, parameters.get(2).type());
        assertEquals(List.of(), service.appParameters(base, Fixtures.schema()), "an API workflow declares none");
    }

    @Test
    void anAppModeInputOnAPrimitiveNodeBecomesAParameterOfEveryInputItFeeds() {
        // the primitive "Size" feeds the canvas's width and, through a reroute, its height: App mode names the
        // primitive, which the API graph does not have
        String ui = """
                {"last_node_id": 5, "last_link_id": 5, "version": 0.4,
                 "nodes": [
                  {"id": 1, "type": "EmptyImage", "title": "Canvas", "mode": 0,
                   "inputs": [{"name": "width", "type": "INT", "link": 3, "widget": {"name": "width"}},
                              {"name": "height", "type": "INT", "link": 5, "widget": {"name": "height"}}],
                   "outputs": [{"name": "IMAGE", "type": "IMAGE", "links": [1]}], "widgets_values": [640, 640, 1, 0]},
                  {"id": 2, "type": "ImageInvert", "mode": 0, "inputs": [{"name": "image", "type": "IMAGE", "link": 1}],
                   "outputs": [{"name": "IMAGE", "type": "IMAGE", "links": [2]}], "widgets_values": []},
                  {"id": 3, "type": "SaveImage", "mode": 0, "inputs": [{"name": "images", "type": "IMAGE", "link": 2}],
                   "outputs": [], "widgets_values": ["app"]},
                  {"id": 4, "type": "PrimitiveNode", "title": "Size", "mode": 0, "inputs": [],
                   "outputs": [{"name": "INT", "type": "INT", "links": [3, 4], "widget": {"name": "width"}}],
                   "widgets_values": [640, "fixed"]},
                  {"id": 5, "type": "Reroute", "mode": 0, "inputs": [{"name": "", "type": "*", "link": 4}],
                   "outputs": [{"name": "", "type": "INT", "links": [5]}]}],
                 "links": [[1, 1, 0, 2, 0, "IMAGE"], [2, 2, 0, 3, 0, "IMAGE"], [3, 4, 0, 1, 0, "INT"],
                           [4, 4, 0, 5, 0, "*"], [5, 5, 0, 1, 1, "INT"]],
                 "extra": {"linearMode": true, "linearData": {"inputs": [[4, "value"], [3, "filename_prefix"]],
                           "outputs": [3]}}}
                """;
        Workflow workflow = codec.readUi(ui, "app.json", Fixtures.schema());
        List<Parameter> parameters = service.appParameters(workflow, Fixtures.schema());
        assertEquals(List.of("width", "filename_prefix"), parameters.stream().map(Parameter::name).toList());
        Parameter size = parameters.get(0);
        assertEquals(List.of(new Binding("1", "width"), new Binding("1", "height")), size.bindings());
        assertEquals("Size: width", size.label());
        assertEquals(ParameterType.INT, size.type());
        assertEquals(new JsonPrimitive(640), size.defaultValue());
    }

    @Test
    void checkFindsBindingsTheWorkflowNoLongerHas() {
        Workflow changed = codec.readApi("""
                {"1": {"class_type": "LoadImage", "inputs": {"image": "example.png"}},
                 "2": {"class_type": "ImageBlur", "inputs": {"image": ["1", 0], "blur_radius": 3, "sigma": ["9", 0]}},
                 "3": {"class_type": "ImageScale", "inputs": {"image": ["2", 0], "upscale_method": "bilinear",
                       "width": 256, "height": 256, "crop": "disabled"}},
                 "4": {"class_type": "SaveImage", "inputs": {"images": ["3", 0], "filename_prefix": "tpl"}},
                 "9": {"class_type": "ImageBlur", "inputs": {}}}
                """, "changed");
        assertNull(changed.prompt().node("5").orElse(null));
        List<String> problems = service.check(changed, template.parameters()).stream().map(p -> p.message()).toList();
        assertEquals(List.of("parameter sigma is bound to input \"sigma\" of node 2 (ImageBlur), which is now fed by a "
                + "link from node 9", "parameter seed is bound to node 5, which the workflow no longer has"), problems);
    }
}
