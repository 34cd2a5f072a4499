package comfy.workbench.ui.common;

import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.CLabel;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;

/**
 * The line under a view's content: a summary on the left, the outcome of the user's last action on the right. Both
 * are named with widget data, so that tests and tools find them without guessing.
 */
public final class StatusLine {

    private final Label summary;
    private final CLabel message;

    /**
     * @param parent    a composite with a one-column {@code GridLayout}
     * @param widgetKey the widget data key the view names its widgets with
     * @param name      the view's prefix of the names: {@code <name>.summary} and {@code <name>.message}
     */
    public StatusLine(Composite parent, String widgetKey, String name) {
        Composite bar = new Composite(parent, SWT.NONE);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(bar);
        GridLayoutFactory.fillDefaults().numColumns(2).margins(6, 3).applyTo(bar);
        summary = new Label(bar, SWT.NONE);
        summary.setData(widgetKey, name + ".summary");
        GridDataFactory.fillDefaults().grab(true, false).align(SWT.FILL, SWT.CENTER).applyTo(summary);
        message = new CLabel(bar, SWT.RIGHT);
        message.setData(widgetKey, name + ".message");
        message.setText("");
        GridDataFactory.fillDefaults().grab(true, false).align(SWT.FILL, SWT.CENTER).applyTo(message);
    }

    public Label summary() {
        return summary;
    }

    public boolean isDisposed() {
        return summary.isDisposed();
    }

    /** Shows the outcome of an action, its text also as the tooltip; {@code image} and {@code color} may be null. */
    public void message(String text, Image image, Color color) {
        if (message.isDisposed()) {
            return;
        }
        message.setImage(image);
        message.setForeground(color);
        message.setText(text);
        message.setToolTipText(text);
        message.getParent().layout();
    }
}
