package comfy.workbench.workflows.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

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

    /** The UI workflow with the edits written into it; nothing is changed when one cannot be written. */
    UiWorkflow write(UiWorkflow ui, List<InputEdit> edits, NodeSchema schema, String what) {
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
        return UiWorkflow.of(tree, what);
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
