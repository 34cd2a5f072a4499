package comfy.workbench.workflows.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import comfy.workbench.workflows.api.WorkflowCodec;
import comfy.workbench.workflows.api.WorkflowException;
import comfy.workbench.workflows.api.WorkflowException.Kind;
import comfy.workbench.workflows.internal.DefaultWorkflowCodec;

/** JSON that is not a workflow, or not the kind asked for: a typed error naming the source and what was wrong. */
class BadInputTest {

    private static final String API = "{\"1\":{\"class_type\":\"EmptyImage\",\"inputs\":{\"width\":64}}}";
    private final WorkflowCodec codec = new DefaultWorkflowCodec();

    private static void expect(Kind kind, Executable call, String... mentions) {
        WorkflowException e = assertThrows(WorkflowException.class, call);
        assertEquals(kind, e.kind(), e.getMessage());
        for (String m : mentions) {
            assertTrue(e.getMessage().contains(m), "\"" + e.getMessage() + "\" should mention " + m);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void corruptJson() {
        expect(Kind.NOT_JSON, () -> codec.read(utf8("{\"1\": {\"class_type\": "), "cut.json", null), "cut.json", "line");
        expect(Kind.NOT_JSON, () -> codec.readApi("{'1': 2}", "single.json"), "single.json");
        expect(Kind.NOT_JSON, () -> codec.readUi("", "empty.json", Fixtures.schema()), "empty.json");
        expect(Kind.NOT_JSON, () -> codec.read(new byte[] { 0x00, 0x01, 0x02 }, "binary.bin", null), "binary.bin");
        WorkflowException once = assertThrows(WorkflowException.class, () -> codec.readApi("{'1': 2}", "single.json"));
        assertEquals(1, once.getMessage().split("single\\.json", -1).length - 1, "the file is named once: " + once.getMessage());
    }

    @Test
    void aUiWorkflowGivenAsApiAndViceVersa() {
        expect(Kind.WRONG_KIND, () -> codec.readApi(UiConversionTest.WORKFLOW, "ui.json"), "ui.json", "UI-format",
                "import it as a UI workflow");
        expect(Kind.WRONG_KIND, () -> codec.readUi(API, "api.json", Fixtures.schema()), "api.json", "API-format prompt");
    }

    @Test
    void anObjectInfoGivenAsAWorkflow() {
        byte[] objectInfo = Fixtures.bytes("object_info.json");
        expect(Kind.WRONG_KIND, () -> codec.read(objectInfo, "object_info.json", Fixtures.schema()), "node schema");
        expect(Kind.WRONG_KIND, () -> codec.readUi(new String(objectInfo, StandardCharsets.UTF_8), "o.json", null),
                "node schema");
    }

    @Test
    void otherJsonOfTheWrongKind() {
        expect(Kind.WRONG_KIND, () -> codec.read(utf8("[1, 2]"), "list.json", null), "an array");
        expect(Kind.WRONG_KIND, () -> codec.read(utf8("{}"), "empty.json", null), "empty object");
        expect(Kind.WRONG_KIND, () -> codec.read(utf8("{\"prompt\": " + API + "}"), "body.json", null), "POST /prompt body");
        expect(Kind.WRONG_KIND, () -> codec.read(utf8("{\"1\": {\"inputs\": {}}}"), "noclass.json", null), "class_type");
        expect(Kind.WRONG_KIND, () -> codec.read(utf8("{\"nodes\": [{\"id\": 1}], \"links\": []}"), "broken-ui.json",
                Fixtures.schema()), "nodes[0]");
    }

    @Test
    void aUiWorkflowWithoutASchema() {
        expect(Kind.CONVERSION, () -> codec.readUi(UiConversionTest.WORKFLOW, "ui.json", null), "node schema");
    }

    @Test
    void pythonJsonIsNotCorrupt() {
        String nan = "{\"1\":{\"class_type\":\"ImageBlur\",\"inputs\":{\"sigma\":NaN,\"blur_radius\":1,\"image\":[\"2\",0]}}}";
        assertEquals("NaN", codec.readApi(nan, "nan.json").prompt().node("1").orElseThrow().inputs().get("sigma").toString());
        assertTrue(codec.writeApi(codec.readApi(nan, "nan.json")).contains("NaN"));
    }
}
