package comfy.workbench.workflows.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import com.google.gson.JsonObject;

import comfy.workbench.model.api.PromptGraph;
import comfy.workbench.testing.captures.Captures;
import comfy.workbench.workflows.api.UiWorkflow;
import comfy.workbench.workflows.api.ValueControl;
import comfy.workbench.workflows.api.Workflow;
import comfy.workbench.workflows.api.WorkflowCodec;
import comfy.workbench.workflows.api.WorkflowException;
import comfy.workbench.workflows.api.WorkflowException.Kind;
import comfy.workbench.workflows.api.WorkflowFormat;
import comfy.workbench.workflows.internal.DefaultWorkflowCodec;
import comfy.workbench.workflows.internal.SchemaValidator;

/** PNG import: the genuine server's output file, every text chunk form, and damaged files. */
class PngImportTest {

    private static final String PNG = "files/11_output_peer_extra_00001_.png";
    private final WorkflowCodec codec = new DefaultWorkflowCodec();

    /** The {@code POST /prompt} body of capture 11 that produced the PNG. */
    private static JsonObject submitted() {
        for (JsonObject r : Captures.locate().records("11_client_id_and_extra_data.jsonl", "http_request")) {
            if (r.get("path").getAsString().equals("/prompt") && r.getAsJsonObject("body").has("extra_data")) {
                return r.getAsJsonObject("body");
            }
        }
        throw new AssertionError("no prompt with extra_data in capture 11");
    }

    @Test
    void theServersPngImportsAsTheSubmittedGraph() {
        Workflow w = codec.read(Fixtures.bytes(PNG), PNG, null);
        JsonObject body = submitted();
        assertEquals(WorkflowFormat.PNG, w.source());
        assertEquals(PromptGraph.of(body.getAsJsonObject("prompt"), "capture 11"), w.prompt());
        UiWorkflow ui = w.uiForm().orElseThrow();
        assertEquals(body.getAsJsonObject("extra_data").getAsJsonObject("extra_pnginfo").getAsJsonObject("workflow"),
                ui.toJsonTree());
        assertEquals("0.4", ui.version());
        assertTrue(new SchemaValidator().validate(w.prompt(), Fixtures.schema()).valid());
        // the stream entry point reads the same
        assertEquals(w, codec.readPng(new ByteArrayInputStream(Fixtures.bytes(PNG)), PNG, null));
    }

    @Test
    void everyTextChunkForm() {
        String prompt = "{\"1\":{\"class_type\":\"EmptyImage\",\"inputs\":{\"width\":64,\"height\":64,\"batch_size\":1,\"color\":0}},"
                + "\"2\":{\"class_type\":\"SaveImage\",\"inputs\":{\"images\":[\"1\",0],\"filename_prefix\":\"é ✓\"}}}";
        String workflow = "{\"nodes\":[],\"links\":[],\"version\":0.4}";
        PromptGraph expected = PromptGraph.parse(prompt, "expected");
        byte[] base = Fixtures.bytes(PNG);
        byte[][] variants = {
                Png.withText(base, Png.iTXt("prompt", prompt, false), Png.iTXt("workflow", workflow, true)),
                Png.withText(base, Png.iTXt("prompt", prompt, true), Png.zTXt("workflow", workflow)),
                Png.withText(base, Png.tEXt("Software", "test"), Png.zTXt("prompt", prompt.replace("é ✓", "plain"))) };
        assertEquals(expected, codec.read(variants[0], "itxt", null).prompt());
        assertEquals(workflow.length() > 0, codec.read(variants[0], "itxt", null).uiForm().isPresent());
        assertEquals(expected, codec.read(variants[1], "itxt-z", null).prompt());
        assertEquals(PromptGraph.parse(prompt.replace("é ✓", "plain"), "x"), codec.read(variants[2], "ztxt", null).prompt());
        assertTrue(codec.read(variants[2], "ztxt", null).uiForm().isEmpty());
    }

