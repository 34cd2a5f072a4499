package comfy.workbench.ui.health.internal;

import java.util.List;

import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;

import comfy.workbench.manager.api.HealthChange;
import comfy.workbench.ui.common.RowTable;

/** The recent changes of the aggregated status, newest first. */
final class HistoryTable {

    /** Column headers, in order; tests read cells by these indexes. */
    static final List<String> COLUMNS = List.of("When", "Change", "Reasons");
    static final int WHEN = 0;
    static final int CHANGE = 1;
    static final int REASONS = 2;

    private final RowTable<HealthChange> columns;

    HistoryTable(Composite parent, Icons icons) {
        // a change is a value: two changes are the same row when they are equal
        columns = new RowTable<>(parent, HealthChange.class, change -> change, SWT.SINGLE)
                .column(COLUMNS.get(WHEN), 8, 76, c -> Formats.time(c.at()), c -> Formats.fullTime(c.at()),
                        c -> icons.status(c.status()))
                .column(COLUMNS.get(CHANGE), 10, 110, Formats::change, null, null)
                .column(COLUMNS.get(REASONS), 20, 120, Formats::reasons,
                        c -> String.join("\n", c.reasons()), null);
    }

    TableViewer viewer() {
        return columns.viewer();
    }

    Composite holder() {
        return columns.holder();
    }
}
