package comfy.workbench.ui.health.internal;

import org.eclipse.e4.core.di.annotations.CanExecute;
import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;

/** Restarts the selected component after asking (toolbar of the Platform Health view). */
public final class RestartComponentHandler {

    @CanExecute
    public boolean canExecute(MPart part) {
        return HealthPart.of(part).map(HealthPart::canRestartSelection).orElse(false);
    }

    @Execute
    public void execute(MPart part) {
        HealthPart.of(part).ifPresent(HealthPart::restartSelected);
    }
}