    /**
     * The prompt chunk runs, and the workflow chunk beside it (written from the same graph) gives its value controls
     * when a schema is at hand; a PNG with only the workflow chunk has them from its conversion.
     */
    @Test
    void theWorkflowChunksValueControlsComeWithThePromptChunk() {
        String prompt = "{\"1\":{\"class_type\":\"EmptyImage\",\"inputs\":{\"width\":64,\"height\":64,\"batch_size\":1,\"color\":0}},"
                + "\"2\":{\"class_type\":\"ImageAddNoise\",\"inputs\":{\"image\":[\"1\",0],\"seed\":42,\"strength\":0.5}}}";
        String workflow = """
                {"nodes":[{"id":1,"type":"EmptyImage","mode":0,"outputs":[{"name":"IMAGE","type":"IMAGE","links":[1]}],
                  "widgets_values":[64,64,1,0]},
                 {"id":2,"type":"ImageAddNoise","mode":0,"inputs":[{"name":"image","type":"IMAGE","link":1}],"outputs":[],
                  "widgets_values":[42,"increment",0.5]}],"links":[[1,1,0,2,0,"IMAGE"]],"version":0.4}
                """;
        List<ValueControl> expected = List.of(new ValueControl(List.of(new ValueControl.Target("2", "seed")),
                ValueControl.Mode.INCREMENT, 0, ValueControl.FRONTEND_MAX, 1));
        byte[] base = Fixtures.bytes(PNG);
        byte[] both = Png.withText(base, Png.tEXt("prompt", prompt), Png.tEXt("workflow", workflow));
        Workflow w = codec.read(both, "both.png", Fixtures.schema());
        assertEquals(PromptGraph.parse(prompt, "x"), w.prompt());
        assertEquals(expected, w.controls());
        assertEquals(43, w.promptForRun(1, new SplittableRandom(1)).node("2").orElseThrow().inputs().get("seed").getAsInt());
        assertEquals(List.of(), codec.read(both, "both.png", null).controls());
        assertEquals(expected, codec.read(Png.withText(base, Png.tEXt("workflow", workflow)), "ui.png", Fixtures.schema())
                .controls());
    }

    @Test
    void aPngWithoutMetadata() {
        WorkflowException e = assertThrows(WorkflowException.class,
                () -> codec.read(Fixtures.bytes("files/13_channel_rgb.png"), "13_channel_rgb.png", null));
        assertEquals(Kind.NO_METADATA, e.kind());
        assertTrue(e.getMessage().startsWith("13_channel_rgb.png: "), e.getMessage());
        assertTrue(e.getMessage().contains("no text chunks"), e.getMessage());
    }

    @Test
    void aTruncatedPng() {
        byte[] png = Fixtures.bytes(PNG);
        for (int cut : new int[] { 4, 20, Png.offsetOf(png, "IDAT") + 30, png.length - 6 }) {
            WorkflowException e = assertThrows(WorkflowException.class,
                    () -> codec.read(Arrays.copyOf(png, cut), "cut.png", null), "cut at " + cut);
            assertEquals(Kind.CORRUPT_FILE, e.kind());
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        }
    }

    @Test
    void aBadCrc() {
        byte[] png = Fixtures.bytes(PNG);
        png[Png.offsetOf(png, "IDAT") + 10] ^= 0x55;
        WorkflowException e = assertThrows(WorkflowException.class, () -> codec.read(png, "bad.png", null));
        assertEquals(Kind.CORRUPT_FILE, e.kind());
        assertTrue(e.getMessage().contains("bad CRC in the IDAT chunk"), e.getMessage());
        byte[] text = Fixtures.bytes(PNG);
        text[Png.offsetOf(text, "tEXt") + 12] ^= 0x01;
        assertEquals(Kind.CORRUPT_FILE, assertThrows(WorkflowException.class, () -> codec.read(text, "t.png", null)).kind());
    }

    @Test
    void notAPngAtAll() {
        WorkflowException e = assertThrows(WorkflowException.class,
                () -> codec.readPng(new ByteArrayInputStream("{}".getBytes()), "x.png", null));
        assertEquals(Kind.CORRUPT_FILE, e.kind());
    }

    @Test
    void aPngWithOnlyAWorkflowIsConvertedWithTheSchema() {
        String ui = UiConversionTest.WORKFLOW;
        byte[] png = Png.withText(Fixtures.bytes(PNG), Png.tEXt("workflow", ui));
        Workflow w = codec.read(png, "ui-only.png", Fixtures.schema());
        assertEquals(UiConversionTest.expected(), w.prompt());
        WorkflowException e = assertThrows(WorkflowException.class, () -> codec.read(png, "ui-only.png", null));
        assertEquals(Kind.CONVERSION, e.kind());
        assertTrue(e.getMessage().contains("node schema"), e.getMessage());
    }
}
