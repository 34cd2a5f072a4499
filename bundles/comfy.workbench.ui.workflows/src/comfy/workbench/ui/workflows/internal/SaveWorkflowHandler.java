package comfy.workbench.ui.workflows.internal;

import org.eclipse.e4.core.di.annotations.CanExecute;
import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;

/** Saves the edited workflow (toolbar of a workflow editor). */
public final class SaveWorkflowHandler {

    @CanExecute
    public boolean canExecute(MPart part) {
        return WorkflowEditor.of(part).map(WorkflowEditor::canSave).orElse(false);
    }

    @Execute
    public void execute(MPart part) {
        WorkflowEditor.of(part).ifPresent(WorkflowEditor::save);
    }
}
