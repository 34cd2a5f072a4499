package comfy.workbench.workflows.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

import comfy.workbench.model.api.ComfyJson;
import comfy.workbench.workflows.api.InputEdit;
import comfy.workbench.workflows.api.UiWorkflow;
import comfy.workbench.workflows.api.ValueControl;
import comfy.workbench.workflows.api.Workflow;
import comfy.workbench.workflows.api.WorkflowCodec;
import comfy.workbench.workflows.api.WorkflowException;
import comfy.workbench.workflows.api.WorkflowException.Kind;
import comfy.workbench.workflows.internal.DefaultWorkflowCodec;

/** New input values, written into the graph and into the UI form where the frontend keeps them. */
class InputEditTest {

    private static final String SAMPLER = """
            {"nodes":[{"id":3,"type":"KSampler","mode":0,"inputs":[],"outputs":[],
              "widgets_values":[156680208700286,"randomize",20,8,"euler","normal",1]},
             {"id":7,"type":"LoadImage","mode":0,"inputs":[],"outputs":[],"widgets_values":["example.png","image"]},
             {"id":9,"type":"CLIPTextEncode","mode":0,"inputs":[{"name":"clip","type":"CLIP","link":null}],"outputs":[],
              "widgets_values":{"text":"a cat"}}],
             "links":[],"version":0.4}
            """;

    private final WorkflowCodec codec = new DefaultWorkflowCodec();

    private static InputEdit edit(String node, String input, Object value) {
        JsonPrimitive v = value instanceof Number n ? new JsonPrimitive(n)
                : value instanceof Boolean b ? new JsonPrimitive(b) : new JsonPrimitive((String) value);
        return new InputEdit(node, input, v);
    }

    private static JsonArray widgets(Workflow w, String nodeId) {
        return w.uiForm().orElseThrow().nodes().stream().filter(n -> n.id().equals(nodeId)).findFirst().orElseThrow()
                .widgetValueList();
    }

    @Test
    void valuesGoIntoTheGraphAndIntoTheWidgetsPastControlAndUploadSlots() {
        Workflow w = codec.readUi(SAMPLER, "s.json", Fixtures.schema());
        Workflow edited = codec.withInputs(w, List.of(edit("3", "steps", 30), edit("3", "sampler_name", "dpmpp_2m"),
                edit("3", "seed", 7), edit("7", "image", "other.png"), edit("9", "text", "a dog")), Fixtures.schema(),
                "s.json");

        JsonObject sampler = edited.prompt().node("3").orElseThrow().inputs();
        assertEquals(30, sampler.get("steps").getAsInt());
        assertEquals("dpmpp_2m", sampler.get("sampler_name").getAsString());
        assertEquals(7, sampler.get("seed").getAsInt());
        assertEquals("other.png", edited.prompt().node("7").orElseThrow().inputs().get("image").getAsString());
        assertEquals(ComfyJson.parse("[7,\"randomize\",30,8,\"dpmpp_2m\",\"normal\",1]", "x").getAsJsonArray(), widgets(edited, "3"));
        assertEquals(ComfyJson.parse("[\"other.png\",\"image\"]", "x").getAsJsonArray(), widgets(edited, "7"));
        assertEquals("a dog", edited.uiForm().orElseThrow().nodes().get(2).widgetsValues().getAsJsonObject().get("text")
                .getAsString());
        // the form and the graph agree: the UI form converts to the edited graph, its seed's control still there
        Workflow reread = codec.readUi(codec.writeUi(edited).orElseThrow(), "again", Fixtures.schema());
        assertEquals(edited.prompt(), reread.prompt());
        assertEquals(List.of(ValueControl.Mode.RANDOMIZE), reread.controls().stream().map(ValueControl::mode).toList());
        assertEquals(w.controls(), edited.controls());
        // and the original is untouched
        assertEquals(20, w.prompt().node("3").orElseThrow().inputs().get("steps").getAsInt());
    }

    @Test
    void anInputFedByAPrimitiveNodeChangesThePrimitive() {
        Workflow w = codec.readUi(UiConversionTest.WORKFLOW, "ui.json", Fixtures.schema());
        Workflow edited = codec.withInputs(w, List.of(edit("1", "width", 256)), Fixtures.schema(), "ui.json");
        assertEquals(256, edited.prompt().node("1").orElseThrow().inputs().get("width").getAsInt());
        assertEquals(256, widgets(edited, "10").get(0).getAsInt());
        assertEquals(256, widgets(edited, "1").get(0).getAsInt(), "the fed widget's own value follows, as in the frontend");
        assertEquals(edited.prompt(), codec.toApi(edited.uiForm().orElseThrow(), Fixtures.schema()));
    }

