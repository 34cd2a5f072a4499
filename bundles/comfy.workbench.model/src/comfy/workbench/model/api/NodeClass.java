package comfy.workbench.model.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * One node class of the server's node schema: an entry of {@code /object_info}.
 *
 * @param name         the class name, the {@code class_type} a prompt node uses
 * @param displayName  the name shown to users ({@code display_name}; the class name when absent)
 * @param category     the menu path, e.g. {@code sampling} or {@code image/upscaling}
 * @param description  the description, {@code ""} when none
 * @param pythonModule the module that defines it: {@code nodes}, {@code comfy_extras.…}, {@code custom_nodes.…}
 * @param outputNode   whether it is an output node ({@code output_node}): only graphs with one are run
 * @param deprecated   whether the class is marked {@code deprecated}
 * @param experimental whether the class is marked {@code experimental}
 * @param apiNode      whether it is a paid partner ("API") node ({@code api_node})
 * @param inputs       the inputs: required, then optional, then hidden, each section in {@code input_order}
 * @param outputs      the output slots, by index
 * @param extra        the class's fields this record does not model (a copy), e.g. {@code search_aliases}
 */
public record NodeClass(String name, String displayName, String category, String description, String pythonModule,
        boolean outputNode, boolean deprecated, boolean experimental, boolean apiNode, List<InputSpec> inputs,
        List<NodeOutput> outputs, JsonObject extra) {

    private static final Set<String> MODELLED = Set.of("input", "input_order", "output", "output_is_list",
            "output_name", "output_tooltips", "name", "display_name", "description", "python_module", "category",
            "output_node", "deprecated", "experimental", "api_node");

    public NodeClass {
        Objects.requireNonNull(name, "name");
        displayName = displayName == null || displayName.isEmpty() ? name : displayName;
        category = category == null ? "" : category;
        description = description == null ? "" : description;
        pythonModule = pythonModule == null ? "" : pythonModule;
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        extra = extra == null ? new JsonObject() : extra.deepCopy();
    }

    @Override
    public JsonObject extra() {
        return extra.deepCopy();
    }

    /** The input of that name, in any section. */
    public Optional<InputSpec> input(String inputName) {
        for (InputSpec input : inputs) {
            if (input.name().equals(inputName)) {
                return Optional.of(input);
            }
        }
        return Optional.empty();
    }

    /** The inputs of one section, in {@code input_order}. */
    public List<InputSpec> inputs(InputSection section) {
        return inputs.stream().filter(i -> i.section() == section).toList();
    }

    /**
     * Reads one {@code /object_info} entry.
     *
     * @param name the class name (the entry's key; {@code name} inside the entry is not required)
     * @param json the entry
     * @param what names the source in error messages, e.g. {@code "object_info"}
     * @throws ComfyJsonException naming the class, and the input if one is at fault
     */
    public static NodeClass fromJson(String name, JsonElement json, String what) {
        String where = what + ": class " + name;
        if (json == null || !json.isJsonObject()) {
            throw new ComfyJsonException(where + " is " + ComfyJson.kind(json) + ", expected an object");
        }
        JsonObject o = json.getAsJsonObject();
        JsonObject extra = new JsonObject();
        for (Map.Entry<String, JsonElement> e : o.entrySet()) {
            if (!MODELLED.contains(e.getKey())) {
                extra.add(e.getKey(), e.getValue());
            }
        }
        return new NodeClass(name, text(o, "display_name", where), text(o, "category", where),
                text(o, "description", where), text(o, "python_module", where), flag(o, "output_node", where),
                flag(o, "deprecated", where), flag(o, "experimental", where), flag(o, "api_node", where),
                inputs(o, where), outputs(o, where), extra);
    }

    private static List<InputSpec> inputs(JsonObject o, String where) {
        JsonObject declared = object(o, "input", where);
        JsonObject order = object(o, "input_order", where);
        List<InputSpec> result = new ArrayList<>();
        for (InputSection section : InputSection.values()) {
            JsonObject inputs = object(declared, section.key(), where + " input");
            if (inputs.isEmpty()) {
                continue;
            }
            // input_order is what the frontend lays widgets out by; names it misses keep their JSON order
            Map<String, JsonElement> remaining = new LinkedHashMap<>();
            inputs.entrySet().forEach(e -> remaining.put(e.getKey(), e.getValue()));
            JsonElement names = order.get(section.key());
            if (names != null && !names.isJsonNull()) {
                if (!names.isJsonArray()) {
                    throw new ComfyJsonException(where + ": input_order." + section.key() + " is "
                            + ComfyJson.kind(names) + ", expected a list of input names");
                }
                for (JsonElement n : names.getAsJsonArray()) {
                    if (!n.isJsonPrimitive()) {
                        throw new ComfyJsonException(where + ": input_order." + section.key() + " holds "
                                + ComfyJson.kind(n) + ", expected input names");
                    }
                    String inputName = n.getAsString();
                    JsonElement spec = remaining.remove(inputName);
                    if (spec == null) {
                        throw new ComfyJsonException(where + " input " + inputName + ": listed in input_order."
                                + section.key() + " but not declared in input." + section.key());
                    }
                    result.add(InputSpec.fromJson(inputName, section, spec, where + " input " + inputName));
                }
            }
            for (Map.Entry<String, JsonElement> e : remaining.entrySet()) {
                result.add(InputSpec.fromJson(e.getKey(), section, e.getValue(), where + " input " + e.getKey()));
            }
        }
        return result;
    }

    private static List<NodeOutput> outputs(JsonObject o, String where) {
        JsonArray types = array(o, "output", where);
        JsonArray names = array(o, "output_name", where);
        JsonArray lists = array(o, "output_is_list", where);
        JsonArray tooltips = array(o, "output_tooltips", where);
        List<NodeOutput> result = new ArrayList<>(types.size());
        for (int i = 0; i < types.size(); i++) {
            JsonElement type = types.get(i);
            String typeName;
            if (type.isJsonArray()) {
                typeName = "COMBO"; // an output that yields one of these choices
            } else if (type.isJsonPrimitive() && type.getAsJsonPrimitive().isString()) {
                typeName = type.getAsString();
            } else {
                throw new ComfyJsonException(where + " output " + i + ": type is " + ComfyJson.kind(type)
                        + ", expected a type name");
            }
            // the server does not keep output_tooltips in step with output (LoraLoaderModelOnly has one too many)
            result.add(new NodeOutput(i, typeName, element(names, i), i < lists.size() && lists.get(i).isJsonPrimitive()
                    && lists.get(i).getAsJsonPrimitive().isBoolean() && lists.get(i).getAsBoolean(), element(tooltips, i)));
        }
        return result;
    }

    private static String element(JsonArray array, int i) {
        if (i >= array.size() || !array.get(i).isJsonPrimitive()) {
            return null;
        }
        return array.get(i).getAsString();
    }

    private static JsonObject object(JsonObject o, String key, String where) {
        JsonElement value = o.get(key);
        if (value == null || value.isJsonNull()) {
            return new JsonObject();
        }
        if (!value.isJsonObject()) {
            throw new ComfyJsonException(where + ": " + key + " is " + ComfyJson.kind(value) + ", expected an object");
        }
        return value.getAsJsonObject();
    }

    private static JsonArray array(JsonObject o, String key, String where) {
        JsonElement value = o.get(key);
        if (value == null || value.isJsonNull()) {
            return new JsonArray();
        }
        if (!value.isJsonArray()) {
            throw new ComfyJsonException(where + ": " + key + " is " + ComfyJson.kind(value) + ", expected a list");
        }
        return value.getAsJsonArray();
    }

    private static String text(JsonObject o, String key, String where) {
        JsonElement value = o.get(key);
        if (value == null || value.isJsonNull()) {
            return null;
        }
        if (!value.isJsonPrimitive()) {
            throw new ComfyJsonException(where + ": " + key + " is " + ComfyJson.kind(value) + ", expected a string");
        }
        return value.getAsString();
    }

    private static boolean flag(JsonObject o, String key, String where) {
        JsonElement value = o.get(key);
        if (value == null || value.isJsonNull()) {
            return false;
        }
        if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isBoolean()) {
            throw new ComfyJsonException(where + ": " + key + " is " + ComfyJson.kind(value) + ", expected true or false");
        }
        return value.getAsBoolean();
    }
}
