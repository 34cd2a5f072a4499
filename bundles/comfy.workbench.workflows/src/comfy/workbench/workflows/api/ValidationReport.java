package comfy.workbench.workflows.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import comfy.workbench.model.api.NodeError;
import comfy.workbench.model.api.PromptError;
import comfy.workbench.model.api.PromptValidationFailure;

/**
 * The outcome of a client-side validation, in the shape of the server's answer to {@code POST /prompt}.
 *
 * @param error        the top-level error the server would answer with HTTP 400, or {@code null} when
 *                     at least one output would run
 * @param nodeErrors   the per-node errors, by node id; each lists the outputs it would drop
 * @param validOutputs the output nodes that would run, in graph order
 */
public record ValidationReport(PromptError error, Map<String, NodeError> nodeErrors, List<String> validOutputs) {

    /** The {@code extra_info} key under which an {@code invalid_prompt} lists every unknown class, not only the first. */
    public static final String MISSING_NODE_TYPES = "missing_node_types";

    public ValidationReport {
        nodeErrors = Collections.unmodifiableMap(new LinkedHashMap<>(nodeErrors));
        validOutputs = List.copyOf(validOutputs);
    }

    /** Whether nothing is wrong: the server would run every output. */
    public boolean valid() {
        return error == null && nodeErrors.isEmpty();
    }

    /** Whether the server would queue the prompt (perhaps dropping some outputs). */
    public boolean accepted() {
        return error == null;
    }

    /** The same result as the server's failure value; empty when {@link #valid()}. */
    public Optional<PromptValidationFailure> toFailure() {
        return valid() ? Optional.empty() : Optional.of(new PromptValidationFailure(error, nodeErrors));
    }

    /**
     * Every problem as one flat list: the unknown classes of an {@code invalid_prompt} one by one (type
     * {@code missing_node_type}, as newer servers report them), other top-level errors, then each node's errors.
     */
    public List<Finding> findings() {
        List<Finding> result = new ArrayList<>();
        if (error != null) {
            JsonElement missing = error.extraInfo().get(MISSING_NODE_TYPES);
            if (missing != null && missing.isJsonArray() && !missing.getAsJsonArray().isEmpty()) {
                for (JsonElement m : missing.getAsJsonArray()) {
                    JsonObject o = m.getAsJsonObject();
                    String classType = o.get("class_type").getAsString();
                    result.add(new Finding(o.get("node_id").getAsString(), classType, "", "missing_node_type",
                            "Node type not found: " + classType, error.details()));
                }
            } else if (nodeErrors.isEmpty()) {
                result.add(new Finding("", "", "", error.type(), error.message(), error.details()));
            }
        }
        for (NodeError node : nodeErrors.values()) {
            for (PromptError e : node.errors()) {
                result.add(new Finding(node.nodeId(), node.classType(), e.inputName().orElse(""), e.type(), e.message(),
                        e.details()));
            }
        }
        return result;
    }

    /** One line per finding. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        for (Finding f : findings()) {
            if (b.length() > 0) {
                b.append('\n');
            }
            b.append(f);
        }
        return b.toString();
    }
}
