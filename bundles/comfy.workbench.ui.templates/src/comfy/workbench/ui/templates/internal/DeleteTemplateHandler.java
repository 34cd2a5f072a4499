package comfy.workbench.ui.templates.internal;

import org.eclipse.e4.core.di.annotations.CanExecute;
import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;

/** Deletes the selected template after confirmation (toolbar of the Templates view). */
public final class DeleteTemplateHandler {

    @CanExecute
    public boolean canExecute(MPart part) {
        return TemplatesPart.of(part).map(TemplatesPart::canDelete).orElse(false);
    }

    @Execute
    public void execute(MPart part) {
        TemplatesPart.of(part).ifPresent(TemplatesPart::deleteSelected);
    }
}
