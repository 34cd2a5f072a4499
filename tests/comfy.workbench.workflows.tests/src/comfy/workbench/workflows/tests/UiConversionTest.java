package comfy.workbench.workflows.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import comfy.workbench.model.api.ComfyJson;
import comfy.workbench.model.api.PromptGraph;
import comfy.workbench.workflows.api.Finding;
import comfy.workbench.workflows.api.UiWorkflow;
import comfy.workbench.workflows.api.ValueControl;
import comfy.workbench.workflows.api.ValueControl.Mode;
import comfy.workbench.workflows.api.ValueControl.Target;
import comfy.workbench.workflows.api.Workflow;
import comfy.workbench.workflows.api.WorkflowCodec;
import comfy.workbench.workflows.api.WorkflowException;
import comfy.workbench.workflows.api.WorkflowException.Kind;
import comfy.workbench.workflows.api.WorkflowFormat;
import comfy.workbench.workflows.internal.DefaultWorkflowCodec;
import comfy.workbench.workflows.internal.SchemaValidator;

/** UI-format workflows (schema 0.4 and 1) converted to API format as the frontend would. */
class UiConversionTest {

    /**
     * A PrimitiveNode (10) drives EmptyImage's width (its widget says 512, the primitive 128); a Reroute (3)
     * and a bypassed ImageBlur (4) sit between ImageInvert and SaveImage; a muted PreviewImage (6); LoadImage
     * with its upload slot; a Note.
     */
    static final String WORKFLOW = """
            {"id":"6b1c0f2e-0000-4000-8000-000000000001","revision":0,"last_node_id":10,"last_link_id":11,
             "nodes":[
              {"id":1,"type":"EmptyImage","pos":[0,0],"size":[300,130],"flags":{},"order":1,"mode":0,
               "inputs":[{"name":"width","type":"INT","widget":{"name":"width"},"link":11}],
               "outputs":[{"name":"IMAGE","type":"IMAGE","links":[1],"slot_index":0}],
               "properties":{"Node name for S&R":"EmptyImage"},"widgets_values":[512,64,1,0]},
              {"id":2,"type":"ImageInvert","pos":[350,0],"mode":0,
               "inputs":[{"name":"image","type":"IMAGE","link":1}],
               "outputs":[{"name":"IMAGE","type":"IMAGE","links":[2,5]}],"properties":{},"widgets_values":[]},
              {"id":3,"type":"Reroute","pos":[500,0],"mode":0,
               "inputs":[{"name":"","type":"*","link":2}],
               "outputs":[{"name":"","type":"IMAGE","links":[3]}],"properties":{"showOutputText":false}},
              {"id":4,"type":"ImageBlur","pos":[600,0],"mode":4,
               "inputs":[{"name":"image","type":"IMAGE","link":3}],
               "outputs":[{"name":"IMAGE","type":"IMAGE","links":[4]}],"properties":{},"widgets_values":[3,1.5]},
              {"id":5,"type":"SaveImage","title":"Save it","pos":[900,0],"mode":0,
               "inputs":[{"name":"images","type":"IMAGE","link":4}],"outputs":[],"properties":{},
               "widgets_values":["peer_ui"]},
              {"id":6,"type":"PreviewImage","pos":[900,300],"mode":2,
               "inputs":[{"name":"images","type":"IMAGE","link":5}],"outputs":[],"properties":{}},
              {"id":7,"type":"LoadImage","pos":[0,300],"mode":0,"inputs":[],
               "outputs":[{"name":"IMAGE","type":"IMAGE","links":[6]},{"name":"MASK","type":"MASK","links":null}],
               "properties":{},"widgets_values":["example.png","image"]},
              {"id":8,"type":"PreviewImage","pos":[350,300],"mode":0,
               "inputs":[{"name":"images","type":"IMAGE","link":6}],"outputs":[],"properties":{}},
              {"id":9,"type":"Note","pos":[0,600],"mode":0,"inputs":[],"outputs":[],"properties":{},
               "widgets_values":["width comes from the primitive"]},
              {"id":10,"type":"PrimitiveNode","title":"width","pos":[-300,0],"mode":0,"inputs":[],
               "outputs":[{"name":"INT","type":"INT","widget":{"name":"width"},"links":[11]}],
               "properties":{"Run widget replace on values":false},"widgets_values":[128,"fixed"]}],
             "links":[[1,1,0,2,0,"IMAGE"],[2,2,0,3,0,"*"],[3,3,0,4,0,"IMAGE"],[4,4,0,5,0,"IMAGE"],
                      [5,2,0,6,0,"IMAGE"],[6,7,0,8,0,"IMAGE"],[11,10,0,1,0,"INT"]],
             "groups":[],"config":{},"extra":{"ds":{"scale":1,"offset":[0,0]},"frontendVersion":"1.28.7"},"version":0.4}
            """;

