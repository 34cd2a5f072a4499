package comfy.workbench.templates.internal;

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

import comfy.workbench.templates.api.Binding;

/**
 * The inputs a UI form's {@code PrimitiveNode} feeds, through reroutes, as the API graph has them: the frontend's App
 * mode may name the primitive ({@code [4, "value"]}), which exists only in the UI form, while its value lives in every
 * widget input it is linked to. Top-level nodes only (a subgraph's primitive is not resolved).
 */
final class PrimitiveTargets {

    private PrimitiveTargets() {
    }

    /** The node's title in the UI form, or null. */
    static String title(JsonObject ui, String nodeId) {
        JsonObject node = nodes(ui).get(nodeId);
        JsonElement title = node == null ? null : node.get("title");
        return title != null && title.isJsonPrimitive() && !title.getAsString().isBlank() ? title.getAsString() : null;
    }

    /** The API inputs the primitive {@code nodeId} feeds, in link order; empty when it is no primitive. */
    static List<Binding> of(JsonObject ui, String nodeId) {
        Map<String, JsonObject> nodes = nodes(ui);
        JsonObject primitive = nodes.get(nodeId);
        if (primitive == null || !"PrimitiveNode".equals(text(primitive.get("type")))) {
            return List.of();
        }
        Map<String, String[]> links = links(ui);
        List<Binding> targets = new ArrayList<>();
        Deque<String> pending = new ArrayDeque<>(outgoing(primitive));
        Set<String> seen = new HashSet<>();
        while (!pending.isEmpty()) {
            String[] link = links.get(pending.removeFirst());
            if (link == null || !seen.add(link[0] + "/" + link[1])) {
                continue;
            }
            JsonObject target = nodes.get(link[0]);
            if (target == null) {
                continue;
            }
            if ("Reroute".equals(text(target.get("type")))) {
                pending.addAll(outgoing(target));
                continue;
            }
            String input = inputName(target, link[1]);
            if (input != null) {
                targets.add(new Binding(link[0], input));
            }
        }
        return targets;
    }

    private static Map<String, JsonObject> nodes(JsonObject ui) {
        Map<String, JsonObject> nodes = new HashMap<>();
        JsonElement all = ui.get("nodes");
        if (all != null && all.isJsonArray()) {
            for (JsonElement n : all.getAsJsonArray()) {
                if (n.isJsonObject() && text(n.getAsJsonObject().get("id")) != null) {
                    nodes.put(text(n.getAsJsonObject().get("id")), n.getAsJsonObject());
                }
            }
        }
        return nodes;
    }

    /** By link id: target node id and target slot (schema 0.4 arrays and schema 1 objects alike). */
    private static Map<String, String[]> links(JsonObject ui) {
        Map<String, String[]> links = new HashMap<>();
        JsonElement all = ui.get("links");
        if (all == null || !all.isJsonArray()) {
            return links;
        }
        for (JsonElement l : all.getAsJsonArray()) {
            if (l.isJsonArray() && l.getAsJsonArray().size() >= 5) {
                JsonArray a = l.getAsJsonArray();
                put(links, text(a.get(0)), text(a.get(3)), text(a.get(4)));
            } else if (l.isJsonObject()) {
                JsonObject o = l.getAsJsonObject();
                put(links, text(o.get("id")), text(o.get("target_id")), text(o.get("target_slot")));
            }
        }
        return links;
    }

    private static void put(Map<String, String[]> links, String id, String target, String slot) {
        if (id != null && target != null && slot != null) {
            links.put(id, new String[] { target, slot });
        }
    }

    private static List<String> outgoing(JsonObject node) {
        List<String> ids = new ArrayList<>();
        JsonElement outputs = node.get("outputs");
        if (outputs != null && outputs.isJsonArray()) {
            for (JsonElement out : outputs.getAsJsonArray()) {
                JsonElement links = out.isJsonObject() ? out.getAsJsonObject().get("links") : null;
                if (links != null && links.isJsonArray()) {
                    links.getAsJsonArray().forEach(id -> {
                        if (text(id) != null) {
                            ids.add(text(id));
                        }
                    });
                }
            }
        }
        return ids;
    }

    /** The widget the slot stands for (a widget turned into an input says so), else the input's name. */
    private static String inputName(JsonObject node, String slot) {
        JsonElement inputs = node.get("inputs");
        int index;
        try {
            index = Integer.parseInt(slot);
        } catch (NumberFormatException e) {
            return null;
        }
        if (inputs == null || !inputs.isJsonArray() || index < 0 || index >= inputs.getAsJsonArray().size()
                || !inputs.getAsJsonArray().get(index).isJsonObject()) {
            return null;
        }
        JsonObject input = inputs.getAsJsonArray().get(index).getAsJsonObject();
        JsonElement widget = input.get("widget");
        if (widget != null && widget.isJsonObject() && text(widget.getAsJsonObject().get("name")) != null) {
            return text(widget.getAsJsonObject().get("name"));
        }
        return text(input.get("name"));
    }

    private static String text(JsonElement e) {
        if (e == null || !e.isJsonPrimitive()) {
            return null;
        }
        String s = e.getAsString();
        // ids written as numbers come back as "4" or, from some editors, "4.0"
        return s.endsWith(".0") && s.length() > 2 && s.substring(0, s.length() - 2).chars().allMatch(Character::isDigit)
                ? s.substring(0, s.length() - 2) : s;
    }
}
