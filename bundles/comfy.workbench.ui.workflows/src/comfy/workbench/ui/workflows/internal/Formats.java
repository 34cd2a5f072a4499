package comfy.workbench.ui.workflows.internal;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import comfy.workbench.ui.common.Times;
import comfy.workbench.workflows.api.Finding;
import comfy.workbench.workflows.api.LibraryEntry;
import comfy.workbench.workflows.api.LibraryProblem;
import comfy.workbench.workflows.api.WorkflowFormat;

/** The texts of the Workflows view, kept apart from the widgets so that they read the same everywhere. */
final class Formats {

    /** The search field's hint, also its tooltip ({@link comfy.workbench.workflows.api.WorkflowQuery#parse}). */
    static final String SEARCH_HINT = "Search names, descriptions, tags; node:KSampler, output:IMAGE";

    static final String NONE = Times.NONE;

    private Formats() {
    }

    static String format(WorkflowFormat format) {
        return switch (format) {
            case API_JSON -> "API";
            case UI_JSON -> "UI";
            case PNG -> "PNG";
        };
    }

    static String nameTip(LibraryEntry e) {
        return e.id() + (e.metadata().source().isEmpty() ? "" : "\nfrom " + e.metadata().source())
                + (e.metadata().description().isEmpty() ? "" : "\n" + e.metadata().description());
    }

    static String sortedList(Collection<String> items) {
        return items.stream().sorted().collect(Collectors.joining(", "));
    }

    static String orNone(String text) {
        return text == null || text.isEmpty() ? NONE : text;
    }

    static String fullTime(Instant when) {
        return Times.fullTime(when, NONE);
    }

    static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /** The status line: how many workflows there are (and match), and how many files could not be loaded. */
    static String summary(Snapshot s) {
        String shown = s.filtered() ? s.rows().size() + " of " + count(s.total(), "workflow") + " match"
                : count(s.total(), "workflow");
        int bad = s.problems().size();
        return bad == 0 ? shown : shown + "; " + count(bad, "file") + " could not be loaded";
    }

    /** The status line's tooltip: the files that could not be loaded and why; null without any. */
    static String problems(List<LibraryProblem> problems) {
        if (problems.isEmpty()) {
            return null;
        }
        return "Not loaded (left as they are; fix or remove them, then Refresh):\n" + problems.stream()
                .map(p -> p.file() + ": " + p.message()).collect(Collectors.joining("\n"));
    }

    /**
     * The details of the selected workflow.
     *
     * @param nodes      how many nodes its graph has, once read
     * @param validation its last validation in this session, if any
     * @param failure    why the last attempt to validate it failed, if it did (after the validation above)
     */
    static String details(LibraryEntry e, String nodes, Optional<Validation> validation, Optional<String> failure) {
        StringBuilder b = new StringBuilder();
        b.append(e.name()).append("  (").append(e.id()).append(", revision ").append(e.revision()).append(", ")
                .append(format(e.format())).append(" JSON)\n");
        b.append(e.metadata().description().isEmpty() ? "No description." : e.metadata().description()).append("\n\n");
        // the validation before the facts: it is what the user just asked for, and it must not scroll out of sight
        failure.ifPresent(f -> b.append(f).append('\n'));
        b.append(validation.map(v -> validation(e, v)).orElse(failure.isPresent() ? "" : "Not validated yet."))
                .append('\n');
        b.append("\nNodes: ").append(nodes);
        b.append("\nNode classes: ").append(orNone(sortedList(e.nodeClasses())));
        b.append("\nOutput types: ").append(orNone(sortedList(e.outputTypes())));
        b.append("\nTags: ").append(orNone(String.join(", ", e.metadata().tags())));
        b.append("\nSource: ").append(orNone(e.metadata().source()));
        b.append("\nCreated: ").append(fullTime(e.metadata().created())).append("   Modified: ")
                .append(fullTime(e.metadata().modified()));
        return b.toString();
    }

    private static String validation(LibraryEntry e, Validation v) {
        String head = "Validated against " + v.server() + " at " + Times.time(v.at())
                + (v.revision() == e.revision() ? "" : " (revision " + v.revision() + ", since changed)");
        List<Finding> findings = v.report().findings();
        if (findings.isEmpty()) {
            return head + ": valid, every output would run.";
        }
        return head + ": " + count(findings.size(), "problem")
                + (v.report().accepted() ? " (the server would queue it, dropping outputs)" : "") + "\n"
                + findings.stream().map(f -> "  \u2022 " + f).collect(Collectors.joining("\n"));
    }
}
