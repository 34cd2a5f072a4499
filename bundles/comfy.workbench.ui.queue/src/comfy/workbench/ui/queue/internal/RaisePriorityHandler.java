package comfy.workbench.ui.queue.internal;

import org.eclipse.e4.core.di.annotations.CanExecute;
import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;

/** Moves the selected waiting job one priority up (toolbar of the Jobs view). */
public final class RaisePriorityHandler {

    @CanExecute
    public boolean canExecute(MPart part) {
        return JobsPart.of(part).map(p -> p.canChangePriority(-1)).orElse(false);
    }

    @Execute
    public void execute(MPart part) {
        JobsPart.of(part).ifPresent(p -> p.changePriority(-1));
    }
}
