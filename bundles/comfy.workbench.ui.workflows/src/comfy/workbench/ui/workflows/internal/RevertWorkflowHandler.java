package comfy.workbench.ui.workflows.internal;

import org.eclipse.e4.core.di.annotations.CanExecute;
import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;

/** Reads the edited workflow again, dropping the editor's changes. */
public final class RevertWorkflowHandler {

    @CanExecute
    public boolean canExecute(MPart part) {
        return WorkflowEditor.of(part).map(e -> true).orElse(false);
    }

    @Execute
    public void execute(MPart part) {
        WorkflowEditor.of(part).ifPresent(WorkflowEditor::reload);
    }
}
