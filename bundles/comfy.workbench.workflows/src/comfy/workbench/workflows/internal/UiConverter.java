package comfy.workbench.workflows.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
import comfy.workbench.model.api.PromptNode;
import comfy.workbench.workflows.api.UiWorkflow;
import comfy.workbench.workflows.api.UiWorkflow.Input;
import comfy.workbench.workflows.api.UiWorkflow.Link;
import comfy.workbench.workflows.api.UiWorkflow.Node;
import comfy.workbench.workflows.api.ValueControl;
import comfy.workbench.workflows.api.ValueControl.Mode;
import comfy.workbench.workflows.api.ValueControl.Target;
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
 * The hidden control values are kept as {@link ValueControl}s on the inputs they drive (an INT widget's own input
 * unless a link feeds it; every input a PrimitiveNode with a control feeds), with the widget's bounds and step
 * as the frontend has them; a boolean control is the old "randomize" toggle. Controls on other kinds of widget
 * (a combo's) are not kept.
 * Subgraph instances are expanded as the frontend does: the definition's nodes run under execution ids
 * {@code "<instance id>:<inner id>"} (nested: {@code "5:12:3"}), links pass through the subgraph's input and
 * output nodes; an instance's own promoted widget values are not applied (the inner nodes' values are).
 * Legacy group nodes ({@code workflow>…}) are refused ({@link Kind#UNSUPPORTED}, naming them), node classes
 * the server lacks likewise ({@link Kind#MISSING_NODE_TYPES}, also inside subgraphs); a widget value that cannot be the input's is a
 * {@link Kind#CONVERSION} error naming the node and the widget. Stateless and thread-safe.
 */
public final class UiConverter {

    private static final Set<String> VIRTUAL = Set.of("Reroute", "PrimitiveNode", "Note", "MarkdownNote", "GetNode",
            "SetNode");
    private static final Set<String> CONTROL_MODES = Set.of("fixed", "increment", "decrement", "randomize");
    private static final Set<String> UPLOAD_OPTIONS = Set.of("image_upload", "video_upload", "audio_upload",
            "animated_image_upload");

    /** The API graph and the value controls on its inputs. */
    public record Conversion(PromptGraph prompt, List<ValueControl> controls) {
        public Conversion {
            controls = List.copyOf(controls);
        }
    }

    /** Converts; {@code what} names the source in messages. */
    public PromptGraph convert(UiWorkflow workflow, NodeSchema schema, String what) {
        return convertWithControls(workflow, schema, what).prompt();
    }

    /** Converts, keeping the widgets' value controls; {@code what} names the source in messages. */
    public Conversion convertWithControls(UiWorkflow workflow, NodeSchema schema, String what) {
        return new Run(workflow, schema, what).convert();
    }

    /**
     * The controls the frontend gives a graph loaded without a UI form: the mode the schema's
     * {@code control_after_generate} names, else randomize, on each whole-number input that offers one; none where the
     * mode is fixed or the node class is unknown.
     */
    public List<ValueControl> defaultControls(PromptGraph prompt, NodeSchema schema) {
        List<ValueControl> controls = new ArrayList<>();
        for (PromptNode node : prompt.nodes().values()) {
            Optional<NodeClass> nodeClass = schema.nodeClass(node.classType());
            if (nodeClass.isEmpty()) {
                continue;
            }
            for (InputSection section : List.of(InputSection.REQUIRED, InputSection.OPTIONAL)) {
                for (InputSpec spec : nodeClass.get().inputs(section)) {
                    if (!spec.controlAfterGenerate() || !Run.isWholeNumber(node.input(spec.name()).orElse(null))) {
                        continue;
                    }
                    JsonElement named = spec.rawOptions().get("control_after_generate");
                    Mode mode = named != null && named.isJsonPrimitive() && named.getAsJsonPrimitive().isString()
                            ? Mode.named(named.getAsString()).orElse(Mode.RANDOMIZE) : Mode.RANDOMIZE;
                    if (mode != Mode.FIXED) {
                        Run.control(List.of(new Target(node.id(), spec.name())), mode, spec).ifPresent(controls::add);
                    }
                }
            }
        }
        return controls;
    }

    /**
     * Where a widget's value sits in a node's positional {@code widgets_values}.
     *
     * @param spec    the widget's input
     * @param value   the index of its value
     * @param control the index of its hidden {@code control_after_generate} value, or {@code -1}
     */
    record WidgetSlot(InputSpec spec, int value, int control) {
    }

    /**
     * The slots of a node class's widgets in {@code values} (or, when {@code values} is {@code null}, in a named
     * form, where only the specs matter): required, then optional inputs in {@code input_order}, without hidden and
     * {@code forceInput} ones, each followed by its control value and an upload combo by its button's value.
     */
    static List<WidgetSlot> widgetSlots(NodeClass nodeClass, JsonArray values) {
        List<InputSpec> specs = new ArrayList<>();
        for (InputSpec spec : nodeClass.inputs()) {
            if (spec.section() != InputSection.HIDDEN && spec.kind().isWidget() && !spec.forceInput()) {
                specs.add(spec);
            }
        }
        List<WidgetSlot> slots = new ArrayList<>(specs.size());
        int index = 0;
        for (int s = 0; s < specs.size(); s++) {
            InputSpec spec = specs.get(s);
            int value = index++;
            int control = -1;
            if (values != null) {
                if (hasControl(spec, values, index, s + 1 < specs.size() ? specs.get(s + 1) : null)) {
                    control = index++;
                }
                if (hasUpload(spec)) {
                    index++;
                }
            }
            slots.add(new WidgetSlot(spec, value, control));
        }
        return slots;
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


    /** One graph level: the top-level graph, or one subgraph instance's copy of its definition. */
    private static final class Scope {
        final String prefix;
        final List<Node> order;
        final Map<String, Node> nodes = new HashMap<>();
        final Map<Integer, Link> links;
        final Map<String, Node> setters = new HashMap<>();
        final Scope parent;
        final Node instance;
        final List<String> path;

        Scope(String prefix, List<Node> order, Map<Integer, Link> links, Scope parent, Node instance, List<String> path) {
            this.prefix = prefix;
            this.order = order;
            this.links = links;
            this.parent = parent;
            this.instance = instance;
            this.path = path;
            for (Node n : order) {
                nodes.put(n.id(), n);
                if (n.type().equals("SetNode") && !n.widgetValueList().isEmpty() && n.widgetValueList().get(0).isJsonPrimitive()) {
                    setters.put(n.widgetValueList().get(0).getAsString(), n);
                }
            }
        }
    }

    /** A PrimitiveNode's control, gathering the inputs it feeds; the first one's schema gives the bounds, as in the frontend. */
    private static final class PrimitiveControl {
        final JsonElement value;
        final JsonElement saved;
        final InputSpec spec;
        final Set<Target> targets = new LinkedHashSet<>();

        PrimitiveControl(JsonElement value, JsonElement saved, InputSpec spec) {
            this.value = value;
            this.saved = saved;
            this.spec = spec;
        }
    }

    private static final class Run {
        private final UiWorkflow workflow;
        private final NodeSchema schema;
        private final String what;
        private final List<ValueControl> controls = new ArrayList<>();
        /** By the PrimitiveNode's execution-scoped id: one control for all the inputs it feeds. */
        private final Map<String, PrimitiveControl> primitiveControls = new LinkedHashMap<>();
        /** The input whose link is being resolved, and its schema: a PrimitiveNode found on the way controls it. */
        private Target feeding;
        private InputSpec feedingSpec;

        Run(UiWorkflow workflow, NodeSchema schema, String what) {
            this.workflow = workflow;
            this.schema = schema;
            this.what = what;
        }

        Conversion convert() {
            Scope top = new Scope("", workflow.nodes(), workflow.links(), null, null, List.of());
            List<String> unsupported = new ArrayList<>();
            List<String> unsupportedNames = new ArrayList<>();
            Set<String> missing = new LinkedHashSet<>();
            List<String> missingAt = new ArrayList<>();
            checkClasses(top, unsupported, unsupportedNames, missing, missingAt);
            if (!unsupported.isEmpty()) {
                throw new WorkflowException(Kind.UNSUPPORTED, what, "group nodes cannot be converted to API format yet ("
                        + String.join("; ", unsupported) + "); convert them to subgraphs or export the API format from "
                        + "ComfyUI", null, null, unsupportedNames, null);
            }
            if (!missing.isEmpty()) {
                throw new WorkflowException(Kind.MISSING_NODE_TYPES, what, "the server has no node class "
                        + String.join(", ", missingAt) + " (a custom node that is not installed?)", null, null,
                        new ArrayList<>(missing), null);
            }
            JsonObject prompt = new JsonObject();
            emit(top, prompt);
            for (PrimitiveControl p : primitiveControls.values()) {
                keepControl(List.copyOf(p.targets), p.value, p.saved, p.spec);
            }
            try {
                return new Conversion(PromptGraph.of(prompt, what), controls);
            } catch (ComfyJsonException e) {
                throw new WorkflowException(Kind.CONVERSION, what, e.getMessage(), e);
            }
        }

        private void emit(Scope scope, JsonObject prompt) {
            for (Node node : scope.order) {
                if (skipped(node)) {
                    continue;
                }
                if (isSubgraph(node)) {
                    // the frontend runs a subgraph's nodes under execution ids "instance:inner"
                    emit(child(scope, node), prompt);
                    continue;
                }
                NodeClass nodeClass = schema.nodeClass(node.type()).orElseThrow();
                JsonObject inputs = new JsonObject();
                widgets(scope, node, nodeClass, inputs);
                for (Input input : node.inputs()) {
                    if (input.link() == null) {
                        continue;
                    }
                    String name = input.widget() != null ? input.widget() : input.name();
                    if (name == null) {
                        throw conversion(scope, node, null, "an input slot has no name");
                    }
                    feeding = new Target(scope.prefix + node.id(), name);
                    feedingSpec = nodeClass.input(name).orElse(null);
                    JsonElement value = resolve(scope, input.link(), new HashSet<>(), node, name);
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
                prompt.add(scope.prefix + node.id(), apiNode);
            }
        }

        private boolean isSubgraph(Node node) {
            return workflow.subgraphs().containsKey(node.type());
        }

        private Scope child(Scope scope, Node instance) {
            UiWorkflow.Subgraph definition = workflow.subgraphs().get(instance.type());
            List<String> path = new ArrayList<>(scope.path);
            path.add(definition.id());
            return new Scope(scope.prefix + instance.id() + ":", definition.nodes(), definition.links(), scope, instance,
                    path);
        }

        private static boolean skipped(Node node) {
            return VIRTUAL.contains(node.type()) || node.mode() == UiWorkflow.MODE_NEVER
                    || node.mode() == UiWorkflow.MODE_BYPASS;
        }

        private void checkClasses(Scope scope, List<String> unsupported, List<String> unsupportedNames, Set<String> missing,
                List<String> missingAt) {
            for (Node node : scope.order) {
                if (node.mode() == UiWorkflow.MODE_NEVER) {
                    continue;
                }
                String type = node.type();
                String where = "node " + scope.prefix + node.id();
                if (isSubgraph(node)) {
                    if (scope.path.contains(type)) {
                        unsupported.add(where + " uses subgraph " + type + " inside itself");
                        unsupportedNames.add(type);
                    } else if (node.mode() != UiWorkflow.MODE_BYPASS) {
                        checkClasses(child(scope, node), unsupported, unsupportedNames, missing, missingAt);
                    }
                } else if (type.startsWith("workflow>") || type.startsWith("workflow/")) {
                    unsupported.add(where + " is group node " + type);
                    unsupportedNames.add(type);
                } else if (!skipped(node) && schema.nodeClass(type).isEmpty()) {
                    missing.add(type);
                    missingAt.add(type + " (" + where + ")");
                }
            }
        }

        private void widgets(Scope scope, Node node, NodeClass nodeClass, JsonObject inputs) {
            JsonElement raw = node.widgetsValues();
            JsonArray values = raw != null && raw.isJsonArray() ? raw.getAsJsonArray() : null;
            JsonObject named = raw != null && raw.isJsonObject() ? raw.getAsJsonObject() : null;
            for (WidgetSlot slot : widgetSlots(nodeClass, values)) {
                InputSpec spec = slot.spec();
                JsonElement value = null;
                if (values != null) {
                    if (slot.value() < values.size()) {
                        value = values.get(slot.value());
                    }
                    if (slot.control() >= 0 && slot.control() < values.size() && !linked(node, spec.name())) {
                        Target target = new Target(scope.prefix + node.id(), spec.name());
                        keepControl(List.of(target), value, values.get(slot.control()), spec);
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
                        throw conversion(scope, node, spec.name(), "no value for widget " + spec.name() + " ("
                                + (values == null ? "no widgets_values" : "widgets_values has " + values.size() + " values")
                                + ") and the server declares no default");
                    }
                }
                check(scope, node, spec, value);
                inputs.add(spec.name(), wrap(value));
            }
        }

        private void keepControl(List<Target> targets, JsonElement value, JsonElement saved, InputSpec spec) {
            if (isWholeNumber(value)) {
                mode(saved).flatMap(mode -> control(targets, mode, spec)).ifPresent(controls::add);
            }
        }

        /** The mode a saved control value stands for: a mode's name, or the old "randomize" toggle's boolean. */
        private static Optional<Mode> mode(JsonElement saved) {
            if (saved == null || !saved.isJsonPrimitive()) {
                return Optional.empty();
            }
            if (saved.getAsJsonPrimitive().isBoolean()) {
                return Optional.of(saved.getAsBoolean() ? Mode.RANDOMIZE : Mode.FIXED);
            }
            return saved.getAsJsonPrimitive().isString() ? Mode.named(saved.getAsString()) : Optional.empty();
        }

        /**
         * A control with the INT widget's bounds as the frontend has them: the schema's min and max (0 and 2048 when
         * absent, as its number widget defaults) within ±2^50, and the schema's step (1 when absent).
         */
        private static Optional<ValueControl> control(List<Target> targets, Mode mode, InputSpec spec) {
            if (targets.isEmpty() || spec == null || spec.kind() != InputKind.INT) {
                return Optional.empty();
            }
            BigDecimal min = spec.min().orElse(BigDecimal.ZERO).max(BigDecimal.valueOf(ValueControl.FRONTEND_MIN))
                    .min(BigDecimal.valueOf(ValueControl.FRONTEND_MAX)).setScale(0, RoundingMode.CEILING);
            BigDecimal max = spec.max().orElse(BigDecimal.valueOf(2048)).min(BigDecimal.valueOf(ValueControl.FRONTEND_MAX))
                    .max(BigDecimal.valueOf(ValueControl.FRONTEND_MIN)).setScale(0, RoundingMode.FLOOR);
            BigDecimal step = spec.step().orElse(BigDecimal.ONE).setScale(0, RoundingMode.FLOOR);
            if (min.compareTo(max) > 0) {
                return Optional.empty(); // a schema the widget could not show; leave the value alone
            }
            return Optional.of(new ValueControl(targets, mode, min.longValueExact(), max.longValueExact(),
                    Math.max(1, step.min(BigDecimal.valueOf(ValueControl.FRONTEND_MAX)).longValue())));
        }

        private static boolean isWholeNumber(JsonElement value) {
            if (value == null || !value.isJsonPrimitive() || !value.getAsJsonPrimitive().isNumber()) {
                return false;
            }
            try {
                new BigDecimal(value.getAsString()).toBigIntegerExact();
                return true;
            } catch (NumberFormatException | ArithmeticException e) {
                return false;
            }
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
        private void check(Scope scope, Node node, InputSpec spec, JsonElement value) {
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
                throw conversion(scope, node, spec.name(), "widget " + spec.name() + " holds " + ComfyJson.write(value)
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
        private JsonElement resolve(Scope scope, int linkId, Set<String> seen, Node target, String inputName) {
            if (!seen.add(scope.prefix + linkId)) {
                throw conversion(scope, target, inputName, "input " + inputName
                        + " is fed by a loop of reroutes, bypassed nodes or subgraph boundaries");
            }
            Link link = scope.links.get(linkId);
            if (link == null) {
                return null;
            }
            if (link.originId().equals(UiWorkflow.SUBGRAPH_INPUT_NODE)) {
                // out through the subgraph's input to whatever feeds the instance's input
                return scope.instance == null ? null : follow(scope.parent, scope.instance, link.originSlot(), seen, target, inputName);
            }
            Node origin = scope.nodes.get(link.originId());
            if (origin == null || origin.mode() == UiWorkflow.MODE_NEVER) {
                return null;
            }
            if (isSubgraph(origin) && origin.mode() != UiWorkflow.MODE_BYPASS) {
                // into the subgraph, to what feeds its output
                Scope inner = child(scope, origin);
                for (Link l : inner.links.values()) {
                    if (l.targetId().equals(UiWorkflow.SUBGRAPH_OUTPUT_NODE) && l.targetSlot() == link.originSlot()) {
                        return resolve(inner, l.id(), seen, target, inputName);
                    }
                }
                return null;
            }
            switch (origin.type()) {
            case "Reroute":
                return follow(scope, origin, 0, seen, target, inputName);
            case "PrimitiveNode": {
                JsonArray values = origin.widgetValueList();
                if (values.isEmpty()) {
                    throw conversion(scope, origin, inputName, "PrimitiveNode " + origin.id() + " feeding input " + inputName
                            + " of node " + scope.prefix + target.id() + " has no value");
                }
                if (feeding != null && values.size() > 1) {
                    PrimitiveControl p = primitiveControls.computeIfAbsent(scope.prefix + origin.id(),
                            k -> new PrimitiveControl(values.get(0), values.get(1), feedingSpec));
                    p.targets.add(feeding);
                }
                return wrap(values.get(0));
            }
            case "GetNode": {
                JsonArray values = origin.widgetValueList();
                Node setter = values.isEmpty() || !values.get(0).isJsonPrimitive() ? null
                        : scope.setters.get(values.get(0).getAsString());
                return setter == null ? null : follow(scope, setter, 0, seen, target, inputName);
            }
            case "SetNode":
                return follow(scope, origin, 0, seen, target, inputName);
            default:
                break;
            }
            if (origin.mode() == UiWorkflow.MODE_BYPASS) {
                String type = link.type();
                boolean slotOk = link.originSlot() >= 0;
                if (slotOk && link.originSlot() < origin.outputs().size() && origin.outputs().get(link.originSlot()).type() != null) {
                    type = origin.outputs().get(link.originSlot()).type();
                }
                List<Input> inputs = origin.inputs();
                if (slotOk && link.originSlot() < inputs.size() && inputs.get(link.originSlot()).link() != null
                        && typesMatch(inputs.get(link.originSlot()).type(), type)) {
                    return follow(scope, origin, link.originSlot(), seen, target, inputName);
                }
                for (int i = 0; i < inputs.size(); i++) {
                    if (inputs.get(i).link() != null && typesMatch(inputs.get(i).type(), type)) {
                        return follow(scope, origin, i, seen, target, inputName);
                    }
                }
                return null;
            }
            JsonArray ref = new JsonArray();
            ref.add(scope.prefix + origin.id());
            ref.add(link.originSlot());
            return ref;
        }

        private JsonElement follow(Scope scope, Node through, int slot, Set<String> seen, Node target, String inputName) {
            if (slot < 0 || slot >= through.inputs().size() || through.inputs().get(slot).link() == null) {
                return null;
            }
            return resolve(scope, through.inputs().get(slot).link(), seen, target, inputName);
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

        private WorkflowException conversion(Scope scope, Node node, String widget, String message) {
            String id = scope.prefix + node.id();
            return new WorkflowException(Kind.CONVERSION, what, "node " + id + " (" + node.type() + "): " + message, id,
                    widget, List.of(node.type()), null);
        }
    }

}
