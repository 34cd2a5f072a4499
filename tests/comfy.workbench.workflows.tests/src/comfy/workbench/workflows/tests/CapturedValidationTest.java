package comfy.workbench.workflows.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.google.gson.JsonObject;

import comfy.workbench.model.api.NodeError;
import comfy.workbench.model.api.PromptError;
import comfy.workbench.model.api.PromptValidationFailure;
import comfy.workbench.testing.captures.Captures;
import comfy.workbench.workflows.api.ValidationReport;
import comfy.workbench.workflows.internal.SchemaValidator;

/**
 * Every prompt the genuine server answered in {@code 08_prompt_validation_errors.jsonl}, validated client-side:
 * the same top-level error type and, per node, the same error types on the same inputs and the same dropped
 * outputs. The server iterates Python sets (outputs, inputs), so order is compared as sets.
 */
class CapturedValidationTest {

    static Stream<Arguments> cases() {
        List<Arguments> result = new ArrayList<>();
        String name = null;
        JsonObject request = null;
        for (JsonObject record : Captures.locate().records("08_prompt_validation_errors.jsonl")) {
            String kind = record.get("kind").getAsString();
            if (kind.equals("note") && record.get("text").getAsString().startsWith("case: ")) {
                name = record.get("text").getAsString().substring(6);
            } else if (kind.equals("http_request") && record.get("path").getAsString().equals("/prompt")) {
                request = record;
            } else if (kind.equals("http_response") && record.get("path").getAsString().equals("/prompt")
                    && request != null) {
                JsonObject body = request.has("body") && request.get("body").isJsonObject()
                        ? request.getAsJsonObject("body") : null;
                // the prompt-less and non-JSON bodies are refused before validation starts
                if (body != null && body.has("prompt") && record.has("body")) {
                    result.add(Arguments.of(name, body.getAsJsonObject("prompt"), record.get("status").getAsInt(),
                            record.get("body_raw").getAsString()));
                }
                request = null;
            }
        }
        assertEquals(15, result.size(), "cases with a prompt in the transcript");
        return result.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void sameErrorsAsTheServer(String name, JsonObject prompt, int status, String responseBody) {
        PromptValidationFailure server = PromptValidationFailure.parse(responseBody, name);
        ValidationReport client = new SchemaValidator().validate(prompt, Fixtures.schema());

        assertEquals(status == 200, client.accepted(), client.describe());
        if (server.error() == null) {
            assertNull(client.error());
        } else {
            assertEquals(server.error().type(), client.error().type(), client.describe());
            if (server.error().type().equals("invalid_prompt") || server.error().type().equals("prompt_no_outputs")) {
                assertEquals(server.error().message(), client.error().message());
                assertEquals(server.error().details(), client.error().details());
            }
        }
        assertEquals(summary(server.nodeErrors()), summary(client.nodeErrors()), client.describe());
        PromptValidationFailure converted = client.toFailure().orElseThrow();
        assertEquals(summary(server.nodeErrors()), summary(converted.nodeErrors()));
        assertFalse(client.findings().isEmpty());
    }

    /** node id → sorted "type@input" list and the set of dependent outputs. */
    private static Map<String, String> summary(Map<String, NodeError> errors) {
        Map<String, String> result = new TreeMap<>();
        for (NodeError node : errors.values()) {
            List<String> items = new ArrayList<>();
            for (PromptError e : node.errors()) {
                items.add(e.type() + "@" + e.inputName().orElse("") + (e.type().startsWith("value_") ? "=" + e.message() + "|" + e.details() : ""));
            }
            items.sort(null);
            result.put(node.nodeId(), node.classType() + " " + items + " -> " + new java.util.TreeSet<>(node.dependentOutputs()));
        }
        return result;
    }

}
