package comfy.workbench.ui.servers.internal;

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

/**
 * The table of the Servers view: one row per server, one column per fact. Rows are matched by server id, so that a
 * refresh updates cells in place and keeps the selection.
 */
final class ServerTable {

    /** Column headers, in order; tests read cells by these indexes. */
    static final List<String> COLUMNS = List.of("Name", "URL", "Health", "Latency", "Version", "Devices (VRAM)", "Queue");
    static final int NAME = 0;
    static final int URL = 1;
    static final int HEALTH = 2;
    static final int LATENCY = 3;
    static final int VERSION = 4;
    static final int DEVICES = 5;
    static final int QUEUE = 6;

    private final TableViewer viewer;
    private final Icons icons;

    ServerTable(Composite parent) {
        Composite holder = new Composite(parent, SWT.NONE);
        TableColumnLayout layout = new TableColumnLayout();
        holder.setLayout(layout);
        viewer = new TableViewer(holder, SWT.SINGLE | SWT.FULL_SELECTION | SWT.V_SCROLL | SWT.H_SCROLL);
        viewer.getTable().setHeaderVisible(true);
        viewer.getTable().setLinesVisible(true);
        viewer.setContentProvider(ArrayContentProvider.getInstance());
        viewer.setComparer(new ById());
        viewer.setUseHashlookup(true);
        ColumnViewerToolTipSupport.enableFor(viewer, ToolTip.NO_RECREATE);
        icons = new Icons(viewer.getControl());

        column(layout, NAME, 13, 110, r -> r.server().label(), r -> r.server().label() + " (" + r.id() + ")\nauth: "
                + r.server().auth().kind(), null);
        column(layout, URL, 17, 140, r -> r.server().baseUrl().toString(), null, null);
        column(layout, HEALTH, 9, 84, r -> r.health().state().name(), r -> Formats.healthDetail(r.health()),
                r -> icons.state(r.health().state()));
        column(layout, LATENCY, 6, 64, r -> Formats.latency(r.health().latency()), null, null);
        column(layout, VERSION, 6, 64, r -> Formats.version(r.health()), null, null);
        column(layout, DEVICES, 22, 170, r -> Formats.devices(r.health()), r -> Formats.devicesDetail(r.health()),
                null);
        column(layout, QUEUE, 14, 136, r -> Formats.queue(r.queue()), null, null);
    }

    TableViewer viewer() {
        return viewer;
    }

    private void column(TableColumnLayout layout, int index, int weight, int minWidth, Function<ServerRow, String> text,
            Function<ServerRow, String> tooltip, Function<ServerRow, Image> image) {
        TableViewerColumn column = new TableViewerColumn(viewer, SWT.LEFT);
        column.getColumn().setText(COLUMNS.get(index));
        column.getColumn().setMoveable(true);
        layout.setColumnData(column.getColumn(), new ColumnWeightData(weight, minWidth, true));
        column.setLabelProvider(new ColumnLabelProvider() {
            @Override
            public String getText(Object element) {
                return text.apply((ServerRow) element);
            }

            @Override
            public Image getImage(Object element) {
                return image == null ? null : image.apply((ServerRow) element);
            }

            @Override
            public String getToolTipText(Object element) {
                if (tooltip == null) {
                    return null;
                }
                String tip = tooltip.apply((ServerRow) element);
                return tip == null || tip.isEmpty() ? null : tip;
            }
        });
    }

    /** Rows are the same row when they describe the same server, whatever its state. */
    private static final class ById implements IElementComparer {
        @Override
        public boolean equals(Object a, Object b) {
            return a instanceof ServerRow ra && b instanceof ServerRow rb ? ra.id().equals(rb.id()) : a == b;
        }

        @Override
        public int hashCode(Object element) {
            return element instanceof ServerRow r ? r.id().hashCode() : System.identityHashCode(element);
        }
    }
}
