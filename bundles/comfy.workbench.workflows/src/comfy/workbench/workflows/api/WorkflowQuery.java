package comfy.workbench.workflows.api;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A library search. Every criterion given must hold; an empty query matches everything.
 *
 * @param text        words that must each occur in the name, description, tags or node classes (case-insensitive,
 *                    prefix match on word starts and substring anywhere; node classes rank lowest); blank for none
 * @param nodeClasses node classes that must all be used, exactly as spelt in the schema ({@code KSampler})
 * @param outputTypes output types of which one must be produced ({@code IMAGE}, {@code VIDEO}); case-insensitive
 * @param limit       at most this many hits; 0 for no limit
 */
public record WorkflowQuery(String text, Set<String> nodeClasses, Set<String> outputTypes, int limit) {

    /** In a search text, the prefix of a node class the workflows must use ({@link #parse}). */
    public static final String NODE_PREFIX = "node:";

    /** In a search text, the prefix of an output type the workflows must produce ({@link #parse}). */
    public static final String OUTPUT_PREFIX = "output:";

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

    /**
     * The query a search field's text stands for: plain words search names, descriptions and tags;
     * {@code node:CLASS} asks for workflows that use a node class (spelt exactly as in the schema) and
     * {@code output:TYPE} for ones that produce a type.
     *
     * @since 0.3.0
     */
    public static WorkflowQuery parse(String searchText) {
        List<String> words = new ArrayList<>();
        Set<String> classes = new LinkedHashSet<>();
        Set<String> outputs = new LinkedHashSet<>();
        for (String word : searchText.strip().split("\\s+")) {
            String lower = word.toLowerCase(Locale.ROOT);
            if (lower.startsWith(NODE_PREFIX) && word.length() > NODE_PREFIX.length()) {
                classes.add(word.substring(NODE_PREFIX.length()));
            } else if (lower.startsWith(OUTPUT_PREFIX) && word.length() > OUTPUT_PREFIX.length()) {
                outputs.add(word.substring(OUTPUT_PREFIX.length()));
            } else if (!word.isEmpty()) {
                words.add(word);
            }
        }
        return text(String.join(" ", words)).withNodeClasses(classes).withOutputTypes(outputs);
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