    private final WorkflowCodec codec = new DefaultWorkflowCodec();

    static PromptGraph expected() {
        return PromptGraph.parse("""
                {"1":{"inputs":{"width":128,"height":64,"batch_size":1,"color":0},"class_type":"EmptyImage","_meta":{"title":"EmptyImage"}},
                 "2":{"inputs":{"image":["1",0]},"class_type":"ImageInvert","_meta":{"title":"Invert Image"}},
                 "5":{"inputs":{"filename_prefix":"peer_ui","images":["2",0]},"class_type":"SaveImage","_meta":{"title":"Save it"}},
                 "7":{"inputs":{"image":"example.png"},"class_type":"LoadImage","_meta":{"title":"Load Image"}},
                 "8":{"inputs":{"images":["7",0]},"class_type":"PreviewImage","_meta":{"title":"Preview Image"}}}
                """, "expected");
    }

    @Test
    void schema04() {
        Workflow w = codec.readUi(WORKFLOW, "ui.json", Fixtures.schema());
        assertEquals(WorkflowFormat.UI_JSON, w.source());
        assertEquals(expected(), w.prompt());
        assertEquals(List.of("1", "2", "5", "7", "8"), w.prompt().ids());
        assertTrue(new SchemaValidator().validate(w.prompt(), Fixtures.schema()).valid());
        assertEquals(UiWorkflow.parse(WORKFLOW, "x"), w.uiForm().orElseThrow());
    }

    @Test
    void schema1LinksAsObjects() {
        JsonObject json = ComfyJson.parseObject(WORKFLOW, "x");
        JsonArray objects = new JsonArray();
        for (JsonElement l : json.getAsJsonArray("links")) {
            JsonArray a = l.getAsJsonArray();
            JsonObject o = new JsonObject();
            String[] keys = { "id", "origin_id", "origin_slot", "target_id", "target_slot", "type" };
            for (int i = 0; i < keys.length; i++) {
                o.add(keys[i], a.get(i));
            }
            objects.add(o);
        }
        json.add("links", objects);
        json.addProperty("version", 1);
        JsonObject state = new JsonObject();
        state.addProperty("lastNodeId", 10);
        state.addProperty("lastLinkId", 11);
        json.add("state", state);
        Workflow w = codec.read(ComfyJson.write(json).getBytes(StandardCharsets.UTF_8), "v1.json", Fixtures.schema());
        assertEquals("1", w.uiForm().orElseThrow().version());
        assertEquals(expected(), w.prompt());
    }

    @Test
    void controlAfterGenerateIsSkippedAndListsAreWrapped() {
        String ui = """
                {"nodes":[{"id":3,"type":"KSampler","mode":0,"inputs":[],"outputs":[],
                  "widgets_values":[156680208700286,"randomize",20,8,"euler","normal",1]},
                 {"id":4,"type":"ImageScale","mode":0,"inputs":[],"outputs":[],"widgets_values":["bilinear",32,48,"center"]},
                 {"id":5,"type":"KSamplerAdvanced","mode":0,"inputs":[],"outputs":[],
                  "widgets_values":["enable",7,"fixed",30,6.5,"euler","karras",0,10000,"disable"]}],
                 "links":[],"version":0.4}
                """;
        PromptGraph p = codec.readUi(ui, "k.json", Fixtures.schema()).prompt();
        assertEquals(ComfyJson.parseObject("{\"seed\":156680208700286,\"steps\":20,\"cfg\":8,\"sampler_name\":\"euler\","
                + "\"scheduler\":\"normal\",\"denoise\":1}", "x"), p.node("3").orElseThrow().inputs());
        assertEquals(ComfyJson.parseObject("{\"upscale_method\":\"bilinear\",\"width\":32,\"height\":48,\"crop\":\"center\"}", "x"),
                p.node("4").orElseThrow().inputs());
        JsonObject adv = p.node("5").orElseThrow().inputs();
        assertEquals(7, adv.get("noise_seed").getAsInt());
        assertEquals(30, adv.get("steps").getAsInt());
        assertEquals("disable", adv.get("return_with_leftover_noise").getAsString());
    }

