package comfy.workbench.ui.templates.internal;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import comfy.workbench.templates.api.Template;
import comfy.workbench.templates.api.TemplateLibrary;
import comfy.workbench.workflows.api.LibraryEntry;
import comfy.workbench.workflows.api.LibraryProblem;
import comfy.workbench.workflows.api.SearchHit;
import comfy.workbench.workflows.api.WorkflowQuery;

/**
 * What the view shows, read from the library off the UI thread.
 *
 * @param rows     the templates that match the search, by name
 * @param total    how many templates the library has
 * @param problems the files the library could not load
 * @param search   the search text the rows answer
 */
record Snapshot(List<TemplateRow> rows, int total, List<LibraryProblem> problems, String search) {

    /** By name, as {@link TemplateLibrary#entries()} lists them; search hits come best first and are sorted so too. */
    static final Comparator<LibraryEntry> BY_NAME = Comparator
            .comparing((LibraryEntry e) -> e.name().toLowerCase(Locale.ROOT)).thenComparing(LibraryEntry::id);

    Snapshot {
        rows = List.copyOf(rows);
        problems = List.copyOf(problems);
    }

    /**
     * Reads the library's index now, and each template not read yet at its revision (its parameters and problems).
     *
     * @param read the templates read so far by {@code id#revision}; the reading thread's own, updated here
     */
    static Snapshot of(TemplateLibrary library, String search, Map<String, TemplateRow> read) {
        List<LibraryEntry> all = library.entries();
        List<LibraryEntry> entries = search.isBlank() ? all
                : library.search(WorkflowQuery.parse(search)).stream().map(SearchHit::entry).sorted(BY_NAME).toList();
        Map<String, TemplateRow> now = new HashMap<>();
        List<TemplateRow> rows = entries.stream().map(e -> {
            String key = e.id() + "#" + e.revision();
            TemplateRow row = read.containsKey(key) ? read.get(key) : row(library, e);
            now.put(key, row);
            return row;
        }).toList();
        if (!search.isBlank()) {
            // keep what the search hides: clearing it must not read every template again
            for (LibraryEntry e : all) {
                String key = e.id() + "#" + e.revision();
                TemplateRow kept = read.get(key);
                if (kept != null) {
                    now.putIfAbsent(key, kept);
                }
            }
        }
        read.clear();
        read.putAll(now);
        return new Snapshot(rows, all.size(), library.problems(), search);
    }

    private static TemplateRow row(TemplateLibrary library, LibraryEntry e) {
        try {
            Template t = library.read(e.id());
            // the entry is what was listed; the template may be newer, and shows at the next read
            return new TemplateRow(e, Optional.of(t), null);
        } catch (RuntimeException x) {
            // a TemplateException CORRUPT, or a LibraryException when it went away meanwhile
            return new TemplateRow(e, Optional.empty(), x.getMessage());
        }
    }

    boolean filtered() {
        return !search.isBlank();
    }
}
