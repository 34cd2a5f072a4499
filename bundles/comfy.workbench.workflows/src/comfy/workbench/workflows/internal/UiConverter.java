package comfy.workbench.workflows.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import comfy.workbench.model.api.ComfyJson;
import comfy.workbench.model.api.ComfyJsonException;
import comfy.workbench.model.api.InputKind;
import comfy.workbench.model.api.InputSection;
import comfy.workbench.model.api.InputSpec;
import comfy.workbench.model.api.NodeClass;
import comfy.workbench.model.api.NodeSchema;
import comfy.workbench.model.api.PromptGraph;
import comfy.workbench.workflows.api.UiWorkflow;
import comfy.workbench.workflows.api.UiWorkflow.Input;
import comfy.workbench.workflows.api.UiWorkflow.Link;
import comfy.workbench.workflows.api.UiWorkflow.Node;
import comfy.workbench.workflows.api.WorkflowException;
import comfy.workbench.workflows.api.WorkflowException.Kind;

/**
 * Converts a UI-format workflow to the API-format graph the frontend's {@code graphToPrompt} would
 * submit for it, with the server's node schema standing in for the frontend's widgets:
 * <ul>
 * <li>{@code widgets_values} are positional: they are matched to the class's widget inputs (required,
 * then optional, in {@code input_order}; {@code forceInput} inputs have no widget), skipping the hidden
 * {@code control_after_generate} value after an INT with that option (and after any INT whose next value
 * is a control mode where no string could go) and the upload button's value after an upload combo.
 * A widget the file has no value for takes the schema's default, as the frontend does for new inputs.</li>
 * <li>Links are followed through {@code Reroute} nodes, Get/Set nodes and bypassed (mode 4) nodes (to
 * their input of the output's type, the same slot first); links from muted (mode 2) nodes are dropped;
 * a {@code PrimitiveNode} gives its value instead of a link.</li>
 * <li>Muted, bypassed and virtual nodes (Reroute, PrimitiveNode, notes) do not appear in the result;
 * list values are wrapped in {@code {"__value__": [...]}}; {@code _meta.title} is the node's title or the
 * class's display name.</li>
 * </ul>
 * Group nodes and subgraph instances are refused ({@link Kind#UNSUPPORTED}, naming them), node classes the
 * server lacks likewise ({@link Kind#MISSING_NODE_TYPES}); a widget value that cannot be the input's is a
 * {@link Kind#CONVERSION} error naming the node and the widget. Stateless and thread-safe.
 */
public final class UiConverter {

    private static final Set<String> VIRTUAL = Set.of("Reroute", "PrimitiveNode", "Note", "MarkdownNote", "GetNode",
            "SetNode");
    private static final Set<String> CONTROL_MODES = Set.of("fixed", "increment", "decrement", "randomize");
    private static final Set<String> UPLOAD_OPTIONS = Set.of("image_upload", "video_upload", "audio_upload",
            "animated_image_upload");

    /** Converts; {@code what} names the source in messages. */
    public PromptGraph convert(UiWorkflow workflow, NodeSchema schema, String what) {
        return new Run(workflow, schema, what).convert();
    }

    private static final class Run {
        private final UiWorkflow workflow;
        private final NodeSchema schema;
        private final String what;
        private final Map<String, Node> nodes = new HashMap<>();
        private final Map<String, Node> setters = new HashMap<>();

        Run(UiWorkflow workflow, NodeSchema schema, String what) {
            this.workflow = workflow;
            this.schema = schema;
            this.what = what;
            for (Node n : workflow.nodes()) {
                nodes.put(n.id(), n);
                if (n.type().equals("SetNode") && !n.widgetValueList().isEmpty()) {
                    setters.put(n.widgetValueList().get(0).getAsString(), n);
                }
            }
        }

        PromptGraph convert() {
            checkClasses();
            JsonObject prompt = new JsonObject();
            for (Node node : workflow.nodes()) {
                if (skipped(node)) {
                    continue;
                }
                NodeClass nodeClass = schema.nodeClass(node.type()).orElseThrow();
                JsonObject inputs = new JsonObject();
                widgets(node, nodeClass, inputs);
                for (Input input : node.inputs()) {
                    if (input.link() == null) {
                        continue;
                    }
                    String name = input.widget() != null ? input.widget() : input.name();
                    if (name == null) {
                        throw conversion(node, null, "an input slot has no name");
                    }
                    JsonElement value = resolve(input.link(), new HashSet<>(), node, name);
                    if (value == null) {
                        inputs.remove(name); // the link's origin is muted or gone: the frontend drops the input
                    } else {
                        inputs.add(name, value);
                    }
                }
                JsonObject apiNode = new JsonObject();
                apiNode.add("inputs", inputs);
                apiNode.addProperty("class_type", node.type());
                JsonObject meta = new JsonObject();
                meta.addProperty("title", node.title() != null ? node.title() : nodeClass.displayName());
                apiNode.add("_meta", meta);
                prompt.add(node.id(), apiNode);
            }
            try {
                return PromptGraph.of(prompt, what);
            } catch (ComfyJsonException e) {
                throw new WorkflowException(Kind.CONVERSION, what, e.getMessage(), e);
            }
        }

