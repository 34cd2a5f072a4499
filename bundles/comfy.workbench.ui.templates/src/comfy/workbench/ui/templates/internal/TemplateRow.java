package comfy.workbench.ui.templates.internal;

import java.util.List;
import java.util.Optional;

import comfy.workbench.templates.api.Template;
import comfy.workbench.templates.api.TemplateProblem;
import comfy.workbench.workflows.api.LibraryEntry;

/**
 * A template as the table shows it: its index entry and, read once per revision, the template itself.
 *
 * @param entry      the library's entry
 * @param template   the template at the entry's revision; empty when it could not be read
 * @param unreadable why it could not be read, else {@code null}
 */
record TemplateRow(LibraryEntry entry, Optional<Template> template, String unreadable) {

    String id() {
        return entry.id();
    }

    String name() {
        return entry.name();
    }

    long revision() {
        return entry.revision();
    }

    List<TemplateProblem> problems() {
        return template.map(Template::problems).orElse(List.of());
    }

    /** Whether the template cannot run as it is: it could not be read, or bindings no longer fit its workflow. */
    boolean broken() {
        return unreadable != null || !problems().isEmpty();
    }
}
