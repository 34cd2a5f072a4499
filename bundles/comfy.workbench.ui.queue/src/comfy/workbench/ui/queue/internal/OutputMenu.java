package comfy.workbench.ui.queue.internal;

import java.nio.file.Path;
import java.util.function.BiConsumer;

import org.eclipse.swt.SWT;
import org.eclipse.swt.dnd.Clipboard;
import org.eclipse.swt.dnd.TextTransfer;
import org.eclipse.swt.dnd.Transfer;
import org.eclipse.swt.program.Program;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Menu;
import org.eclipse.swt.widgets.MenuItem;

/**
 * What a user does with a finished job's output file: open it in the desktop's program for it (a double-click), show
 * its folder, copy its path. An artist's review found the images reachable only through a tooltip.
 */
final class OutputMenu {

    private OutputMenu() {
    }

    /**
     * Gives {@code control} a menu for {@code file} and opens the file on a double-click.
     *
     * @param message shows a line in the view (text, whether it is a failure)
     */
    static void attach(Control control, Path file, BiConsumer<String, Boolean> message) {
        Menu menu = new Menu(control);
        item(menu, "Open", () -> open(file, message));
        item(menu, "Open Folder", () -> open(file.getParent(), message));
        item(menu, "Copy Path", () -> copy(control, file, message));
        control.setMenu(menu);
        control.addListener(SWT.MouseDoubleClick, e -> open(file, message));
    }

    /** Opens the file or folder in the desktop's program for it; says so when there is none. */
    static void open(Path path, BiConsumer<String, Boolean> message) {
        if (path == null) {
            return;
        }
        if (!Program.launch(path.toString())) {
            message.accept("No program here opens " + path + " (Copy Path puts it on the clipboard)", true);
        }
    }

    private static void copy(Control control, Path file, BiConsumer<String, Boolean> message) {
        Clipboard clipboard = new Clipboard(control.getDisplay());
        try {
            clipboard.setContents(new Object[] { file.toString() }, new Transfer[] { TextTransfer.getInstance() });
        } finally {
            clipboard.dispose();
        }
        message.accept("Copied " + file, false);
    }

    private static void item(Menu menu, String text, Runnable action) {
        MenuItem item = new MenuItem(menu, SWT.PUSH);
        item.setText(text);
        item.addListener(SWT.Selection, e -> action.run());
    }
}