        private boolean skipped(Node node) {
            return VIRTUAL.contains(node.type()) || node.mode() == UiWorkflow.MODE_NEVER
                    || node.mode() == UiWorkflow.MODE_BYPASS;
        }

        private void checkClasses() {
            Set<String> subgraphs = new HashSet<>(workflow.subgraphIds());
            List<String> unsupported = new ArrayList<>();
            List<String> unsupportedNames = new ArrayList<>();
            Set<String> missing = new LinkedHashSet<>();
            List<String> missingAt = new ArrayList<>();
            for (Node node : workflow.nodes()) {
                if (node.mode() == UiWorkflow.MODE_NEVER) {
                    continue;
                }
                String type = node.type();
                if (subgraphs.contains(type)) {
                    unsupported.add("node " + node.id() + " is an instance of subgraph " + type);
                    unsupportedNames.add(type);
                } else if (type.startsWith("workflow>") || type.startsWith("workflow/")) {
                    unsupported.add("node " + node.id() + " is group node " + type);
                    unsupportedNames.add(type);
                } else if (!skipped(node) && schema.nodeClass(type).isEmpty()) {
                    missing.add(type);
                    missingAt.add(type + " (node " + node.id() + ")");
                }
            }
            if (!unsupported.isEmpty()) {
                throw new WorkflowException(Kind.UNSUPPORTED, what, "group nodes and subgraphs cannot be converted to API "
                        + "format yet (" + String.join("; ", unsupported) + "); export the API format from ComfyUI, or "
                        + "import a PNG it wrote", null, null, unsupportedNames, null);
            }
            if (!missing.isEmpty()) {
                throw new WorkflowException(Kind.MISSING_NODE_TYPES, what, "the server has no node class "
                        + String.join(", ", missingAt) + " (a custom node that is not installed?)", null, null,
                        new ArrayList<>(missing), null);
            }
        }

        private void widgets(Node node, NodeClass nodeClass, JsonObject inputs) {
            JsonElement raw = node.widgetsValues();
            List<InputSpec> specs = new ArrayList<>();
            for (InputSpec spec : nodeClass.inputs()) {
                if (spec.section() != InputSection.HIDDEN && spec.kind().isWidget() && !spec.forceInput()) {
                    specs.add(spec);
                }
            }
            JsonArray values = raw != null && raw.isJsonArray() ? raw.getAsJsonArray() : null;
            JsonObject named = raw != null && raw.isJsonObject() ? raw.getAsJsonObject() : null;
            int index = 0;
            for (int s = 0; s < specs.size(); s++) {
                InputSpec spec = specs.get(s);
                JsonElement value = null;
                if (values != null) {
                    if (index < values.size()) {
                        value = values.get(index);
                    }
                    index++;
                    if (hasControl(spec, values, index, s + 1 < specs.size() ? specs.get(s + 1) : null)) {
                        index++;
                    }
                    if (hasUpload(spec)) {
                        index++;
                    }
                } else if (named != null) {
                    value = named.get(spec.name());
                }
                if (value == null) {
                    if (linked(node, spec.name())) {
                        continue;
                    }
                    value = spec.defaultValue().orElse(null);
                    if (value == null) {
                        if (!spec.isRequired()) {
                            continue;
                        }
                        throw conversion(node, spec.name(), "no value for widget " + spec.name() + " ("
                                + (values == null ? "no widgets_values" : "widgets_values has " + values.size() + " values")
                                + ") and the server declares no default");
                    }
                }
                check(node, spec, value);
                inputs.add(spec.name(), wrap(value));
            }
        }

        /** Whether a hidden {@code control_after_generate} value follows this widget's value. */
        private static boolean hasControl(InputSpec spec, JsonArray values, int next, InputSpec nextSpec) {
            if (spec.controlAfterGenerate()) {
                return true;
            }
            if (spec.kind() != InputKind.INT || next >= values.size()) {
                return false;
            }
            // frontends add the control to seed-like INTs even when the schema does not ask for it
            JsonElement v = values.get(next);
            boolean control = v.isJsonPrimitive() && v.getAsJsonPrimitive().isString() && CONTROL_MODES.contains(v.getAsString());
            return control && (nextSpec == null || (nextSpec.kind() != InputKind.STRING && nextSpec.kind() != InputKind.COMBO));
        }

        private static boolean hasUpload(InputSpec spec) {
            for (String option : UPLOAD_OPTIONS) {
                JsonElement v = spec.rawOption(option).orElse(null);
                if (v != null && v.isJsonPrimitive() && v.getAsJsonPrimitive().isBoolean() && v.getAsBoolean()) {
                    return true;
                }
            }
            return false;
        }

