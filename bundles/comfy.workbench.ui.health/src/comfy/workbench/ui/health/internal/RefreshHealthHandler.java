package comfy.workbench.ui.health.internal;

import org.eclipse.e4.core.di.annotations.CanExecute;
import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;

/** Reads the components and the latest health again (toolbar of the Platform Health view). */
public final class RefreshHealthHandler {

    @CanExecute
    public boolean canExecute(MPart part) {
        return HealthPart.of(part).isPresent();
    }

    @Execute
    public void execute(MPart part) {
        HealthPart.of(part).ifPresent(HealthPart::refresh);
    }
}
