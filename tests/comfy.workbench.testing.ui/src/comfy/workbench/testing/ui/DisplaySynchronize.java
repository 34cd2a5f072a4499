package comfy.workbench.testing.ui;

import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.e4.ui.di.UISynchronize;
import org.eclipse.swt.widgets.Display;

/**
 * The UISynchronize of a plain Display, as the workbench provides one for its own; counts what is posted to the UI
 * thread, so that a test can check that a view coalesces its updates.
 */
public final class DisplaySynchronize extends UISynchronize {

    private final Display display;
    private final AtomicInteger posted = new AtomicInteger();

    public DisplaySynchronize(Display display) {
        this.display = display;
    }

    /** How many runnables were posted (synchronously or not) so far. */
    public int posted() {
        return posted.get();
    }

    @Override
    public void syncExec(Runnable runnable) {
        posted.incrementAndGet();
        if (!display.isDisposed()) {
            display.syncExec(runnable);
        }
    }

    @Override
    public void asyncExec(Runnable runnable) {
        posted.incrementAndGet();
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