    /**
     * Each hidden control value is kept for the input it drives, with the bounds the frontend's widget has (the
     * captured schema's seeds go up to 2^64-1, the frontend to 2^50); a seed fed by a link has the link's value and
     * no control of its own; a PrimitiveNode's control drives every input it feeds; inside a subgraph the control
     * names the execution id; API JSON has none.
     */
    @Test
    void controlAfterGenerateIsKeptForTheInputsItDrives() {
        String ui = """
                {"nodes":[{"id":3,"type":"KSampler","mode":0,"inputs":[],"outputs":[],
                  "widgets_values":[156680208700286,"randomize",20,8,"euler","normal",1]},
                 {"id":5,"type":"KSamplerAdvanced","mode":0,"inputs":[],"outputs":[],
                  "widgets_values":["enable",7,"increment",30,6.5,"euler","karras",0,10000,"disable"]},
                 {"id":6,"type":"ImageAddNoise","mode":0,"inputs":[{"name":"seed","type":"INT","widget":{"name":"seed"},"link":1}],
                  "outputs":[],"widgets_values":[5,"decrement",0.5]},
                 {"id":7,"type":"ImageAddNoise","mode":0,"inputs":[{"name":"seed","type":"INT","widget":{"name":"seed"},"link":2}],
                  "outputs":[],"widgets_values":[5,"fixed",0.5]},
                 {"id":8,"type":"PrimitiveNode","mode":0,"inputs":[],
                  "outputs":[{"name":"INT","type":"INT","widget":{"name":"seed"},"links":[1,2]}],"widgets_values":[99,"decrement"]},
                 {"id":9,"type":"RandomNoise","mode":2,"inputs":[],"outputs":[],"widgets_values":[1,"randomize"]}],
                 "links":[[1,8,0,6,1,"INT"],[2,8,0,7,1,"INT"]],"version":0.4}
                """;
        Workflow w = codec.readUi(ui, "k.json", Fixtures.schema());
        long max = ValueControl.FRONTEND_MAX;
        assertEquals(List.of(
                new ValueControl(List.of(new Target("3", "seed")), Mode.RANDOMIZE, 0, max, 1),
                new ValueControl(List.of(new Target("5", "noise_seed")), Mode.INCREMENT, 0, max, 1),
                new ValueControl(List.of(new Target("6", "seed"), new Target("7", "seed")), Mode.DECREMENT, 0, max, 1)),
                w.controls());
        assertEquals(99, w.prompt().node("7").orElseThrow().inputs().get("seed").getAsInt());
        assertEquals(98, w.promptForRun(1, new java.util.SplittableRandom(1)).node("7").orElseThrow().inputs().get("seed").getAsInt());

        // the primitive of WORKFLOW drives EmptyImage's width ("fixed"), with that input's bounds
        assertEquals(List.of(new ValueControl(List.of(new Target("1", "width")), Mode.FIXED, 1, 16384, 1)),
                codec.readUi(WORKFLOW, "ui.json", Fixtures.schema()).controls());
        assertEquals(List.of(new ValueControl(List.of(new Target("5:2", "seed")), Mode.RANDOMIZE, 0, max, 1)),
                codec.readUi(SUBGRAPH.replace("{\"id\":2,\"type\":\"ImageBlur\"", "{\"id\":2,\"type\":\"ImageAddNoise\"")
                        .replace("\"widgets_values\":[3,1.5]", "\"widgets_values\":[3,\"randomize\",0.5]"), "sub.json",
                        Fixtures.schema()).controls());
        assertEquals(List.of(), codec.readApi(codec.writeApi(w), "api.json").controls());
    }

