package comfy.workbench.model.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * Why the server refused (HTTP 400) or partly refused (HTTP 200 with {@code node_errors}) a prompt:
 * {@code {error, node_errors}}.
 *
 * @param error      the top-level error; {@code null} when the prompt was accepted with node errors
 * @param nodeErrors the per-node errors, by node id, in the server's order
 */
public record PromptValidationFailure(PromptError error, Map<String, NodeError> nodeErrors) {

    public PromptValidationFailure {
        nodeErrors = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(nodeErrors, "nodeErrors")));
    }

    /**
     * Reads the body text of a {@code POST /prompt} response: the {@code {error, node_errors}} of a 400,
     * or the {@code {prompt_id, number, node_errors}} of a 200 that dropped some outputs (then
     * {@link #error()} is {@code null}).
     *
     * @param body the response body
     * @param what names the response in error messages
     * @throws ComfyJsonException if the body is not JSON (a proxy's or a crashed server's text page) or
     *                            not a JSON object
     */
    public static PromptValidationFailure parse(String body, String what) {
        return fromJson(ComfyJson.parseObject(body, what), what);
    }

    /** Whether the server refused the whole prompt (a top-level {@link #error()}), not just some nodes. */
    public boolean rejected() {
        return error != null;
    }

    /** Reads a {@code POST /prompt} error body, or the {@code node_errors} of an accepted one. */
    public static PromptValidationFailure fromJson(JsonElement json, String what) {
        if (json == null || !json.isJsonObject()) {
            throw new ComfyJsonException(what + ": expected {error, node_errors} but found " + ComfyJson.kind(json));
        }
        JsonObject o = json.getAsJsonObject();
        JsonElement error = o.get("error");
        PromptError top = null;
        if (error != null && error.isJsonObject()) {
            top = PromptError.fromJson(error, what + ": error");
        } else if (error != null && error.isJsonPrimitive()) {
            // some servers and proxies answer {"error": "text"}
            top = new PromptError("error", error.getAsString(), "", null);
        }
        return new PromptValidationFailure(top, NodeError.mapFromJson(o.get("node_errors"), what));
    }

    /** One line per problem: the top error, then node id, class, input and message of each node error. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        if (error != null) {
            b.append(error.message());
            if (!error.details().isEmpty()) {
                b.append(": ").append(error.details());
            }
        }
        for (NodeError node : nodeErrors.values()) {
            for (PromptError e : node.errors()) {
                if (b.length() > 0) {
                    b.append('\n');
                }
                b.append("node ").append(node.nodeId()).append(" (").append(node.classType()).append(')');
                e.inputName().ifPresent(n -> b.append(" input ").append(n));
                b.append(": ").append(e.message());
                if (!e.details().isEmpty()) {
                    b.append(" - ").append(e.details());
                }
            }
        }
        return b.toString();
    }
}
