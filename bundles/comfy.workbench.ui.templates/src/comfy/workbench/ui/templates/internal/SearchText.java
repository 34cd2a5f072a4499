package comfy.workbench.ui.templates.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import comfy.workbench.workflows.api.WorkflowQuery;

/**
 * What the search field means, as in the Workflows view: plain words search names, descriptions and tags;
 * {@code node:CLASS} asks for templates whose workflow uses a node class and {@code output:TYPE} for ones that produce
 * a type. The template library does the searching.
 */
final class SearchText {

    static final String NODE = "node:";
    static final String OUTPUT = "output:";

    /** The field's hint, also its tooltip. */
    static final String HINT = "Search names, descriptions, tags; node:KSampler, output:IMAGE";

    private SearchText() {
    }

    /** The library query the field's text stands for. */
    static WorkflowQuery query(String text) {
        List<String> words = new ArrayList<>();
        Set<String> classes = new LinkedHashSet<>();
        Set<String> outputs = new LinkedHashSet<>();
        for (String word : text.strip().split("\\s+")) {
            String lower = word.toLowerCase(Locale.ROOT);
            if (lower.startsWith(NODE) && word.length() > NODE.length()) {
                classes.add(word.substring(NODE.length()));
            } else if (lower.startsWith(OUTPUT) && word.length() > OUTPUT.length()) {
                outputs.add(word.substring(OUTPUT.length()));
            } else if (!word.isEmpty()) {
                words.add(word);
            }
        }
        return WorkflowQuery.text(String.join(" ", words)).withNodeClasses(classes).withOutputTypes(outputs);
    }
}