    /**
     * A graph without its UI form gets the controls the frontend gives a loaded API graph: randomize on each seed
     * whose value is a number; none on a seed fed by a link, on other inputs, or on a node class the server lacks.
     */
    @Test
    void anApiGraphGetsTheFrontendsDefaultControlOnItsSeeds() {
        String api = """
                {"3":{"class_type":"KSampler","inputs":{"seed":42,"steps":20,"cfg":8,"sampler_name":"euler",
                  "scheduler":"normal","denoise":1,"model":["4",0],"positive":["6",0],"negative":["7",0],
                  "latent_image":["5",0]}},
                 "8":{"class_type":"ImageAddNoise","inputs":{"seed":["9",0],"strength":0.5,"image":["10",0]}},
                 "11":{"class_type":"KSamplerAdvanced","inputs":{"add_noise":"enable","noise_seed":7,"steps":30,
                  "cfg":6.5,"sampler_name":"euler","scheduler":"karras","start_at_step":0,"end_at_step":10000,
                  "return_with_leftover_noise":"disable"}},
                 "12":{"class_type":"NotOnThisServer","inputs":{"seed":5}}}
                """;
        PromptGraph graph = PromptGraph.parse(api, "api.json");
        long max = ValueControl.FRONTEND_MAX;
        List<ValueControl> controls = codec.defaultControls(graph, Fixtures.schema());
        assertEquals(List.of(new ValueControl(List.of(new Target("3", "seed")), Mode.RANDOMIZE, 0, max, 1),
                new ValueControl(List.of(new Target("11", "noise_seed")), Mode.RANDOMIZE, 0, max, 1)), controls);
        Workflow runs = new Workflow(graph, null, WorkflowFormat.API_JSON, controls);
        assertEquals(42, runs.promptForRun(0, new java.util.SplittableRandom(3)).node("3").orElseThrow().inputs()
                .get("seed").getAsLong(), "the first run keeps the file's seed");
        assertNotEquals(42, runs.promptForRun(1, new java.util.SplittableRandom(3)).node("3").orElseThrow().inputs()
                .get("seed").getAsLong());
    }

