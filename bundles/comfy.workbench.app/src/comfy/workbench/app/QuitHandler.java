package comfy.workbench.app;

import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.ui.workbench.IWorkbench;
import org.eclipse.e4.ui.workbench.modeling.EPartService;

/**
 * Quits the workbench (Ctrl+Q, as desktop applications do; an artist's review found no way but the window's close
 * button): unsaved editors are offered for saving first, and a cancel keeps the workbench open.
 */
public final class QuitHandler {

    @Execute
    public void quit(IWorkbench workbench, EPartService parts) {
        if (parts.saveAll(true)) {
            workbench.close();
        }
    }
}
