package comfy.workbench.ui.workflows.internal;

import org.eclipse.e4.core.di.annotations.CanExecute;
import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;

/** Makes a template of the selected inputs of a workflow editor (its toolbar). */
public final class NewTemplateHandler {

    @CanExecute
    public boolean canExecute(MPart part) {
        return WorkflowEditor.of(part).map(WorkflowEditor::canMakeTemplate).orElse(false);
    }

    @Execute
    public void execute(MPart part) {
        WorkflowEditor.of(part).ifPresent(WorkflowEditor::newTemplateWithDialog);
    }
}