    /**
     * A text-to-image graph as older frontends saved it: the seed's control value as a boolean, SaveImage
     * without widgets_values (its default applies), nodes without an inputs list.
     */
    @Test
    void textToImageAsOlderFrontendsSavedIt() {
        String ui = """
                {"last_node_id":9,"last_link_id":9,"version":0.4,"nodes":[
                  {"id":4,"type":"CheckpointLoaderSimple","mode":0,"outputs":[{"name":"MODEL","type":"MODEL","links":[1]},
                    {"name":"CLIP","type":"CLIP","links":[3,5]},{"name":"VAE","type":"VAE","links":[8]}],
                   "widgets_values":["sd15.safetensors"]},
                  {"id":6,"type":"CLIPTextEncode","mode":0,"inputs":[{"name":"clip","type":"CLIP","link":3}],
                   "outputs":[{"name":"CONDITIONING","type":"CONDITIONING","links":[4]}],"widgets_values":["a lighthouse"]},
                  {"id":7,"type":"CLIPTextEncode","mode":0,"inputs":[{"name":"clip","type":"CLIP","link":5}],
                   "outputs":[{"name":"CONDITIONING","type":"CONDITIONING","links":[6]}],"widgets_values":["blurry"]},
                  {"id":5,"type":"EmptyLatentImage","mode":0,"outputs":[{"name":"LATENT","type":"LATENT","links":[2]}],
                   "widgets_values":[512,768,1]},
                  {"id":3,"type":"KSampler","mode":0,"inputs":[{"name":"model","type":"MODEL","link":1},
                    {"name":"positive","type":"CONDITIONING","link":4},{"name":"negative","type":"CONDITIONING","link":6},
                    {"name":"latent_image","type":"LATENT","link":2}],
                   "outputs":[{"name":"LATENT","type":"LATENT","links":[7]}],"widgets_values":[18446744073709551615,true,25,7.5,"dpmpp_2m","karras",1]},
                  {"id":8,"type":"VAEDecode","mode":0,"inputs":[{"name":"samples","type":"LATENT","link":7},{"name":"vae","type":"VAE","link":8}],
                   "outputs":[{"name":"IMAGE","type":"IMAGE","links":[9]}]},
                  {"id":9,"type":"SaveImage","mode":0,"inputs":[{"name":"images","type":"IMAGE","link":9}]}],
                 "links":[[1,4,0,3,0,"MODEL"],[2,5,0,3,3,"LATENT"],[3,4,1,6,0,"CLIP"],[4,6,0,3,1,"CONDITIONING"],
                  [5,4,1,7,0,"CLIP"],[6,7,0,3,2,"CONDITIONING"],[7,3,0,8,0,"LATENT"],[8,4,2,8,1,"VAE"],[9,8,0,9,0,"IMAGE"]]}
                """;
        PromptGraph p = codec.readUi(ui, "t2i.json", Fixtures.schema()).prompt();
        assertEquals(ComfyJson.parseObject("""
                {"seed":18446744073709551615,"steps":25,"cfg":7.5,"sampler_name":"dpmpp_2m","scheduler":"karras","denoise":1,
                 "model":["4",0],"positive":["6",0],"negative":["7",0],"latent_image":["5",0]}""", "x"),
                p.node("3").orElseThrow().inputs());
        assertEquals("18446744073709551615", p.node("3").orElseThrow().inputs().get("seed").toString());
        assertEquals("ComfyUI", p.node("9").orElseThrow().inputs().get("filename_prefix").getAsString());
        // the old "randomize" toggle, on
        assertEquals(List.of(new ValueControl(List.of(new Target("3", "seed")), Mode.RANDOMIZE, 0, ValueControl.FRONTEND_MAX, 1)),
                codec.readUi(ui, "t2i.json", Fixtures.schema()).controls());
        assertEquals("[\"4\",2]", p.node("8").orElseThrow().inputs().get("vae").toString());
        // the captured server has no checkpoints: the only finding is the one the server would give
        List<Finding> findings = new SchemaValidator().validate(p, Fixtures.schema()).findings();
        assertEquals(1, findings.size(), findings.toString());
        assertEquals("4", findings.get(0).nodeId());
        assertEquals("ckpt_name", findings.get(0).inputName());
        assertEquals("value_not_in_list", findings.get(0).type());
        assertEquals("ckpt_name: 'sd15.safetensors' not in []", findings.get(0).details());
    }

    @Test
    void aMisalignedWidgetNamesTheNodeAndTheWidget() {
        String ui = """
                {"nodes":[{"id":3,"type":"KSampler","mode":0,"inputs":[],"outputs":[],
                  "widgets_values":[1,2,"twenty",8,"euler","normal",1]}],"links":[],"version":0.4}
                """;
        WorkflowException e = assertThrows(WorkflowException.class, () -> codec.readUi(ui, "bad.json", Fixtures.schema()));
        assertEquals(Kind.CONVERSION, e.kind());
        assertEquals("3", e.nodeId().orElseThrow());
        assertEquals("steps", e.widget().orElseThrow());
        assertTrue(e.getMessage().startsWith("bad.json: node 3 (KSampler): widget steps holds \"twenty\""), e.getMessage());
    }

    @Test
    void missingNodeClassesAreNamed() {
        String ui = WORKFLOW.replace("\"type\":\"ImageInvert\"", "\"type\":\"FancyInvert\"")
                .replace("\"type\":\"LoadImage\"", "\"type\":\"LoadImageFromUrl\"");
        WorkflowException e = assertThrows(WorkflowException.class, () -> codec.readUi(ui, "custom.json", Fixtures.schema()));
        assertEquals(Kind.MISSING_NODE_TYPES, e.kind());
        assertEquals(List.of("FancyInvert", "LoadImageFromUrl"), e.names());
        assertTrue(e.getMessage().contains("FancyInvert (node 2)") && e.getMessage().contains("LoadImageFromUrl (node 7)"),
                e.getMessage());
    }

