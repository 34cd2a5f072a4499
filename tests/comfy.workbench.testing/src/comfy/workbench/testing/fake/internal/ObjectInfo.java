package comfy.workbench.testing.fake.internal;

import java.util.ArrayList;
import java.util.List;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/** The node classes the fake server knows, in the {@code /object_info} shape, with the look-ups validation and execution need. */
public final class ObjectInfo {

    /** One declared input of a class. */
    public record Input(String name, JsonArray config, boolean required) {
        /** {@code INT}, {@code IMAGE}, {@code COMBO}, … or {@code null} for a legacy combo (options list first). */
        public String type() {
            JsonElement t = config.get(0);
            return t.isJsonPrimitive() ? t.getAsString() : null;
        }

        public JsonObject options() {
            return config.size() > 1 && config.get(1).isJsonObject() ? config.get(1).getAsJsonObject() : new JsonObject();
        }
    }

    private final JsonObject all;
    private final String text;

    public ObjectInfo(String text) {
        this.text = text;
        this.all = Json.parse(text).getAsJsonObject();
    }

    public String text() {
        return text;
    }

    public JsonObject all() {
        return all;
    }

    public JsonObject get(String classType) {
        JsonElement e = classType == null ? null : all.get(classType);
        return e == null ? null : e.getAsJsonObject();
    }

    public boolean isOutputNode(String classType) {
        JsonObject c = get(classType);
        return c != null && c.has("output_node") && c.get("output_node").getAsBoolean();
    }

    public List<String> outputTypes(String classType) {
        List<String> types = new ArrayList<>();
        JsonObject c = get(classType);
        if (c != null && c.has("output")) {
            for (JsonElement t : c.getAsJsonArray("output")) {
                types.add(t.isJsonPrimitive() ? t.getAsString() : "COMBO");
            }
        }
        return types;
    }

    /** Required inputs then optional ones, each in {@code input_order} (the order the frontend shows them). */
    public List<Input> inputs(String classType) {
        List<Input> inputs = new ArrayList<>();
        JsonObject c = get(classType);
        if (c == null) {
            return inputs;
        }
        JsonObject input = c.getAsJsonObject("input");
        for (String group : List.of("required", "optional")) {
            if (input == null || !input.has(group)) {
                continue;
            }
            JsonObject specs = input.getAsJsonObject(group);
            List<String> order = new ArrayList<>();
            JsonObject inputOrder = c.getAsJsonObject("input_order");
            if (inputOrder != null && inputOrder.has(group)) {
                inputOrder.getAsJsonArray(group).forEach(n -> order.add(n.getAsString()));
            }
            specs.keySet().stream().filter(k -> !order.contains(k)).forEach(order::add);
            for (String name : order) {
                JsonElement spec = specs.get(name);
                if (spec != null && spec.isJsonArray()) {
                    inputs.add(new Input(name, spec.getAsJsonArray(), group.equals("required")));
                }
            }
        }
        return inputs;
    }
}
