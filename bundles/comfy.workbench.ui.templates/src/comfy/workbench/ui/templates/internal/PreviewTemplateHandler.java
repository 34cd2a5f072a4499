package comfy.workbench.ui.templates.internal;

import org.eclipse.e4.core.di.annotations.CanExecute;
import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;

/** Previews the selected template with the form's values (toolbar of the Templates view). */
public final class PreviewTemplateHandler {

    @CanExecute
    public boolean canExecute(MPart part) {
        return TemplatesPart.of(part).map(TemplatesPart::canPreview).orElse(false);
    }

    @Execute
    public void execute(MPart part) {
        TemplatesPart.of(part).ifPresent(TemplatesPart::previewSelected);
    }
}
