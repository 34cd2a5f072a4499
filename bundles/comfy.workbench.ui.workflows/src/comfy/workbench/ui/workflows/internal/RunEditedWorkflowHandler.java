package comfy.workbench.ui.workflows.internal;

import org.eclipse.e4.core.di.annotations.CanExecute;
import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;

/** Submits what a workflow editor shows, saved or not. */
public final class RunEditedWorkflowHandler {

    @CanExecute
    public boolean canExecute(MPart part) {
        return WorkflowEditor.of(part).map(WorkflowEditor::canRun).orElse(false);
    }

    @Execute
    public void execute(MPart part) {
        WorkflowEditor.of(part).ifPresent(WorkflowEditor::run);
    }
}
