package comfy.workbench.ui.queue.internal;

import org.eclipse.e4.core.di.annotations.CanExecute;
import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;

/** Cancels the selected jobs that have not ended (toolbar of the Jobs view). */
public final class CancelJobsHandler {

    @CanExecute
    public boolean canExecute(MPart part) {
        return JobsPart.of(part).map(p -> p.canCancelSelection()).orElse(false);
    }

    @Execute
    public void execute(MPart part) {
        JobsPart.of(part).ifPresent(p -> p.cancelSelected());
    }
}
