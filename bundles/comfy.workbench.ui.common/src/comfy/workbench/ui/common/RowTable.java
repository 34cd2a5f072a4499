package comfy.workbench.ui.common;

import java.math.BigDecimal;
import java.util.Comparator;
import java.util.function.Function;

import org.eclipse.jface.layout.TableColumnLayout;
import org.eclipse.jface.viewers.ArrayContentProvider;
import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.jface.viewers.ColumnViewerToolTipSupport;
import org.eclipse.jface.viewers.ColumnWeightData;
import org.eclipse.jface.viewers.IElementComparer;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.jface.viewers.TableViewerColumn;
import org.eclipse.jface.viewers.Viewer;
import org.eclipse.jface.viewers.ViewerComparator;
import org.eclipse.jface.window.ToolTip;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;

/**
 * A table of rows of one type, built column by column, columns sized by weight, with tooltips. Rows are matched by a
 * key, so that a refresh (a new input of fresh snapshots) updates cells in place and keeps the selection. A click on a
 * header sorts by that column (ascending, descending, then the view's own order again).
 *
 * @param <R> the type of the rows
 */
public final class RowTable<R> {

    private final Class<R> type;
    private final TableViewer viewer;
    private final TableColumnLayout layout = new TableColumnLayout();

    /**
     * @param parent    where the table's holder composite goes
     * @param type      the rows' type
     * @param key       what makes two snapshots the same row
     * @param selection {@link SWT#SINGLE} or {@link SWT#MULTI}
     */
    public RowTable(Composite parent, Class<R> type, Function<R, Object> key, int selection) {
        this.type = type;
        Composite holder = new Composite(parent, SWT.NONE);
        holder.setLayout(layout);
        viewer = new TableViewer(holder, selection | SWT.FULL_SELECTION | SWT.V_SCROLL | SWT.H_SCROLL);
        viewer.getTable().setHeaderVisible(true);
        viewer.getTable().setLinesVisible(true);
        viewer.setContentProvider(ArrayContentProvider.getInstance());
        viewer.setComparer(new ByKey<>(type, key));
        viewer.setUseHashlookup(true);
        ColumnViewerToolTipSupport.enableFor(viewer, ToolTip.NO_RECREATE);
    }

    public TableViewer viewer() {
        return viewer;
    }

    /** The composite that holds the table (and owns its column layout): the one to lay out in the view. */
    public Composite holder() {
        return viewer.getTable().getParent();
    }

    /** Adds a column; {@code tooltip} and {@code image} may be null. */
    public RowTable<R> column(String header, int weight, int minWidth, Function<R, String> text, Function<R, String> tooltip,
            Function<R, Image> image) {
        TableViewerColumn column = new TableViewerColumn(viewer, SWT.LEFT);
        column.getColumn().setText(header);
        column.getColumn().setMoveable(true);
        layout.setColumnData(column.getColumn(), new ColumnWeightData(weight, minWidth, true));
        column.getColumn().addListener(SWT.Selection, e -> sortBy(column.getColumn(), text));
        column.setLabelProvider(new ColumnLabelProvider() {
            @Override
            public String getText(Object element) {
                return text.apply(type.cast(element));
            }

            @Override
            public Image getImage(Object element) {
                return image == null ? null : image.apply(type.cast(element));
            }

            @Override
            public String getToolTipText(Object element) {
                if (tooltip == null) {
                    return null;
                }
                String tip = tooltip.apply(type.cast(element));
                return tip == null || tip.isEmpty() ? null : tip;
            }
        });
        return this;
    }

    /**
     * A click on a column's header sorts the rows by its text, ascending; a second click descending; a third gives the
     * view's own order back (the Jobs view's is the queue's).
     */
    private void sortBy(TableColumn column, Function<R, String> text) {
        Table table = viewer.getTable();
        int direction = table.getSortColumn() != column ? SWT.UP : table.getSortDirection() == SWT.UP ? SWT.DOWN : SWT.NONE;
        if (direction == SWT.NONE) {
            table.setSortColumn(null);
            table.setSortDirection(SWT.NONE);
            viewer.setComparator(null);
            return;
        }
        table.setSortColumn(column);
        table.setSortDirection(direction);
        Comparator<Object> byText = Comparator.comparing(o -> text.apply(type.cast(o)), RowTable::compareTexts);
        Comparator<Object> order = direction == SWT.UP ? byText : byText.reversed();
        viewer.setComparator(new ViewerComparator() {
            @Override
            public int compare(Viewer v, Object a, Object b) {
                return order.compare(a, b);
            }
        });
    }

    /** Numbers as numbers (sizes, attempts), else text ignoring case; empty cells last. */
    static int compareTexts(String a, String b) {
        String x = a == null ? "" : a.strip();
        String y = b == null ? "" : b.strip();
        if (x.isEmpty() || y.isEmpty()) {
            return Boolean.compare(x.isEmpty(), y.isEmpty());
        }
        try {
            return new BigDecimal(x).compareTo(new BigDecimal(y));
        } catch (NumberFormatException e) {
            int c = x.compareToIgnoreCase(y);
            return c != 0 ? c : x.compareTo(y);
        }
    }

    /** Rows are the same row when their keys are equal, whatever else changed. */
    private static final class ByKey<R> implements IElementComparer {
        private final Class<R> type;
        private final Function<R, Object> key;

        ByKey(Class<R> type, Function<R, Object> key) {
            this.type = type;
            this.key = key;
        }

        @Override
        public boolean equals(Object a, Object b) {
            return type.isInstance(a) && type.isInstance(b) ? key.apply(type.cast(a)).equals(key.apply(type.cast(b)))
                    : a == b;
        }

        @Override
        public int hashCode(Object element) {
            return type.isInstance(element) ? key.apply(type.cast(element)).hashCode()
                    : System.identityHashCode(element);
        }
    }
}
