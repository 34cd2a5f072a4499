package comfy.workbench.templates.api;

import java.util.Objects;

/**
 * Where a parameter's value goes: an input of a node of the template's API graph.
 *
 * @param nodeId the node id ({@code "3"}, or {@code "12:5"} inside an expanded subgraph)
 * @param input  the input name ({@code seed})
 */
public record Binding(String nodeId, String input) {

    public Binding {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(input, "input");
    }

    @Override
    public String toString() {
        return nodeId + "." + input;
    }
}
