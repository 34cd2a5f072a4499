package comfy.workbench.model.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonObject;

import comfy.workbench.model.api.ComfyJson;
import comfy.workbench.model.api.ComfyJsonException;
import comfy.workbench.model.api.NodeError;
import comfy.workbench.model.api.PromptError;
import comfy.workbench.model.api.PromptValidationFailure;
import comfy.workbench.testing.captures.Captures;

/** Every {@code POST /prompt} response of the genuine validation-error transcript, decoded. */
class PromptValidationFailureTest {

    private static final String TRANSCRIPT = "08_prompt_validation_errors.jsonl";

    /** The case name (from the preceding note) → the response record. */
    private static final Map<String, JsonObject> RESPONSES = new LinkedHashMap<>();

    @BeforeAll
    static void readTranscript() {
        String caseName = null;
        for (JsonObject record : Captures.locate().records(TRANSCRIPT)) {
            String kind = record.get("kind").getAsString();
            if (kind.equals("note") && record.get("text").getAsString().startsWith("case: ")) {
                caseName = record.get("text").getAsString().substring("case: ".length());
            } else if (kind.equals("http_response") && record.get("method").getAsString().equals("POST")
                    && record.get("path").getAsString().equals("/prompt")) {
                RESPONSES.put(caseName, record);
            }
        }
    }

    private static PromptValidationFailure decode(String caseStart) {
        for (Map.Entry<String, JsonObject> e : RESPONSES.entrySet()) {
            if (e.getKey().startsWith(caseStart)) {
                return PromptValidationFailure.parse(e.getValue().get("body_raw").getAsString(), e.getKey());
            }
        }
        throw new AssertionError("no case " + caseStart + " in " + RESPONSES.keySet());
    }

    private static PromptError onlyError(PromptValidationFailure failure, String nodeId) {
        NodeError node = failure.nodeErrors().get(nodeId);
        assertEquals(1, node.errors().size(), node.toString());
        return node.errors().get(0);
    }

    @Test
    void everyJsonResponseDecodesAndWritesBackAsTheServerWroteIt() {
        assertEquals(17, RESPONSES.size());
        int decoded = 0;
        for (Map.Entry<String, JsonObject> e : RESPONSES.entrySet()) {
            JsonObject response = e.getValue();
            int status = response.get("status").getAsInt();
            if (!response.has("body_raw")) {
                continue;
            }
            PromptValidationFailure failure = PromptValidationFailure.parse(response.get("body_raw").getAsString(), e.getKey());
            JsonObject body = response.getAsJsonObject("body");
            assertEquals(status == 400, failure.rejected(), e.getKey());
            if (failure.rejected()) {
                assertEquals(body.get("error"), failure.error().toJson(), e.getKey());
            }
            JsonObject nodeErrors = new JsonObject();
            failure.nodeErrors().forEach((id, node) -> nodeErrors.add(id, node.toJson()));
            assertEquals(body.get("node_errors"), nodeErrors, e.getKey());
            assertFalse(failure.describe().isEmpty(), e.getKey());
            decoded++;
        }
        assertEquals(16, decoded);
    }

    @Test
    void requiredInputMissing() {
        PromptValidationFailure f = decode("required_input_missing");
        assertEquals("prompt_outputs_failed_validation", f.error().type());
        assertEquals("Prompt outputs failed validation", f.error().message());
        NodeError node = f.nodeErrors().get("2");
        assertEquals("ImageInvert", node.classType());
        assertEquals(List.of("3"), node.dependentOutputs());
        PromptError e = onlyError(f, "2");
        assertEquals("required_input_missing", e.type());
        assertEquals("image", e.inputName().orElseThrow());
        assertEquals("image", e.details());
        assertEquals("Prompt outputs failed validation\nnode 2 (ImageInvert) input image: Required input is missing - image",
                f.describe());
    }

    @Test
    void unknownAndMissingClassTypeAreTopLevelOnly() {
        PromptValidationFailure unknown = decode("unknown class_type");
        assertEquals("invalid_prompt", unknown.error().type());
        assertEquals("Cannot execute because node NoSuchNodeType does not exist.", unknown.error().message());
        assertEquals("Node ID '#2'", unknown.error().details());
        assertTrue(unknown.nodeErrors().isEmpty());
        assertEquals("Cannot execute because a node is missing the class_type property.",
                decode("missing class_type").error().message());
    }

    @Test
    void badLinksCarryTheExceptionAndTheLinkedNode() {
        PromptError e = onlyError(decode("link to a node id"), "2");
        assertEquals("exception_during_inner_validation", e.type());
        assertEquals("images", e.inputName().orElseThrow());
        assertEquals("KeyError", e.extraInfo().get("exception_type").getAsString());
        assertEquals("[\"2\",0]", ComfyJson.write(e.extraInfo().get("linked_node")));
        assertEquals("IndexError", onlyError(decode("link to an output slot"), "2").extraInfo().get("exception_type").getAsString());

        PromptError mismatch = onlyError(decode("link type mismatch"), "2");
        assertEquals("return_type_mismatch", mismatch.type());
        assertEquals("LATENT", mismatch.extraInfo().get("received_type").getAsString());
        assertEquals("image, received_type(LATENT) mismatch input_type(IMAGE)", mismatch.details());
    }

