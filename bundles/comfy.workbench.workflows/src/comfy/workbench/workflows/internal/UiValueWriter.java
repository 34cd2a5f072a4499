package comfy.workbench.workflows.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import comfy.workbench.model.api.NodeClass;
import comfy.workbench.model.api.NodeSchema;
import comfy.workbench.workflows.api.InputEdit;
import comfy.workbench.workflows.api.UiWorkflow;
import comfy.workbench.workflows.api.UiWorkflow.Input;
import comfy.workbench.workflows.api.UiWorkflow.Link;
import comfy.workbench.workflows.api.UiWorkflow.Node;
import comfy.workbench.workflows.api.WorkflowException;
import comfy.workbench.workflows.api.WorkflowException.Kind;

/**
 * Writes new input values into a UI workflow's widgets, where the frontend keeps them: the node's own
 * {@code widgets_values} (by the slot {@link UiConverter#widgetSlots} finds, or by name in the object form), or the
 * first value of the {@code PrimitiveNode} that feeds the input (through reroutes). Nodes inside subgraphs are
 * refused: every instance of a subgraph shares its definition's widgets, so one instance's value cannot be set alone.
 * Stateless and thread-safe.
 */
final class UiValueWriter {

    /**
     * The UI form with the edits written in, and the other inputs of the graph that change with them: a
     * PrimitiveNode's value is every input it feeds, so the graph's copies of it change too.
     */
    record Written(UiWorkflow ui, List<InputEdit> alsoChanged) {
    }

    /** The UI workflow with the edits written into it; nothing is changed when one cannot be written. */
    Written write(UiWorkflow ui, List<InputEdit> edits, NodeSchema schema, String what) {
        JsonObject tree = ui.toJsonTree();
        Map<String, JsonObject> jsonNodes = new HashMap<>();
        for (JsonElement n : tree.getAsJsonArray("nodes")) {
            JsonElement id = n.isJsonObject() ? n.getAsJsonObject().get("id") : null;
            if (id != null && id.isJsonPrimitive()) {
                jsonNodes.put(id.getAsString(), n.getAsJsonObject());
            }
        }
        Map<String, Node> nodes = new HashMap<>();
        ui.nodes().forEach(n -> nodes.put(n.id(), n));
        List<InputEdit> also = new ArrayList<>();
        for (InputEdit edit : edits) {
            String where = "input " + edit.input() + " of node " + edit.nodeId();
            if (edit.nodeId().contains(":")) {
                throw refused(what, edit, where + " lies inside a subgraph, whose definition every instance shares; "
                        + "change it in ComfyUI");
            }
            Node node = nodes.get(edit.nodeId());
            if (node == null) {
                throw refused(what, edit, "the UI form has no node " + edit.nodeId());
            }
            Input fed = linkedInput(node, edit.input());
            if (fed != null) {
                Node origin = origin(ui.links(), nodes, fed.link());
                if (origin == null || !origin.type().equals("PrimitiveNode")) {
                    throw refused(what, edit, where + " is fed by a link"
                            + (origin == null ? "" : " from node " + origin.id() + " (" + origin.type() + ")"));
                }
                JsonElement values = jsonNodes.get(origin.id()).get("widgets_values");
                if (values == null || !values.isJsonArray() || values.getAsJsonArray().isEmpty()) {
                    throw refused(what, edit, "PrimitiveNode " + origin.id() + " feeding " + where + " has no value");
                }
                values.getAsJsonArray().set(0, edit.value());
                // the frontend keeps each fed widget's own value in step with the primitive's
                for (Fed target : fedBy(ui.links(), nodes, origin)) {
                    writeOwnWidget(jsonNodes.get(target.node().id()), target.node(), target.input(), edit.value(), schema);
                    if (!(target.node().id().equals(edit.nodeId()) && target.input().equals(edit.input()))) {
                        also.add(new InputEdit(target.node().id(), target.input(), edit.value()));
                    }
                }
                continue;
            }
            NodeClass nodeClass = schema.nodeClass(node.type()).orElseThrow(() -> refused(what, edit,
                    "the server has no node class " + node.type() + " (node " + node.id() + ")"));
            JsonObject json = jsonNodes.get(node.id());
            JsonElement values = json.get("widgets_values");
            if (values != null && values.isJsonObject()) {
                values.getAsJsonObject().add(edit.input(), edit.value());
                continue;
            }
            JsonArray array = values != null && values.isJsonArray() ? values.getAsJsonArray() : new JsonArray();
            UiConverter.WidgetSlot slot = UiConverter.widgetSlots(nodeClass, array).stream()
                    .filter(s -> s.spec().name().equals(edit.input())).findFirst()
                    .orElseThrow(() -> refused(what, edit, where + " (" + node.type() + ") is not a widget"));
            if (slot.value() >= array.size()) {
                throw refused(what, edit, where + ": its widgets_values has " + array.size()
                        + " values, too few to hold it at position " + slot.value());
            }
            array.set(slot.value(), edit.value());
        }
        return new Written(UiWorkflow.of(tree, what), also);
    }

