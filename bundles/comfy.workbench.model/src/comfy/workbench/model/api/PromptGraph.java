package comfy.workbench.model.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * An API-format ("prompt") graph, the body ComfyUI's {@code POST /prompt} takes as {@code prompt}:
 * node id → {@code {class_type, inputs, _meta}}.
 * <p>
 * The graph is kept as the JSON it was read from, so that writing it back is lossless: unknown
 * fields, number spellings and key order survive. Instances are immutable.
 */
public final class PromptGraph {

    private final JsonObject json;
    private final Map<String, PromptNode> nodes;

    private PromptGraph(JsonObject json, Map<String, PromptNode> nodes) {
        this.json = json;
        this.nodes = nodes;
    }

    /** Parses an API-format graph; {@code what} names the source in error messages. */
    public static PromptGraph parse(String json, String what) {
        return of(ComfyJson.parseObject(json, what), what);
    }

    /** Builds a graph from a JSON object (copied), checking every node has a {@code class_type}. */
    public static PromptGraph of(JsonObject json, String what) {
        JsonObject copy = json.deepCopy();
        Map<String, PromptNode> nodes = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> entry : copy.entrySet()) {
            String id = entry.getKey();
            JsonElement value = entry.getValue();
            if (!value.isJsonObject()) {
                throw new ComfyJsonException(what + ": node " + id + " is " + ComfyJson.kind(value)
                        + ", expected an object with class_type and inputs");
            }
            JsonObject node = value.getAsJsonObject();
            JsonElement classType = node.get("class_type");
            if (classType == null || !classType.isJsonPrimitive() || !classType.getAsJsonPrimitive().isString()) {
                throw new ComfyJsonException(what + ": node " + id + " has no class_type string");
            }
            JsonElement inputs = node.get("inputs");
            if (inputs != null && !inputs.isJsonObject() && !inputs.isJsonNull()) {
                throw new ComfyJsonException(what + ": node " + id + " inputs is " + ComfyJson.kind(inputs)
                        + ", expected an object");
            }
            nodes.put(id, new PromptNode(id, classType.getAsString(),
                    inputs != null && inputs.isJsonObject() ? inputs.getAsJsonObject() : null, title(node)));
        }
        return new PromptGraph(copy, Collections.unmodifiableMap(nodes));
    }

    private static String title(JsonObject node) {
        JsonElement meta = node.get("_meta");
        if (meta != null && meta.isJsonObject()) {
            JsonElement title = meta.getAsJsonObject().get("title");
            if (title != null && title.isJsonPrimitive()) {
                return title.getAsString();
            }
        }
        return null;
    }

    /** The nodes in file order, by id. */
    public Map<String, PromptNode> nodes() {
        return nodes;
    }

    public Optional<PromptNode> node(String id) {
        return Optional.ofNullable(nodes.get(id));
    }

    public int size() {
        return nodes.size();
    }

    /** The node ids in file order. */
    public List<String> ids() {
        return new ArrayList<>(nodes.keySet());
    }

    /** A copy of the graph's JSON. */
    public JsonObject toJsonTree() {
        return json.deepCopy();
    }

    /** The graph as compact JSON, exactly as read apart from white space. */
    public String toJson() {
        return ComfyJson.write(json);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PromptGraph graph && graph.json.equals(json);
    }

    @Override
    public int hashCode() {
        return json.hashCode();
    }

    @Override
    public String toString() {
        return "PromptGraph" + nodes.keySet();
    }
}
