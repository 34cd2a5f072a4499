package comfy.workbench.ui.templates.internal;

import org.eclipse.e4.core.di.annotations.CanExecute;
import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;

/** Reads the template folder again (toolbar of the Templates view). */
public final class RefreshTemplatesHandler {

    @CanExecute
    public boolean canExecute(MPart part) {
        return TemplatesPart.of(part).map(TemplatesPart::hasLibrary).orElse(false);
    }

    @Execute
    public void execute(MPart part) {
        TemplatesPart.of(part).ifPresent(TemplatesPart::refresh);
    }
}
