package comfy.workbench.workflows.api;

import java.util.Objects;

import com.google.gson.JsonElement;

/**
 * A new value for one input of a workflow's graph, as {@link WorkflowCodec#withInputs} applies it.
 *
 * @param nodeId the node's id in the API graph
 * @param input  the input's name
 * @param value  the value: a number, text or boolean (a link or a list is not a value one sets by hand)
 */
public record InputEdit(String nodeId, String input, JsonElement value) {

    public InputEdit {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(value, "value");
        if (!value.isJsonPrimitive()) {
            throw new IllegalArgumentException("input " + input + " of node " + nodeId + ": " + value
                    + " is not a number, text or boolean");
        }
        value = value.deepCopy();
    }

    @Override
    public JsonElement value() {
        return value.deepCopy();
    }
}
