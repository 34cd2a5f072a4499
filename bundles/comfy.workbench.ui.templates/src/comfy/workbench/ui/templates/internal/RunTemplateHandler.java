package comfy.workbench.ui.templates.internal;

import org.eclipse.e4.core.di.annotations.CanExecute;
import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;

/** Submits the jobs of the form's values for the selected template (toolbar of the Templates view). */
public final class RunTemplateHandler {

    @CanExecute
    public boolean canExecute(MPart part) {
        return TemplatesPart.of(part).map(TemplatesPart::canRun).orElse(false);
    }

    @Execute
    public void execute(MPart part) {
        TemplatesPart.of(part).ifPresent(TemplatesPart::runSelected);
    }
}
