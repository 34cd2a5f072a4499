package comfy.workbench.templates.internal;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import comfy.workbench.templates.api.Binding;
import comfy.workbench.templates.api.Parameter;
import comfy.workbench.templates.api.ParameterType;
import comfy.workbench.templates.api.TemplateException;

/**
 * Parameters as the template library stores them in a workflow's attributes:
 * {@code {"template": {"version": 1, "parameters": [{name, label, type, min, max, step, options, seed, default,
 * bindings: [[nodeId, input], …]}]}}}.
 */
final class ParameterJson {

    static final String KEY = "template";
    private static final int VERSION = 1;

    private ParameterJson() {
    }

    static JsonObject attributes(List<Parameter> parameters) {
        JsonArray list = new JsonArray();
        for (Parameter p : parameters) {
            JsonObject json = new JsonObject();
            json.addProperty("name", p.name());
            json.addProperty("label", p.label());
            json.addProperty("type", p.type().name());
            if (p.min() != null) {
                json.addProperty("min", p.min());
            }
            if (p.max() != null) {
                json.addProperty("max", p.max());
            }
            if (p.step() != null) {
                json.addProperty("step", p.step());
            }
            if (!p.options().isEmpty()) {
                JsonArray options = new JsonArray();
                p.options().forEach(options::add);
                json.add("options", options);
            }
            if (p.seed()) {
                json.addProperty("seed", true);
            }
            if (p.defaultValue() != null) {
                json.add("default", p.defaultValue());
            }
            JsonArray bindings = new JsonArray();
            for (Binding b : p.bindings()) {
                JsonArray pair = new JsonArray();
                pair.add(b.nodeId());
                pair.add(b.input());
                bindings.add(pair);
            }
            json.add("bindings", bindings);
            list.add(json);
        }
        JsonObject template = new JsonObject();
        template.addProperty("version", VERSION);
        template.add("parameters", list);
        JsonObject attributes = new JsonObject();
        attributes.add(KEY, template);
        return attributes;
    }

    /** @param id names the template in messages */
    static List<Parameter> parameters(JsonObject attributes, String id) {
        try {
            JsonObject template = attributes.getAsJsonObject(KEY);
            if (template == null) {
                throw corrupt(id, "it has no parameters (\"" + KEY + "\" is missing from its metadata)", null);
            }
            int version = template.has("version") ? template.get("version").getAsInt() : 0;
            if (version != VERSION) {
                throw corrupt(id, "unknown template version " + version + " (this workbench reads " + VERSION + ")", null);
            }
            List<Parameter> parameters = new ArrayList<>();
            for (JsonElement e : template.getAsJsonArray("parameters")) {
                JsonObject json = e.getAsJsonObject();
                List<String> options = new ArrayList<>();
                if (json.has("options")) {
                    json.getAsJsonArray("options").forEach(o -> options.add(o.getAsString()));
                }
                List<Binding> bindings = new ArrayList<>();
                for (JsonElement b : json.getAsJsonArray("bindings")) {
                    bindings.add(new Binding(b.getAsJsonArray().get(0).getAsString(), b.getAsJsonArray().get(1).getAsString()));
                }
                parameters.add(new Parameter(json.get("name").getAsString(),
                        json.has("label") ? json.get("label").getAsString() : null,
                        ParameterType.valueOf(json.get("type").getAsString()), decimal(json, "min"), decimal(json, "max"),
                        decimal(json, "step"), options, json.has("seed") && json.get("seed").getAsBoolean(),
                        json.get("default"), bindings));
            }
            return parameters;
        } catch (TemplateException e) {
            throw e;
        } catch (RuntimeException e) {
            throw corrupt(id, "its parameters cannot be read: " + (e.getMessage() == null ? e.getClass().getSimpleName()
                    + " (a field is missing)" : e.getMessage()), e);
        }
    }

    private static BigDecimal decimal(JsonObject json, String key) {
        return json.has(key) && !json.get(key).isJsonNull() ? json.get(key).getAsBigDecimal() : null;
    }

    private static TemplateException corrupt(String id, String message, Throwable cause) {
        return new TemplateException(TemplateException.Kind.CORRUPT, "template " + id + ": " + message, List.of(), cause);
    }
}
