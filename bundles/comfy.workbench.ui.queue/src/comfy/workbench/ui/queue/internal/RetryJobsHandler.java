package comfy.workbench.ui.queue.internal;

import org.eclipse.e4.core.di.annotations.CanExecute;
import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;

/** Queues the selected failed or cancelled jobs again, as new jobs (toolbar of the Jobs view). */
public final class RetryJobsHandler {

    @CanExecute
    public boolean canExecute(MPart part) {
        return JobsPart.of(part).map(JobsPart::canRetrySelection).orElse(false);
    }

    @Execute
    public void execute(MPart part) {
        JobsPart.of(part).ifPresent(JobsPart::retrySelected);
    }
}
