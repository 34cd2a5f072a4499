package comfy.workbench.ui.templates.internal;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.google.gson.JsonElement;
import com.google.gson.JsonPrimitive;

import comfy.workbench.templates.api.GraphChange;
import comfy.workbench.templates.api.Parameter;
import comfy.workbench.templates.api.ParameterType;
import comfy.workbench.templates.api.Preview;
import comfy.workbench.templates.api.SweepAxis;
import comfy.workbench.templates.api.Template;
import comfy.workbench.templates.api.TemplateProblem;
import comfy.workbench.ui.common.Times;
import comfy.workbench.workflows.api.Finding;
import comfy.workbench.workflows.api.LibraryProblem;

/** The texts of the Templates view, kept apart from the widgets so that they read the same everywhere. */
final class Formats {

    /** The search field's hint, also its tooltip ({@link comfy.workbench.workflows.api.WorkflowQuery#parse}). */
    static final String SEARCH_HINT = "Search names, descriptions, tags; node:KSampler, output:IMAGE";

    static final String NONE = Times.NONE;

    private Formats() {
    }

    static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    static String orNone(String text) {
        return text == null || text.isEmpty() ? NONE : text;
    }

    // ---- the table

    static String nameTip(TemplateRow r) {
        var m = r.entry().metadata();
        return r.id() + (m.source().isEmpty() ? "" : "\nfrom " + m.source())
                + (m.description().isEmpty() ? "" : "\n" + m.description());
    }

    static String parameterCount(TemplateRow r) {
        return r.template().map(t -> Integer.toString(t.parameters().size())).orElse("?");
    }

    static String parameterList(TemplateRow r) {
        return r.template().map(t -> t.parameters().stream().map(p -> p.name() + " (" + type(p) + ")")
                .collect(Collectors.joining("\n"))).orElse(r.unreadable());
    }

    static String problemCell(TemplateRow r) {
        if (r.unreadable() != null) {
            return "cannot be read";
        }
        int n = r.problems().size();
        return n == 0 ? NONE : count(n, "binding") + " no longer fit" + (n == 1 ? "s" : "");
    }

    static String problemList(TemplateRow r) {
        if (r.unreadable() != null) {
            return r.unreadable();
        }
        return r.problems().isEmpty() ? null
                : r.problems().stream().map(TemplateProblem::message).collect(Collectors.joining("\n"));
    }

    /** The status line: how many templates there are (and match), and how many files could not be loaded. */
    static String summary(Snapshot s) {
        String shown = s.filtered() ? s.rows().size() + " of " + count(s.total(), "template") + " match"
                : count(s.total(), "template");
        long broken = s.rows().stream().filter(TemplateRow::broken).count();
        if (broken > 0) {
            shown += "; " + broken + " cannot run";
        }
        int bad = s.problems().size();
        return bad == 0 ? shown : shown + "; " + count(bad, "file") + " could not be loaded";
    }

    /** The status line's tooltip: the files that could not be loaded and why; null without any. */
    static String libraryProblems(List<LibraryProblem> problems) {
        if (problems.isEmpty()) {
            return null;
        }
        return "Not loaded (left as they are; fix or remove them, then Refresh):\n" + problems.stream()
                .map(p -> p.file() + ": " + p.message()).collect(Collectors.joining("\n"));
    }

    // ---- the form

    static String type(Parameter p) {
        return p.seed() ? "seed" : p.type().name();
    }

    /** The field's text for a value: numbers as written ({@code 1.5}, not {@code 1.5E0}), text as it is. */
    static String text(JsonElement value) {
        if (value == null || value.isJsonNull()) {
            return "";
        }
        if (value.isJsonPrimitive()) {
            JsonPrimitive p = value.getAsJsonPrimitive();
            if (p.isNumber()) {
                BigDecimal d = p.getAsBigDecimal();
                return d.scale() > 0 ? d.stripTrailingZeros().toPlainString() : d.toPlainString();
            }
            return p.getAsString();
        }
        return value.toString();
    }

