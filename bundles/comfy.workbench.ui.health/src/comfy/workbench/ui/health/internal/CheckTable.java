package comfy.workbench.ui.health.internal;

import java.util.List;

import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;

import comfy.workbench.manager.api.CheckResult;
import comfy.workbench.ui.common.RowTable;

/** The health checks: one row per check with its latest result, matched by the check's name. */
final class CheckTable {

    /**
     * CRITICAL, then WARN, then OK, each in the manager's order (by name): the table is a few rows high, and a failing
     * check must not be below its fold.
     */
    static List<CheckResult> problemsFirst(List<CheckResult> checks) {
        List<CheckResult> sorted = new java.util.ArrayList<>(checks);
        sorted.sort(java.util.Comparator.comparing(CheckResult::status).reversed()); // stable
        return sorted;
    }

    /** Column headers, in order; tests read cells by these indexes. */
    static final List<String> COLUMNS = List.of("Status", "Check", "Message", "Tags", "Last Checked", "Failing Since",
            "Recovery");
    static final int STATUS = 0;
    static final int NAME = 1;
    static final int MESSAGE = 2;
    static final int TAGS = 3;
    static final int CHECKED = 4;
    static final int FAILING_SINCE = 5;
    static final int RECOVERY = 6;

    private final RowTable<CheckResult> columns;

    CheckTable(Composite parent, Icons icons) {
        columns = new RowTable<>(parent, CheckResult.class, CheckResult::name, SWT.SINGLE)
                .column(COLUMNS.get(STATUS), 8, 84, c -> c.status().name(), Formats::checkDetail,
                        c -> icons.status(c.status()))
                .column(COLUMNS.get(NAME), 12, 110, CheckResult::name, Formats::checkDetail, null)
                .column(COLUMNS.get(MESSAGE), 30, 180, c -> c.result().message(), c -> c.result().message(), null)
                .column(COLUMNS.get(TAGS), 8, 70, Formats::tags, null, null)
                .column(COLUMNS.get(CHECKED), 8, 96, c -> Formats.time(c.checkedAt()),
                        c -> Formats.fullTime(c.checkedAt()) + " (took " + Formats.millis(c.took()) + ")", null)
                .column(COLUMNS.get(FAILING_SINCE), 8, 100, c -> Formats.time(c.failingSince()),
                        c -> c.failingSince() == null ? null : Formats.fullTime(c.failingSince()), null)
                .column(COLUMNS.get(RECOVERY), 14, 100, Formats::recovery, Formats::recovery, null);
    }

    TableViewer viewer() {
        return columns.viewer();
    }

    Composite holder() {
        return columns.holder();
    }
}
