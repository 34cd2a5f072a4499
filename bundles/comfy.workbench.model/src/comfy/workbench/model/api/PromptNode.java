package comfy.workbench.model.api;

import java.util.Objects;
import java.util.Optional;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * One node of an API-format prompt graph: its id, {@code class_type}, {@code inputs} and optional
 * {@code _meta.title}. Input values are literals, links {@code [node_id, slot]} or
 * {@code {"__value__": [...]}} wrapped lists, exactly as in the JSON.
 *
 * @param id        the node id (a string; subgraph-expanded ids look like {@code "12:5"})
 * @param classType the node class, a key of {@code /object_info}
 * @param inputs    the inputs object (a private copy; the accessor returns a copy too)
 * @param title     the {@code _meta.title}, or {@code null}
 */
public record PromptNode(String id, String classType, JsonObject inputs, String title) {

    public PromptNode {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(classType, "classType");
        inputs = inputs == null ? new JsonObject() : inputs.deepCopy();
    }

    @Override
    public JsonObject inputs() {
        return inputs.deepCopy();
    }

    /** The raw value of one input, if present. */
    public Optional<JsonElement> input(String name) {
        JsonElement value = inputs.get(name);
        return value == null ? Optional.empty() : Optional.of(value.deepCopy());
    }

    /** The link an input holds, if its value is a {@code [node_id, slot]} pair. */
    public Optional<Link> link(String name) {
        return Link.of(inputs.get(name));
    }

    /** A link from an input to output {@code slot} of node {@code nodeId}. */
    public record Link(String nodeId, int slot) {
        /** Reads {@code [node_id, slot]}; anything else (literal, wrapped list) is not a link. */
        public static Optional<Link> of(JsonElement value) {
            if (value == null || !value.isJsonArray() || value.getAsJsonArray().size() != 2) {
                return Optional.empty();
            }
            JsonElement node = value.getAsJsonArray().get(0);
            JsonElement slot = value.getAsJsonArray().get(1);
            if (!node.isJsonPrimitive() || !slot.isJsonPrimitive() || !slot.getAsJsonPrimitive().isNumber()) {
                return Optional.empty();
            }
            if (!node.getAsJsonPrimitive().isString() && !node.getAsJsonPrimitive().isNumber()) {
                return Optional.empty();
            }
            double s = slot.getAsDouble();
            if (s != Math.rint(s) || s < 0 || s > Integer.MAX_VALUE) {
                return Optional.empty();
            }
            return Optional.of(new Link(node.getAsString(), (int) s));
        }
    }
}