    /** KJNodes' Set/Get pair: a named wire, resolved like a reroute. */
    static final String GET_SET = """
            {"nodes":[
              {"id":1,"type":"EmptyImage","mode":0,"inputs":[],"outputs":[{"name":"IMAGE","type":"IMAGE","links":[1]}],
               "widgets_values":[64,64,1,0]},
              {"id":2,"type":"SetNode","mode":0,"inputs":[{"name":"IMAGE","type":"IMAGE","link":1}],"outputs":[],
               "widgets_values":["img"]},
              {"id":3,"type":"GetNode","mode":0,"inputs":[],"outputs":[{"name":"IMAGE","type":"IMAGE","links":[2]}],
               "widgets_values":["img"]},
              {"id":4,"type":"SaveImage","mode":0,"inputs":[{"name":"images","type":"IMAGE","link":2}],"outputs":[],
               "widgets_values":["gs"]}],
             "links":[[1,1,0,2,0,"IMAGE"],[2,3,0,4,0,"IMAGE"]],"version":0.4}
            """;

    @Test
    void getAndSetNodesAreNamedWires() {
        PromptGraph p = codec.readUi(GET_SET, "getset.json", Fixtures.schema()).prompt();
        assertEquals(List.of("1", "4"), p.ids());
        assertEquals("[\"1\",0]", p.node("4").orElseThrow().inputs().get("images").toString());
    }

    @Test
    void groupNodesAreNamed() {
        String ui = """
                {"nodes":[{"id":2,"type":"workflow>Upscale group","mode":0,"inputs":[],"outputs":[]}],
                 "links":[],"version":0.4}
                """;
        WorkflowException e = assertThrows(WorkflowException.class, () -> codec.readUi(ui, "group.json", Fixtures.schema()));
        assertEquals(Kind.UNSUPPORTED, e.kind());
        assertEquals(List.of("workflow>Upscale group"), e.names());
        assertTrue(e.getMessage().contains("node 2"), e.getMessage());
    }

