package comfy.workbench.ui.workflows.internal;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import comfy.workbench.workflows.api.LibraryEntry;
import comfy.workbench.workflows.api.LibraryProblem;
import comfy.workbench.workflows.api.SearchHit;
import comfy.workbench.workflows.api.WorkflowQuery;
import comfy.workbench.workflows.api.WorkflowLibrary;

/**
 * What the view shows, read from the library off the UI thread.
 *
 * @param rows     the workflows that match the search, by name
 * @param total    how many workflows the library has
 * @param problems the files the library could not load
 * @param search   the search text the rows answer
 */
record Snapshot(List<LibraryEntry> rows, int total, List<LibraryProblem> problems, String search) {

    /** By name, as {@link WorkflowLibrary#entries()} lists them; search hits come best first and are sorted so too. */
    static final Comparator<LibraryEntry> BY_NAME = Comparator
            .comparing((LibraryEntry e) -> e.name().toLowerCase(Locale.ROOT)).thenComparing(LibraryEntry::id);

    Snapshot {
        rows = List.copyOf(rows);
        problems = List.copyOf(problems);
    }

    /** Reads the library's index now (memory only: {@link WorkflowLibrary#refresh()} is what reads the folder). */
    static Snapshot of(WorkflowLibrary library, String search) {
        List<LibraryEntry> all = library.entries();
        List<LibraryEntry> rows = search.isBlank() ? all
                : library.search(WorkflowQuery.parse(search)).stream().map(SearchHit::entry).sorted(BY_NAME).toList();
        return new Snapshot(rows, all.size(), library.problems(), search);
    }

    boolean filtered() {
        return !search.isBlank();
    }
}
