package comfy.workbench.ui.templates.internal;

import java.util.List;

import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;

import comfy.workbench.ui.common.RowTable;
import comfy.workbench.ui.common.Times;

/**
 * The library's templates, one row each. Rows are matched by template id, so that a refresh updates cells in place and
 * keeps the selection when a template gets a new revision.
 */
final class TemplateTable {

    /** Column headers, in order; tests read cells by these indexes. */
    static final List<String> COLUMNS = List.of("Name", "Parameters", "Tags", "Modified", "Problems", "Revision");
    static final int NAME = 0;
    static final int PARAMETERS = 1;
    static final int TAGS = 2;
    static final int MODIFIED = 3;
    static final int PROBLEMS = 4;
    static final int REVISION = 5;

    private final RowTable<TemplateRow> table;

    TemplateTable(Composite parent) {
        table = new RowTable<>(parent, TemplateRow.class, TemplateRow::id, SWT.SINGLE)
                .column(COLUMNS.get(NAME), 20, 120, TemplateRow::name, Formats::nameTip, null)
                .column(COLUMNS.get(PARAMETERS), 6, 60, Formats::parameterCount, Formats::parameterList, null)
                .column(COLUMNS.get(TAGS), 10, 60, r -> Formats.orNone(String.join(", ", r.entry().metadata().tags())),
                        null, null)
                .column(COLUMNS.get(MODIFIED), 8, 70, r -> Times.time(r.entry().metadata().modified()),
                        r -> Times.fullTime(r.entry().metadata().modified(), Formats.NONE), null)
                .column(COLUMNS.get(PROBLEMS), 12, 70, Formats::problemCell, Formats::problemList, null)
                .column(COLUMNS.get(REVISION), 4, 40, r -> Long.toString(r.revision()), null, null);
    }

    TableViewer viewer() {
        return table.viewer();
    }
}