        private static boolean linked(Node node, String name) {
            for (Input input : node.inputs()) {
                if (input.link() != null && (name.equals(input.widget()) || name.equals(input.name()))) {
                    return true;
                }
            }
            return false;
        }

        /** Refuses values that show {@code widgets_values} does not line up with the schema's widgets. */
        private void check(Node node, InputSpec spec, JsonElement value) {
            if (value.isJsonNull()) {
                return;
            }
            boolean ok;
            switch (spec.kind()) {
            case INT:
            case FLOAT:
                ok = value.isJsonPrimitive() && (value.getAsJsonPrimitive().isNumber()
                        || value.getAsJsonPrimitive().isString() && isNumeric(value.getAsString()));
                break;
            case BOOLEAN:
                ok = value.isJsonPrimitive();
                break;
            default:
                ok = !value.isJsonObject() || value.getAsJsonObject().has("__value__");
                break;
            }
            if (!ok) {
                throw conversion(node, spec.name(), "widget " + spec.name() + " holds " + ComfyJson.write(value)
                        + ", which is not a " + spec.kind() + " value; widgets_values " + ComfyJson.write(node.widgetsValues())
                        + " does not line up with the server's inputs for " + node.type());
            }
        }

        private static boolean isNumeric(String s) {
            try {
                Double.parseDouble(s.strip());
                return true;
            } catch (NumberFormatException e) {
                return false;
            }
        }

        private static JsonElement wrap(JsonElement value) {
            if (value.isJsonArray()) {
                JsonObject wrapped = new JsonObject();
                wrapped.add("__value__", value);
                return wrapped;
            }
            return value;
        }

        /** The API value of the input a link feeds: {@code [origin_id, slot]}, a literal, or {@code null} (dropped). */
        private JsonElement resolve(int linkId, Set<Integer> seen, Node target, String inputName) {
            if (!seen.add(linkId)) {
                throw conversion(target, inputName, "input " + inputName + " is fed by a loop of reroutes or bypassed nodes");
            }
            Link link = workflow.links().get(linkId);
            if (link == null) {
                return null;
            }
            Node origin = nodes.get(link.originId());
            if (origin == null || origin.mode() == UiWorkflow.MODE_NEVER) {
                return null;
            }
            switch (origin.type()) {
            case "Reroute":
                return follow(origin, 0, seen, target, inputName);
            case "PrimitiveNode": {
                JsonArray values = origin.widgetValueList();
                if (values.isEmpty()) {
                    throw conversion(origin, inputName, "PrimitiveNode " + origin.id() + " feeding input " + inputName
                            + " of node " + target.id() + " has no value");
                }
                return wrap(values.get(0));
            }
            case "GetNode": {
                JsonArray values = origin.widgetValueList();
                Node setter = values.isEmpty() ? null : setters.get(values.get(0).getAsString());
                return setter == null ? null : follow(setter, 0, seen, target, inputName);
            }
            case "SetNode":
                return follow(origin, 0, seen, target, inputName);
            default:
                break;
            }
            if (origin.mode() == UiWorkflow.MODE_BYPASS) {
                String type = link.type();
                if (link.originSlot() < origin.outputs().size() && origin.outputs().get(link.originSlot()).type() != null) {
                    type = origin.outputs().get(link.originSlot()).type();
                }
                List<Input> inputs = origin.inputs();
                if (link.originSlot() < inputs.size() && inputs.get(link.originSlot()).link() != null
                        && typesMatch(inputs.get(link.originSlot()).type(), type)) {
                    return follow(origin, link.originSlot(), seen, target, inputName);
                }
                for (int i = 0; i < inputs.size(); i++) {
                    if (inputs.get(i).link() != null && typesMatch(inputs.get(i).type(), type)) {
                        return follow(origin, i, seen, target, inputName);
                    }
                }
                return null;
            }
            JsonArray ref = new JsonArray();
            ref.add(origin.id());
            ref.add(link.originSlot());
            return ref;
        }

        private JsonElement follow(Node through, int slot, Set<Integer> seen, Node target, String inputName) {
            if (slot >= through.inputs().size() || through.inputs().get(slot).link() == null) {
                return null;
            }
            return resolve(through.inputs().get(slot).link(), seen, target, inputName);
        }

        private static boolean typesMatch(String a, String b) {
            if (a == null || b == null || a.equals(b) || a.equals("*") || b.equals("*")) {
                return true;
            }
            for (String x : a.split(",")) {
                for (String y : b.split(",")) {
                    if (x.strip().equals(y.strip())) {
                        return true;
                    }
                }
            }
            return false;
        }

        private WorkflowException conversion(Node node, String widget, String message) {
            return new WorkflowException(Kind.CONVERSION, what, "node " + node.id() + " (" + node.type() + "): " + message,
                    node.id(), widget, List.of(node.type()), null);
        }
    }

}
