package comfy.workbench.model.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * The errors the server found on one node: an entry of {@code node_errors}.
 *
 * @param nodeId           the node id
 * @param classType        the node's class
 * @param errors           the errors, each usually naming an input
 * @param dependentOutputs the output nodes that were dropped because of this node
 */
public record NodeError(String nodeId, String classType, List<PromptError> errors, List<String> dependentOutputs) {

    public NodeError {
        errors = List.copyOf(errors);
        dependentOutputs = List.copyOf(dependentOutputs);
        classType = classType == null ? "" : classType;
    }

    /** Reads one {@code node_errors} entry. */
    public static NodeError fromJson(String nodeId, JsonElement json, String what) {
        if (json == null || !json.isJsonObject()) {
            throw new ComfyJsonException(what + ": node_errors." + nodeId + " is " + ComfyJson.kind(json)
                    + ", expected an object");
        }
        JsonObject o = json.getAsJsonObject();
        List<PromptError> errors = new ArrayList<>();
        JsonElement list = o.get("errors");
        if (list != null && !list.isJsonNull() && !list.isJsonArray()) {
            throw new ComfyJsonException(what + ": node_errors." + nodeId + ".errors is " + ComfyJson.kind(list)
                    + ", expected a list");
        }
        if (list != null && list.isJsonArray()) {
            int i = 0;
            for (JsonElement e : list.getAsJsonArray()) {
                errors.add(PromptError.fromJson(e, what + ": node_errors." + nodeId + ".errors[" + i++ + "]"));
            }
        }
        List<String> outputs = new ArrayList<>();
        JsonElement deps = o.get("dependent_outputs");
        if (deps != null && deps.isJsonArray()) {
            for (JsonElement e : deps.getAsJsonArray()) {
                if (!e.isJsonPrimitive()) {
                    throw new ComfyJsonException(what + ": node_errors." + nodeId + ".dependent_outputs holds "
                            + ComfyJson.kind(e) + ", expected node ids");
                }
                outputs.add(e.getAsString());
            }
        }
        return new NodeError(nodeId, PromptError.string(o.get("class_type")).orElse(""), errors, outputs);
    }

    /** Reads a whole {@code node_errors} object, keeping its order. */
    public static Map<String, NodeError> mapFromJson(JsonElement json, String what) {
        Map<String, NodeError> result = new java.util.LinkedHashMap<>();
        if (json == null || json.isJsonNull()) {
            return Map.of();
        }
        if (!json.isJsonObject()) {
            throw new ComfyJsonException(what + ": node_errors is " + ComfyJson.kind(json) + ", expected an object");
        }
        for (Map.Entry<String, JsonElement> e : json.getAsJsonObject().entrySet()) {
            result.put(e.getKey(), fromJson(e.getKey(), e.getValue(), what));
        }
        return java.util.Collections.unmodifiableMap(result);
    }

    /** Writes the entry as the server does. */
    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        JsonArray list = new JsonArray();
        errors.forEach(e -> list.add(e.toJson()));
        o.add("errors", list);
        JsonArray deps = new JsonArray();
        dependentOutputs.forEach(deps::add);
        o.add("dependent_outputs", deps);
        o.addProperty("class_type", classType);
        return o;
    }
}
