package comfy.workbench.ui.queue.internal;

import org.eclipse.e4.core.di.annotations.CanExecute;
import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;

/** Forgets the ended jobs, leaving their files on disk (toolbar of the Jobs view). */
public final class ClearEndedJobsHandler {

    @CanExecute
    public boolean canExecute(MPart part) {
        return JobsPart.of(part).map(JobsPart::canClearEnded).orElse(false);
    }

    @Execute
    public void execute(MPart part) {
        JobsPart.of(part).ifPresent(JobsPart::clearEnded);
    }
}
