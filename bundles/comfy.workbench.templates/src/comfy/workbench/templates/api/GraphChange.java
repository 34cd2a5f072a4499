package comfy.workbench.templates.api;

import java.util.Objects;

import com.google.gson.JsonElement;

/**
 * One input a template instance changes against its base workflow.
 *
 * @param nodeId    the node
 * @param classType its class
 * @param input     the input
 * @param before    the base workflow's value ({@code JsonNull} when the input was absent)
 * @param after     the instance's value
 */
public record GraphChange(String nodeId, String classType, String input, JsonElement before, JsonElement after) {

    public GraphChange {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(input, "input");
        before = before.deepCopy();
        after = after.deepCopy();
    }

    @Override
    public JsonElement before() {
        return before.deepCopy();
    }

    @Override
    public JsonElement after() {
        return after.deepCopy();
    }

    @Override
    public String toString() {
        return nodeId + " (" + classType + ")." + input + ": " + before + " → " + after;
    }
}