    /** What a field takes, shown in it while it is empty and beside it. */
    static String hint(Parameter p) {
        String sweep = "several: a" + SweepAxis.separator(p.type()).strip() + " b";
        return switch (p.type()) {
            case INT, FLOAT -> range(p) + (p.seed() ? "; or random" : "") + "; " + sweep;
            case COMBO -> p.options().isEmpty() ? "a choice of the server; " + sweep : count(p.options().size(), "option") + "; " + sweep;
            case STRING -> "text; " + sweep;
            case IMAGE -> "an image file, or a server input image; " + sweep;
            case BOOLEAN -> "";
        };
    }

    private static String range(Parameter p) {
        String min = p.min() == null ? "" : p.min().stripTrailingZeros().toPlainString();
        String max = p.max() == null ? "" : p.max().stripTrailingZeros().toPlainString();
        String step = p.step() == null ? "" : ", step " + p.step().stripTrailingZeros().toPlainString();
        String kind = p.type() == ParameterType.INT ? "whole number" : "number";
        return (min.isEmpty() && max.isEmpty() ? kind : kind + " " + min + " \u2026 " + max) + step;
    }

    /** The tooltip of a parameter's label: what it is and where its value goes. */
    static String tip(Parameter p) {
        return p.name() + " (" + type(p) + ")\n" + hint(p) + "\nwritten to "
                + p.bindings().stream().map(Object::toString).collect(Collectors.joining(", "))
                + p.defaultIfAny().map(d -> "\ndefault " + text(d)).orElse("\nno default: a value is required");
    }

    /** The template's line over the form. */
    static String header(Template t) {
        String description = t.metadata().description();
        return t.name() + "  (" + t.id() + ", revision " + t.revision() + ", " + count(t.parameters().size(), "parameter")
                + ")" + (description.isEmpty() ? "" : "\n" + description);
    }

    /** What cannot run about a template, for the form; empty when it can. */
    static String problems(Template t) {
        if (t.problems().isEmpty()) {
            return "";
        }
        return "This template cannot run: " + count(t.problems().size(), "binding") + " no longer fit"
                + (t.problems().size() == 1 ? "s" : "") + " its workflow (recreate it with `comfy templates create`):\n"
                + t.problems().stream().map(p -> "  \u2022 " + p.parameter() + " \u2192 " + p.binding() + ": " + p.message())
                        .collect(Collectors.joining("\n"));
    }

    // ---- preview

    /** The values of one combination, for names and messages: {@code steps=20, cfg=7}. */
    static String combination(Map<String, Object> values, List<String> swept) {
        return swept.stream().map(n -> n + "=" + values.get(n)).collect(Collectors.joining(", "));
    }

    /**
     * The details of a preview.
     *
     * @param which "combination 1 of 3 (steps=20)", or empty for a single one
     */
    static String preview(Template t, String server, String which, Preview p) {
        StringBuilder b = new StringBuilder();
        b.append("Preview of ").append(t.name()).append(" against ").append(server)
                .append(which.isEmpty() ? "" : ", " + which).append(" (nothing was run or uploaded)\n\n");
        b.append(validation(p)).append("\n\n");
        List<GraphChange> changes = p.changes();
        b.append(changes.isEmpty() ? "No changes: the values are the base workflow's."
                : count(changes.size(), "change") + " against the base workflow:");
        for (GraphChange c : changes) {
            b.append("\n  \u2022 ").append(c.nodeId()).append(" (").append(c.classType()).append(").").append(c.input())
                    .append(": ").append(c.before()).append(" \u2192 ").append(c.after());
        }
        b.append("\n\nValues:");
        p.values().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> b.append("\n  ").append(e.getKey()).append(" = ").append(e.getValue()));
        return b.toString();
    }

    static String validation(Preview p) {
        List<Finding> findings = p.validation().findings();
        if (findings.isEmpty()) {
            return "Valid: every output would run.";
        }
        return count(findings.size(), "problem") + (p.validation().accepted() ? " (the server would queue it, dropping outputs)" : "")
                + ":\n" + findings.stream().map(f -> "  \u2022 " + f).collect(Collectors.joining("\n"));
    }
}
