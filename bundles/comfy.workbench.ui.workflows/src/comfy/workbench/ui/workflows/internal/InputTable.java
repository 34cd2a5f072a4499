package comfy.workbench.ui.workflows.internal;

import java.util.List;
import java.util.function.BiConsumer;

import org.eclipse.jface.viewers.CellEditor;
import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.jface.viewers.ColumnViewerEditor;
import org.eclipse.jface.viewers.ColumnViewerEditorActivationEvent;
import org.eclipse.jface.viewers.ColumnViewerEditorActivationStrategy;
import org.eclipse.jface.viewers.ComboBoxCellEditor;
import org.eclipse.jface.viewers.EditingSupport;
import org.eclipse.jface.viewers.FocusCellOwnerDrawHighlighter;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.jface.viewers.TableViewerColumn;
import org.eclipse.jface.viewers.TableViewerEditor;
import org.eclipse.jface.viewers.TableViewerFocusCellManager;
import org.eclipse.jface.viewers.TextCellEditor;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;

import comfy.workbench.model.api.InputKind;
import comfy.workbench.ui.common.RowTable;

/**
 * The workflow editor's inputs, one row each (several may be selected), and typing a value into one: a text cell, or
 * a drop-down of a combo's options or of true/false; what is typed goes to the editor, which checks it.
 */
final class InputTable {

    /** Column headers, in order; tests read cells by these indexes. */
    static final List<String> COLUMNS = List.of("Node", "Input", "Value", "Problem");
    static final int NODE = 0;
    static final int INPUT = 1;
    static final int VALUE = 2;
    static final int PROBLEM = 3;

    private final RowTable<InputRow> table;

    /** @param typed gets a row and the text typed into its value, on the UI thread */
    InputTable(Composite parent, BiConsumer<InputRow, String> typed) {
        table = new RowTable<>(parent, InputRow.class, InputRow::key, SWT.MULTI)
                .column(COLUMNS.get(NODE), 14, 100, InputRow::node, InputRow::node, null)
                .column(COLUMNS.get(INPUT), 10, 80, r -> r.input() + (r.edited() ? " *" : ""), InputTable::inputTip,
                        null)
                .column(COLUMNS.get(VALUE), 18, 120, r -> ValueText.show(r.value()), r -> ValueText.show(r.value()), null)
                .column(COLUMNS.get(PROBLEM), 18, 100, InputRow::problem, InputRow::problem, null);
        makeValuesEditable(typed);
    }

    TableViewer viewer() {
        return table.viewer();
    }

    Composite holder() {
        return table.holder();
    }

    private static String inputTip(InputRow r) {
        if (r.spec() == null) {
            return r.linked() ? "fed by a link" : null;
        }
        StringBuilder tip = new StringBuilder(r.spec().kind().name());
        r.spec().min().ifPresent(m -> tip.append(", min ").append(m.toPlainString()));
        r.spec().max().ifPresent(m -> tip.append(", max ").append(m.toPlainString()));
        r.spec().tooltip().ifPresent(t -> tip.append('\n').append(t));
        return tip.toString();
    }

    private void makeValuesEditable(BiConsumer<InputRow, String> typed) {
        TableViewerColumn column = new TableViewerColumn(viewer(), viewer().getTable().getColumn(VALUE));
        column.setLabelProvider(new ColumnLabelProvider() {
            @Override
            public String getText(Object element) {
                return ValueText.show(((InputRow) element).value());
            }
        });
        column.setEditingSupport(new EditingSupport(viewer()) {
            @Override
            protected boolean canEdit(Object element) {
                return ((InputRow) element).editable();
            }

            @Override
            protected CellEditor getCellEditor(Object element) {
                InputRow r = (InputRow) element;
                Composite t = viewer().getTable();
                if (r.kind().orElse(null) == InputKind.COMBO && !r.spec().comboOptions().isEmpty()) {
                    return new ComboBoxCellEditor(t, r.spec().comboOptions().toArray(String[]::new), SWT.READ_ONLY);
                }
                if (r.kind().orElse(null) == InputKind.BOOLEAN) {
                    return new ComboBoxCellEditor(t, new String[] { "true", "false" }, SWT.READ_ONLY);
                }
                return new TextCellEditor(t);
            }

            @Override
            protected Object getValue(Object element) {
                InputRow r = (InputRow) element;
                String text = ValueText.show(r.value());
                if (r.kind().orElse(null) == InputKind.COMBO && !r.spec().comboOptions().isEmpty()) {
                    return Math.max(0, r.spec().comboOptions().indexOf(text));
                }
                if (r.kind().orElse(null) == InputKind.BOOLEAN) {
                    return "true".equals(text) ? 0 : 1;
                }
                return text;
            }

            @Override
            protected void setValue(Object element, Object value) {
                InputRow r = (InputRow) element;
                String text;
                if (value instanceof Integer i) {
                    List<String> options = r.kind().orElse(null) == InputKind.BOOLEAN ? List.of("true", "false")
                            : r.spec().comboOptions();
                    if (i < 0 || i >= options.size()) {
                        return;
                    }
                    text = options.get(i);
                } else {
                    text = String.valueOf(value);
                }
                if (!text.equals(ValueText.show(r.value()))) {
                    typed.accept(r, text);
                }
            }
        });
        // a click on the value of the selected row, a double-click, Enter or F2 edits; Tab moves on to the next value
        ColumnViewerEditorActivationStrategy activation = new ColumnViewerEditorActivationStrategy(viewer()) {
            @Override
            protected boolean isEditorActivationEvent(ColumnViewerEditorActivationEvent event) {
                return switch (event.eventType) {
                    case ColumnViewerEditorActivationEvent.MOUSE_CLICK_SELECTION,
                            ColumnViewerEditorActivationEvent.MOUSE_DOUBLE_CLICK_SELECTION,
                            ColumnViewerEditorActivationEvent.TRAVERSAL,
                            ColumnViewerEditorActivationEvent.PROGRAMMATIC -> true;
                    case ColumnViewerEditorActivationEvent.KEY_PRESSED -> event.keyCode == SWT.CR || event.keyCode == SWT.F2;
                    default -> false;
                };
            }
        };
        TableViewerFocusCellManager focus = new TableViewerFocusCellManager(viewer(),
                new FocusCellOwnerDrawHighlighter(viewer(), false));
        TableViewerEditor.create(viewer(), focus, activation, ColumnViewerEditor.TABBING_VERTICAL
                | ColumnViewerEditor.TABBING_MOVE_TO_ROW_NEIGHBOR | ColumnViewerEditor.KEYBOARD_ACTIVATION);
    }
}