    /** EmptyImage → subgraph instance 5 (ImageInvert → ImageBlur, and inside it instance 7 of another subgraph) → SaveImage. */
    static final String SUBGRAPH = """
            {"version":1,"state":{"lastNodeId":6,"lastLinkId":2},
             "nodes":[
              {"id":1,"type":"EmptyImage","mode":0,"inputs":[],"outputs":[{"name":"IMAGE","type":"IMAGE","links":[1]}],
               "widgets_values":[64,64,1,0]},
              {"id":5,"type":"11111111-0000-4000-8000-00000000000a","mode":0,
               "inputs":[{"name":"image","type":"IMAGE","link":1}],
               "outputs":[{"name":"IMAGE","type":"IMAGE","links":[2]}],"properties":{"proxyWidgets":[]}},
              {"id":6,"type":"SaveImage","mode":0,"inputs":[{"name":"images","type":"IMAGE","link":2}],"outputs":[],
               "widgets_values":["sub"]}],
             "links":[{"id":1,"origin_id":1,"origin_slot":0,"target_id":5,"target_slot":0,"type":"IMAGE"},
                      {"id":2,"origin_id":5,"origin_slot":0,"target_id":6,"target_slot":0,"type":"IMAGE"}],
             "definitions":{"subgraphs":[
              {"id":"11111111-0000-4000-8000-00000000000a","name":"Invert and blur","version":1,
               "inputNode":{"id":-10,"bounding":[0,0,100,100]},"outputNode":{"id":-20,"bounding":[500,0,100,100]},
               "inputs":[{"id":"a","name":"image","type":"IMAGE","linkIds":[101]}],
               "outputs":[{"id":"b","name":"IMAGE","type":"IMAGE","linkIds":[104]}],"widgets":[],
               "nodes":[
                {"id":1,"type":"ImageInvert","mode":0,"inputs":[{"name":"image","type":"IMAGE","link":101}],
                 "outputs":[{"name":"IMAGE","type":"IMAGE","links":[102]}]},
                {"id":2,"type":"ImageBlur","mode":0,"inputs":[{"name":"image","type":"IMAGE","link":102}],
                 "outputs":[{"name":"IMAGE","type":"IMAGE","links":[103]}],"widgets_values":[3,1.5]},
                {"id":7,"type":"22222222-0000-4000-8000-00000000000b","mode":0,
                 "inputs":[{"name":"image","type":"IMAGE","link":103}],"outputs":[{"name":"IMAGE","type":"IMAGE","links":[104]}]}],
               "links":[{"id":101,"origin_id":-10,"origin_slot":0,"target_id":1,"target_slot":0,"type":"IMAGE"},
                        {"id":102,"origin_id":1,"origin_slot":0,"target_id":2,"target_slot":0,"type":"IMAGE"},
                        {"id":103,"origin_id":2,"origin_slot":0,"target_id":7,"target_slot":0,"type":"IMAGE"},
                        {"id":104,"origin_id":7,"origin_slot":0,"target_id":-20,"target_slot":0,"type":"IMAGE"}]},
              {"id":"22222222-0000-4000-8000-00000000000b","name":"Just invert","version":1,
               "inputs":[{"id":"c","name":"image","type":"IMAGE","linkIds":[201]}],
               "outputs":[{"id":"d","name":"IMAGE","type":"IMAGE","linkIds":[202]}],
               "nodes":[{"id":3,"type":"ImageInvert","mode":0,"inputs":[{"name":"image","type":"IMAGE","link":201}],
                 "outputs":[{"name":"IMAGE","type":"IMAGE","links":[202]}]}],
               "links":[{"id":201,"origin_id":-10,"origin_slot":0,"target_id":3,"target_slot":0,"type":"IMAGE"},
                        {"id":202,"origin_id":3,"origin_slot":0,"target_id":-20,"target_slot":0,"type":"IMAGE"}]}]}}
            """;

    @Test
    void subgraphsAreExpandedUnderExecutionIds() {
        PromptGraph p = codec.readUi(SUBGRAPH, "sub.json", Fixtures.schema()).prompt();
        assertEquals(List.of("1", "5:1", "5:2", "5:7:3", "6"), p.ids());
        assertEquals("[\"1\",0]", p.node("5:1").orElseThrow().inputs().get("image").toString());
        assertEquals("[\"5:1\",0]", p.node("5:2").orElseThrow().inputs().get("image").toString());
        assertEquals(3, p.node("5:2").orElseThrow().inputs().get("blur_radius").getAsInt());
        assertEquals("[\"5:2\",0]", p.node("5:7:3").orElseThrow().inputs().get("image").toString());
        assertEquals("[\"5:7:3\",0]", p.node("6").orElseThrow().inputs().get("images").toString());
        assertTrue(new SchemaValidator().validate(p, Fixtures.schema()).valid());
        WorkflowException e = assertThrows(WorkflowException.class, () -> codec.readUi(
                SUBGRAPH.replace("\"type\":\"ImageBlur\"", "\"type\":\"FancyBlur\""), "sub.json", Fixtures.schema()));
        assertEquals(Kind.MISSING_NODE_TYPES, e.kind());
        assertEquals(List.of("FancyBlur"), e.names());
        assertTrue(e.getMessage().contains("FancyBlur (node 5:2)"), e.getMessage());
    }

    @Test
    void exportBothForms() {
        Workflow w = codec.readUi(WORKFLOW, "ui.json", Fixtures.schema());
        assertEquals(w.prompt(), codec.readApi(codec.writeApi(w), "api.json").prompt());
        String ui = codec.writeUi(w).orElseThrow();
        assertEquals(w.uiForm().orElseThrow(), UiWorkflow.parse(ui, "again"));
        assertTrue(codec.writeApi(w).contains("\n  \"1\": {"), codec.writeApi(w));
        Workflow api = codec.readApi(codec.writeApi(w), "api.json");
        assertTrue(codec.writeUi(api).isEmpty());
    }
}
