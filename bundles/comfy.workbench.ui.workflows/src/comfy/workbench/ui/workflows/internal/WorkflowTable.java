package comfy.workbench.ui.workflows.internal;

import java.util.List;

import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;

import comfy.workbench.ui.common.RowTable;
import comfy.workbench.ui.common.Times;
import comfy.workbench.workflows.api.LibraryEntry;

/**
 * The library's workflows, one row each. Rows are matched by workflow id, so that a refresh updates cells in place and
 * keeps the selection when a workflow gets a new revision.
 */
final class WorkflowTable {

    /** Column headers, in order; tests read cells by these indexes. */
    static final List<String> COLUMNS = List.of("Name", "Format", "Classes", "Outputs", "Tags", "Modified", "Revision");
    static final int NAME = 0;
    static final int FORMAT = 1;
    static final int CLASSES = 2;
    static final int OUTPUTS = 3;
    static final int TAGS = 4;
    static final int MODIFIED = 5;
    static final int REVISION = 6;

    private final RowTable<LibraryEntry> table;

    WorkflowTable(Composite parent) {
        table = new RowTable<>(parent, LibraryEntry.class, LibraryEntry::id, SWT.SINGLE)
                .column(COLUMNS.get(NAME), 20, 120, LibraryEntry::name, Formats::nameTip, null)
                .column(COLUMNS.get(FORMAT), 5, 45, e -> Formats.format(e.format()), null, null)
                .column(COLUMNS.get(CLASSES), 5, 50, e -> Integer.toString(e.nodeClasses().size()),
                        e -> Formats.sortedList(e.nodeClasses()), null)
                .column(COLUMNS.get(OUTPUTS), 7, 60, e -> Formats.orNone(Formats.sortedList(e.outputTypes())), null, null)
                .column(COLUMNS.get(TAGS), 10, 60, e -> Formats.orNone(String.join(", ", e.metadata().tags())), null, null)
                .column(COLUMNS.get(MODIFIED), 8, 70, e -> Times.time(e.metadata().modified()),
                        e -> Formats.fullTime(e.metadata().modified()), null)
                .column(COLUMNS.get(REVISION), 4, 40, e -> Long.toString(e.revision()), null, null);
    }

    TableViewer viewer() {
        return table.viewer();
    }
}