    @Test
    void aPrimitiveFeedingSeveralInputsChangesThemAllInTheGraph() {
        String ui = """
                {"nodes":[
                 {"id":6,"type":"ImageAddNoise","mode":0,"inputs":[{"name":"seed","type":"INT","widget":{"name":"seed"},"link":1}],
                  "outputs":[],"widgets_values":[5,"decrement",0.5]},
                 {"id":7,"type":"ImageAddNoise","mode":0,"inputs":[{"name":"seed","type":"INT","widget":{"name":"seed"},"link":3}],
                  "outputs":[],"widgets_values":[5,"fixed",0.5]},
                 {"id":4,"type":"Reroute","mode":0,"inputs":[{"name":"","type":"*","link":2}],
                  "outputs":[{"name":"","type":"INT","links":[3]}]},
                 {"id":8,"type":"PrimitiveNode","mode":0,"inputs":[],
                  "outputs":[{"name":"INT","type":"INT","widget":{"name":"seed"},"links":[1,2]}],"widgets_values":[99,"decrement"]}],
                 "links":[[1,8,0,6,0,"INT"],[2,8,0,4,0,"INT"],[3,4,0,7,0,"INT"]],"version":0.4}
                """;
        Workflow w = codec.readUi(ui, "shared seed", Fixtures.schema());
        assertEquals(99, w.prompt().node("7").orElseThrow().inputs().get("seed").getAsInt());

        Workflow edited = codec.withInputs(w, List.of(edit("6", "seed", 1234)), Fixtures.schema(), "shared seed");

        for (String node : List.of("6", "7")) {
            assertEquals(1234, edited.prompt().node(node).orElseThrow().inputs().get("seed").getAsInt(), node);
            assertEquals(1234, widgets(edited, node).get(0).getAsInt(), node);
        }
        assertEquals(1234, widgets(edited, "8").get(0).getAsInt());
        assertEquals(edited.prompt(), codec.toApi(edited.uiForm().orElseThrow(), Fixtures.schema()),
                "the graph is what the UI form converts to");
    }

    @Test
    void anApiWorkflowNeedsNoSchema() {
        Workflow w = codec.readApi(UiConversionTest.expected().toJson(), "api.json");
        Workflow edited = codec.withInputs(w, List.of(edit("5", "filename_prefix", "renders/x")), null, "api.json");
        assertEquals("renders/x", edited.prompt().node("5").orElseThrow().inputs().get("filename_prefix").getAsString());
        assertTrue(edited.uiForm().isEmpty());
    }

    @Test
    void whatCannotBeEditedIsRefusedNamingTheNodeAndInputAndNothingChanges() {
        Workflow w = codec.readUi(UiConversionTest.WORKFLOW, "ui.json", Fixtures.schema());
        WorkflowException link = assertThrows(WorkflowException.class,
                () -> codec.withInputs(w, List.of(edit("1", "height", 32), edit("2", "image", "x")), Fixtures.schema(), "ui.json"));
        assertEquals(Kind.CONVERSION, link.kind());
        assertEquals("2", link.nodeId().orElseThrow());
        assertEquals("image", link.widget().orElseThrow());
        assertTrue(link.getMessage().contains("input image of node 2 is fed by a link from node \"1\""), link.getMessage());
        assertTrue(link.getMessage().contains("not changed"), link.getMessage());

        WorkflowException missing = assertThrows(WorkflowException.class,
                () -> codec.withInputs(w, List.of(edit("42", "seed", 1)), Fixtures.schema(), "ui.json"));
        assertTrue(missing.getMessage().contains("has no node 42"), missing.getMessage());

        WorkflowException noSchema = assertThrows(WorkflowException.class,
                () -> codec.withInputs(w, List.of(edit("1", "height", 32)), null, "ui.json"));
        assertTrue(noSchema.getMessage().contains("node schema"), noSchema.getMessage());

        Workflow sub = codec.readUi(UiConversionTest.SUBGRAPH, "sub.json", Fixtures.schema());
        WorkflowException inside = assertThrows(WorkflowException.class,
                () -> codec.withInputs(sub, List.of(edit("5:2", "blur_radius", 5)), Fixtures.schema(), "sub.json"));
        assertTrue(inside.getMessage().contains("inside a subgraph"), inside.getMessage());
        assertEquals(UiWorkflow.parse(UiConversionTest.SUBGRAPH, "x"), sub.uiForm().orElseThrow());

        assertThrows(IllegalArgumentException.class, () -> new InputEdit("1", "width", new JsonArray()));
    }
}
