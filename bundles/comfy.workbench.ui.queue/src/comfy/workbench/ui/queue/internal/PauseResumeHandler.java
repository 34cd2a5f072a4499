package comfy.workbench.ui.queue.internal;

import org.eclipse.e4.core.di.annotations.CanExecute;
import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.e4.ui.model.application.ui.menu.MItem;

/**
 * Pauses the job queue when it runs and resumes it when it is paused (toolbar of the Jobs view). Its tool item is a
 * check item: pressed while the queue is paused, whoever paused it.
 */
public final class PauseResumeHandler {

    @CanExecute
    public boolean canExecute(MPart part, @Optional MItem item) {
        java.util.Optional<JobsPart> jobs = JobsPart.of(part);
        if (item != null) {
            // the item shows the queue's state, not merely the last click (the queue survives restarts paused)
            boolean paused = jobs.map(JobsPart::paused).orElse(false);
            item.setSelected(paused);
            item.setTooltip(paused ? "Resume the job queue: send waiting jobs again"
                    : "Pause the job queue: send no more jobs (sent ones go on)");
        }
        return jobs.map(JobsPart::hasQueue).orElse(false);
    }

    @Execute
    public void execute(MPart part) {
        JobsPart.of(part).ifPresent(JobsPart::togglePause);
    }
}
