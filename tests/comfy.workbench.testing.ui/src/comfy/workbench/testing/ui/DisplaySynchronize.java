package comfy.workbench.testing.ui;

import org.eclipse.e4.ui.di.UISynchronize;
import org.eclipse.swt.widgets.Display;

/** The UISynchronize of a plain Display, as the workbench provides one for its own. */
public final class DisplaySynchronize extends UISynchronize {

    private final Display display;

    public DisplaySynchronize(Display display) {
        this.display = display;
    }

    @Override
    public void syncExec(Runnable runnable) {
        if (!display.isDisposed()) {
            display.syncExec(runnable);
        }
    }

    @Override
    public void asyncExec(Runnable runnable) {
        if (!display.isDisposed()) {
            display.asyncExec(runnable);
        }
    }

    @Override
    protected boolean isUIThread(Thread thread) {
        return display.getThread() == thread;
    }

    @Override
    protected void showBusyWhile(Runnable runnable) {
        runnable.run();
    }

    @Override
    protected boolean dispatchEvents() {
        return display.readAndDispatch();
    }
}
