package comfy.workbench.ui.queue.internal;

import java.util.List;
import java.util.function.Function;

import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;

import comfy.workbench.queue.api.Job;
import comfy.workbench.ui.common.RowTable;
import comfy.workbench.ui.common.Times;

/**
 * The jobs, one row each. Rows are matched by job id, so that a refresh updates cells in place and keeps the
 * selection while a job moves through its states.
 */
final class JobTable {

    /** Column headers, in order; tests read cells by these indexes. */
    static final List<String> COLUMNS = List.of("Job", "State", "Progress", "Priority", "Server", "Attempts", "Batch",
            "Created", "Updated", "Outputs", "Error");
    static final int NAME = 0;
    static final int STATE = 1;
    static final int PROGRESS = 2;
    static final int PRIORITY = 3;
    static final int SERVER = 4;
    static final int ATTEMPTS = 5;
    static final int BATCH = 6;
    static final int CREATED = 7;
    static final int UPDATED = 8;
    static final int OUTPUTS = 9;
    static final int ERROR = 10;

    private final RowTable<Job> table;

    /** @param progress a running job's progress text, from the snapshot being rendered */
    JobTable(Composite parent, Icons icons, Function<Job, String> progress) {
        table = new RowTable<>(parent, Job.class, Job::id, SWT.MULTI)
                // the whole name first: a sweep's jobs differ at its end, which a narrow column cuts off
                .column(COLUMNS.get(NAME), 18, 120, Formats::name, j -> Formats.name(j) + "\n" + j.id()
                        + (j.request().tags().isEmpty() ? "" : "\ntags: " + String.join(", ", j.request().tags())),
                        j -> icons.state(j.state()))
                .column(COLUMNS.get(STATE), 9, 105, j -> j.state().name(), Formats::errorDetail, null)
                .column(COLUMNS.get(PROGRESS), 14, 110, progress, null, null)
                .column(COLUMNS.get(PRIORITY), 7, 70, j -> j.priority().name(), null, null)
                .column(COLUMNS.get(SERVER), 9, 80, j -> Formats.orNone(j.serverId()), null, null)
                .column(COLUMNS.get(ATTEMPTS), 5, 60, j -> Integer.toString(j.attempts()),
                        j -> "at most " + j.request().retry().maxAttempts(), null)
                .column(COLUMNS.get(BATCH), 8, 70, j -> Formats.orNone(j.batchId()), null, null)
                .column(COLUMNS.get(CREATED), 7, 70, j -> Times.time(j.created()), j -> Formats.fullTime(j.created()),
                        null)
                .column(COLUMNS.get(UPDATED), 7, 70, j -> Times.time(j.updated()), j -> Formats.fullTime(j.updated()),
                        null)
                .column(COLUMNS.get(OUTPUTS), 5, 60, j -> Integer.toString(j.outputs().size()),
                        j -> j.outputs().isEmpty() ? null
                                : String.join("\n", j.outputs().stream().map(Object::toString).toList()),
                        null)
                .column(COLUMNS.get(ERROR), 20, 120, Formats::error, Formats::errorDetail, null);
    }

    TableViewer viewer() {
        return table.viewer();
    }
}
