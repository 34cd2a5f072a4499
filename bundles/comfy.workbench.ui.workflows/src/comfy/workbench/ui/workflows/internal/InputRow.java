package comfy.workbench.ui.workflows.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.google.gson.JsonElement;

import comfy.workbench.model.api.InputKind;
import comfy.workbench.model.api.InputSpec;
import comfy.workbench.model.api.NodeClass;
import comfy.workbench.model.api.NodeSchema;
import comfy.workbench.model.api.PromptGraph;
import comfy.workbench.model.api.PromptNode;
import comfy.workbench.workflows.api.Finding;

/**
 * One input of a workflow's graph as the editor lists it.
 *
 * @param nodeId    the node's id
 * @param node      the node as the user knows it: id, title and class
 * @param input     the input's name
 * @param value     its value in the graph: a literal, or a link {@code [node id, slot]}
 * @param spec      the server's description of the input, when the schema is known and has it
 * @param edited    whether the editor changed it since the workflow was read
 * @param problem   what the validator found wrong with it, or {@code ""}
 */
record InputRow(String nodeId, String node, String input, JsonElement value, InputSpec spec, boolean edited,
        String problem) {

    /** What identifies the row across readings. */
    String key() {
        return nodeId + "\u0000" + input;
    }

    boolean linked() {
        return PromptNode.Link.of(value).isPresent();
    }

    /** Whether the user may type a new value: a literal, and not a list or object the widgets do not hold. */
    boolean editable() {
        return !linked() && value.isJsonPrimitive();
    }

    Optional<InputKind> kind() {
        return Optional.ofNullable(spec).map(InputSpec::kind);
    }

    /**
     * The rows of a graph: nodes by id (numbers in order), each node's inputs in the order the server declares
     * them, then any it does not know; {@code problems} by node id and input name ({@code ""} for the node's own).
     */
    static List<InputRow> of(PromptGraph graph, NodeSchema schema, Set<String> edited, List<Finding> findings) {
        Map<String, String> problems = new LinkedHashMap<>();
        for (Finding f : findings) {
            String key = f.nodeId() + "\u0000" + (f.inputName() == null ? "" : f.inputName());
            problems.merge(key, f.message(), (a, b) -> a + "; " + b);
        }
        List<InputRow> rows = new ArrayList<>();
        List<PromptNode> nodes = new ArrayList<>(graph.nodes().values());
        nodes.sort(Comparator.comparing(PromptNode::id, InputRow::compareIds));
        for (PromptNode node : nodes) {
            Optional<NodeClass> nodeClass = schema == null ? Optional.empty() : schema.nodeClass(node.classType());
            Set<String> names = new LinkedHashSet<>();
            nodeClass.ifPresent(c -> c.inputs().forEach(s -> names.add(s.name())));
            names.retainAll(node.inputs().keySet());
            names.addAll(node.inputs().keySet());
            String label = node.id() + " \u00b7 " + (node.title() == null || node.title().isBlank()
                    || node.title().equals(node.classType()) ? node.classType() : node.title() + " (" + node.classType() + ")");
            String nodeProblem = problems.getOrDefault(node.id() + "\u0000", "");
            for (String name : names) {
                String problem = problems.getOrDefault(node.id() + "\u0000" + name, "");
                rows.add(new InputRow(node.id(), label, name, node.inputs().get(name),
                        nodeClass.flatMap(c -> c.input(name)).orElse(null), edited.contains(node.id() + "\u0000" + name),
                        problem.isEmpty() ? nodeProblem : problem));
            }
        }
        return rows;
    }

    /** Numeric ids in numeric order, subgraph ids ("5:12") part by part, other ids after them by text. */
    static int compareIds(String a, String b) {
        String[] x = a.split(":");
        String[] y = b.split(":");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int c = comparePart(x[i], y[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.length, y.length);
    }

    private static int comparePart(String a, String b) {
        boolean an = a.matches("\\d{1,18}");
        boolean bn = b.matches("\\d{1,18}");
        if (an && bn) {
            return Long.compare(Long.parseLong(a), Long.parseLong(b));
        }
        return an ? -1 : bn ? 1 : a.compareTo(b);
    }
}