    @Test
    void valueErrorsEchoTheReceivedValueAndTheInputConfig() {
        PromptError min = onlyError(decode("value smaller than min"), "1");
        assertEquals("value_smaller_than_min", min.type());
        assertEquals("width", min.inputName().orElseThrow());
        assertEquals(0, min.receivedValue().orElseThrow().getAsInt());
        assertEquals("[\"INT\",{\"default\":512,\"min\":1,\"max\":16384,\"step\":1}]",
                ComfyJson.write(min.extraInfo().get("input_config")));
        assertEquals(99999, onlyError(decode("value bigger than max"), "1").receivedValue().orElseThrow().getAsInt());

        PromptError notInt = onlyError(decode("value not convertible"), "1");
        assertEquals("invalid_input_type", notInt.type());
        assertEquals("abc", notInt.receivedValue().orElseThrow().getAsString());

        PromptValidationFailure combo = decode("value not in combo list");
        assertEquals("ImageScale", combo.nodeErrors().get("7").classType());
        PromptError notInList = onlyError(combo, "7");
        assertEquals("value_not_in_list", notInList.type());
        assertEquals("upscale_method", notInList.inputName().orElseThrow());
        assertEquals("nope", notInList.receivedValue().orElseThrow().getAsString());

        PromptError loadImage = onlyError(decode("LoadImage with a file"), "1");
        assertEquals("custom_validation_failed", loadImage.type());
        assertEquals("image - Invalid image file: does_not_exist.png", loadImage.details());
        assertEquals(List.of("2"), decode("LoadImage with a file").nodeErrors().get("1").dependentOutputs());
    }

    @Test
    void promptLevelErrors() {
        assertEquals("prompt_no_outputs", decode("prompt without any output node").error().type());
        assertEquals("no_prompt", decode("body without 'prompt' key").error().type());
        assertEquals("No prompt provided", decode("body without 'prompt' key").error().details());
        assertEquals("prompt_no_outputs", decode("empty prompt object").error().type());
    }

    @Test
    void severalErrorsOnTwoNodesKeepTheServersOrder() {
        PromptValidationFailure f = decode("several errors at once");
        assertEquals(List.of("1", "7"), new ArrayList<>(f.nodeErrors().keySet()));
        NodeError emptyImage = f.nodeErrors().get("1");
        assertEquals("EmptyImage", emptyImage.classType());
        assertEquals(List.of("3", "8"), emptyImage.dependentOutputs());
        assertEquals(List.of("color", "width"),
                emptyImage.errors().stream().map(e -> e.inputName().orElseThrow()).toList());
        assertEquals(List.of("value_bigger_than_max", "value_smaller_than_min"),
                emptyImage.errors().stream().map(PromptError::type).toList());
        assertEquals(16777216, emptyImage.errors().get(0).receivedValue().orElseThrow().getAsInt());
        assertEquals(List.of("8"), f.nodeErrors().get("7").dependentOutputs());
    }

    @Test
    void acceptedPromptWithNodeErrorsHasNoTopError() {
        PromptValidationFailure f = decode("partially valid prompt");
        assertFalse(f.rejected());
        assertNull(f.error());
        NodeError node = f.nodeErrors().get("9");
        assertEquals("ImageInvert", node.classType());
        assertEquals(List.of("8"), node.dependentOutputs());
        assertEquals("required_input_missing", onlyError(f, "9").type());
        assertEquals("node 9 (ImageInvert) input image: Required input is missing - image", f.describe());
    }

    @Test
    void theServersPlainTextErrorPageIsAClearError() {
        JsonObject response = RESPONSES.get("body that is not JSON");
        assertEquals(500, response.get("status").getAsInt());
        String body = response.get("body_text").getAsString();
        ComfyJsonException e = assertThrows(ComfyJsonException.class,
                () -> PromptValidationFailure.parse(body, "POST /prompt (HTTP 500)"));
        assertEquals("POST /prompt (HTTP 500): malformed JSON at line 1 column 5: unexpected text after the JSON value: "
                + "'Internal Server Error\\n\\nS…'", e.getMessage());
    }

    @Test
    void nonObjectBodiesAndBrokenEntriesAreNamed() {
        assertEquals("r: expected a JSON object but found an array",
                assertThrows(ComfyJsonException.class, () -> PromptValidationFailure.parse("[]", "r")).getMessage());
        assertEquals("r: node_errors.4 is a string, expected an object",
                assertThrows(ComfyJsonException.class,
                        () -> PromptValidationFailure.parse("{\"node_errors\":{\"4\":\"x\"}}", "r")).getMessage());
        assertEquals("r: node_errors.4.dependent_outputs holds an object, expected node ids",
                assertThrows(ComfyJsonException.class, () -> PromptValidationFailure
                        .parse("{\"node_errors\":{\"4\":{\"errors\":[],\"dependent_outputs\":[{}]}}}", "r")).getMessage());
    }
}
