package comfy.workbench.ui.workflows.internal;

import org.eclipse.e4.core.di.annotations.CanExecute;
import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;

/** Opens the selected workflow in an editor (toolbar of the Workflows view). */
public final class OpenWorkflowHandler {

    @CanExecute
    public boolean canExecute(MPart part) {
        return WorkflowsPart.of(part).map(WorkflowsPart::canOpen).orElse(false);
    }

    @Execute
    public void execute(MPart part) {
        WorkflowsPart.of(part).ifPresent(WorkflowsPart::openSelected);
    }
}
