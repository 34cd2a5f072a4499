package comfy.workbench.ui.queue.internal;

import java.util.List;
import java.util.function.Function;

import org.eclipse.jface.layout.TableColumnLayout;
import org.eclipse.jface.viewers.ArrayContentProvider;
import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.jface.viewers.ColumnViewerToolTipSupport;
import org.eclipse.jface.viewers.ColumnWeightData;
import org.eclipse.jface.viewers.IElementComparer;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.jface.viewers.TableViewerColumn;
import org.eclipse.jface.window.ToolTip;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.widgets.Composite;

import comfy.workbench.queue.api.Job;

/**
 * The jobs, one row each. Rows are matched by job id, so that a refresh updates cells in place and keeps the
 * selection while a job moves through its states.
 */
final class JobTable {

    /** Column headers, in order; tests read cells by these indexes. */
    static final List<String> COLUMNS = List.of("Job", "State", "Priority", "Server", "Attempts", "Batch", "Created",
            "Updated", "Outputs", "Error");
    static final int NAME = 0;
    static final int STATE = 1;
    static final int PRIORITY = 2;
    static final int SERVER = 3;
    static final int ATTEMPTS = 4;
    static final int BATCH = 5;
    static final int CREATED = 6;
    static final int UPDATED = 7;
    static final int OUTPUTS = 8;
    static final int ERROR = 9;

    private final TableViewer viewer;
    private final TableColumnLayout layout = new TableColumnLayout();

    JobTable(Composite parent, Icons icons) {
        Composite holder = new Composite(parent, SWT.NONE);
        holder.setLayout(layout);
        viewer = new TableViewer(holder, SWT.MULTI | SWT.FULL_SELECTION | SWT.V_SCROLL | SWT.H_SCROLL);
        viewer.getTable().setHeaderVisible(true);
        viewer.getTable().setLinesVisible(true);
        viewer.setContentProvider(ArrayContentProvider.getInstance());
        viewer.setComparer(new ById());
        viewer.setUseHashlookup(true);
        ColumnViewerToolTipSupport.enableFor(viewer, ToolTip.NO_RECREATE);

        column(NAME, 18, 120, Formats::name, j -> j.id() + (j.request().tags().isEmpty() ? ""
                : "\ntags: " + String.join(", ", j.request().tags())), j -> icons.state(j.state()));
        column(STATE, 8, 80, j -> j.state().name(), Formats::errorDetail, null);
        column(PRIORITY, 7, 70, j -> j.priority().name(), null, null);
        column(SERVER, 9, 80, j -> Formats.orNone(j.serverId()), null, null);
        column(ATTEMPTS, 5, 60, j -> Integer.toString(j.attempts()),
                j -> "at most " + j.request().retry().maxAttempts(), null);
        column(BATCH, 8, 70, j -> Formats.orNone(j.batchId()), null, null);
        column(CREATED, 7, 70, j -> Formats.time(j.created()), j -> Formats.fullTime(j.created()), null);
        column(UPDATED, 7, 70, j -> Formats.time(j.updated()), j -> Formats.fullTime(j.updated()), null);
        column(OUTPUTS, 5, 60, j -> Integer.toString(j.outputs().size()),
                j -> j.outputs().isEmpty() ? null : String.join("\n", j.outputs().stream().map(Object::toString).toList()),
                null);
        column(ERROR, 20, 120, Formats::error, Formats::errorDetail, null);
    }

    TableViewer viewer() {
        return viewer;
    }

    private void column(int index, int weight, int minWidth, Function<Job, String> text, Function<Job, String> tooltip,
            Function<Job, Image> image) {
        TableViewerColumn column = new TableViewerColumn(viewer, SWT.LEFT);
        column.getColumn().setText(COLUMNS.get(index));
        column.getColumn().setMoveable(true);
        layout.setColumnData(column.getColumn(), new ColumnWeightData(weight, minWidth, true));
        column.setLabelProvider(new ColumnLabelProvider() {
            @Override
            public String getText(Object element) {
                return text.apply((Job) element);
            }

            @Override
            public Image getImage(Object element) {
                return image == null ? null : image.apply((Job) element);
            }

            @Override
            public String getToolTipText(Object element) {
                String tip = tooltip == null ? null : tooltip.apply((Job) element);
                return tip == null || tip.isEmpty() ? null : tip;
            }
        });
    }

    /** Two snapshots of a job are the same row, whatever else changed. */
    private static final class ById implements IElementComparer {
        @Override
        public boolean equals(Object a, Object b) {
            return a instanceof Job x && b instanceof Job y ? x.id().equals(y.id()) : a == b;
        }

        @Override
        public int hashCode(Object element) {
            return element instanceof Job j ? j.id().hashCode() : System.identityHashCode(element);
        }
    }
}