    /** An input a node's output feeds: the node it belongs to and its name (the widget's, for a converted one). */
    private record Fed(Node node, String input) {
    }

    /** The inputs a node's outputs feed, through reroutes. */
    private static List<Fed> fedBy(Map<Integer, Link> links, Map<String, Node> nodes, Node origin) {
        List<Fed> fed = new ArrayList<>();
        Deque<String> sources = new ArrayDeque<>(List.of(origin.id()));
        Set<String> seen = new HashSet<>();
        while (!sources.isEmpty()) {
            String source = sources.pop();
            if (!seen.add(source)) {
                continue;
            }
            for (Link link : links.values()) {
                Node target = link.originId().equals(source) ? nodes.get(link.targetId()) : null;
                if (target == null) {
                    continue;
                }
                if (target.type().equals("Reroute")) {
                    sources.push(target.id());
                } else {
                    // by the link's id: saved slots do not always match the inputs listed
                    target.inputs().stream().filter(input -> Integer.valueOf(link.id()).equals(input.link())).findFirst()
                            .ifPresent(input -> fed.add(new Fed(target, input.widget() != null ? input.widget()
                                    : input.name())));
                }
            }
        }
        return fed;
    }

    /** Sets a node's own widget value for an input, where its widgets_values has a slot for it. */
    private static void writeOwnWidget(JsonObject json, Node node, String input, JsonElement value, NodeSchema schema) {
        JsonElement values = json == null ? null : json.get("widgets_values");
        NodeClass nodeClass = schema.nodeClass(node.type()).orElse(null);
        if (values == null || nodeClass == null) {
            return;
        }
        if (values.isJsonObject()) {
            if (values.getAsJsonObject().has(input)) {
                values.getAsJsonObject().add(input, value.deepCopy());
            }
            return;
        }
        if (values.isJsonArray()) {
            JsonArray array = values.getAsJsonArray();
            UiConverter.widgetSlots(nodeClass, array).stream().filter(slot -> slot.spec().name().equals(input))
                    .filter(slot -> slot.value() < array.size()).findFirst()
                    .ifPresent(slot -> array.set(slot.value(), value.deepCopy()));
        }
    }

    private static Input linkedInput(Node node, String name) {
        for (Input input : node.inputs()) {
            if (input.link() != null && (name.equals(input.widget()) || name.equals(input.name()))) {
                return input;
            }
        }
        return null;
    }

    /** The node a link comes from, through reroutes; {@code null} when it leads nowhere. */
    private static Node origin(Map<Integer, Link> links, Map<String, Node> nodes, int linkId) {
        Integer next = linkId;
        for (int hops = 0; next != null && hops <= nodes.size(); hops++) {
            Link link = links.get(next);
            Node origin = link == null ? null : nodes.get(link.originId());
            if (origin == null || !origin.type().equals("Reroute")) {
                return origin;
            }
            next = origin.inputs().isEmpty() ? null : origin.inputs().get(0).link();
        }
        return null;
    }

    private static WorkflowException refused(String what, InputEdit edit, String message) {
        return new WorkflowException(Kind.CONVERSION, what, message + "; the workflow was not changed", edit.nodeId(),
                edit.input(), List.of(), null);
    }
}
