package comfy.workbench.workflows.api;

import java.util.Set;

/**
 * A library search. Every criterion given must hold; an empty query matches everything.
 *
 * @param text        words that must each occur in the name, description or tags (case-insensitive, prefix match
 *                    on word starts and substring anywhere); blank for none
 * @param nodeClasses node classes that must all be used, exactly as spelt in the schema ({@code KSampler})
 * @param outputTypes output types of which one must be produced ({@code IMAGE}, {@code VIDEO}); case-insensitive
 * @param limit       at most this many hits; 0 for no limit
 */
public record WorkflowQuery(String text, Set<String> nodeClasses, Set<String> outputTypes, int limit) {

    public WorkflowQuery {
        text = text == null ? "" : text;
        nodeClasses = nodeClasses == null ? Set.of() : Set.copyOf(nodeClasses);
        outputTypes = outputTypes == null ? Set.of() : Set.copyOf(outputTypes);
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + limit);
        }
    }

    /** A text search without a limit. */
    public static WorkflowQuery text(String text) {
        return new WorkflowQuery(text, Set.of(), Set.of(), 0);
    }

    public WorkflowQuery withNodeClasses(Set<String> classes) {
        return new WorkflowQuery(text, classes, outputTypes, limit);
    }

    public WorkflowQuery withOutputTypes(Set<String> types) {
        return new WorkflowQuery(text, nodeClasses, types, limit);
    }

    public WorkflowQuery withLimit(int newLimit) {
        return new WorkflowQuery(text, nodeClasses, outputTypes, newLimit);
    }
}
