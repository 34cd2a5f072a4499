package comfy.workbench.ui.workflows.internal;

import org.eclipse.e4.core.di.annotations.CanExecute;
import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;

/** Validates what a workflow editor shows against the first reachable server. */
public final class ValidateEditedWorkflowHandler {

    @CanExecute
    public boolean canExecute(MPart part) {
        return WorkflowEditor.of(part).map(e -> true).orElse(false);
    }

    @Execute
    public void execute(MPart part) {
        WorkflowEditor.of(part).ifPresent(WorkflowEditor::validate);
    }
}
