package comfy.workbench.ui.workflows.internal;

import org.eclipse.e4.core.di.annotations.CanExecute;
import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;

/** Asks how many runs of the selected workflow to submit, each with its seeds moved (toolbar of the Workflows view). */
public final class RunVariationsHandler {

    @CanExecute
    public boolean canExecute(MPart part) {
        return WorkflowsPart.of(part).map(WorkflowsPart::canRun).orElse(false);
    }

    @Execute
    public void execute(MPart part) {
        WorkflowsPart.of(part).ifPresent(WorkflowsPart::runVariationsWithDialog);
    }
}
