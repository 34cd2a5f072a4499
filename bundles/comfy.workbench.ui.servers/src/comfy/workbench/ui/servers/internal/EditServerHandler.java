package comfy.workbench.ui.servers.internal;

import org.eclipse.e4.core.di.annotations.CanExecute;
import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;

/** Edits the selected server (toolbar of the Servers view). */
public final class EditServerHandler {

    @CanExecute
    public boolean canExecute(MPart part) {
        return ServersPart.of(part).map(ServersPart::hasSelection).orElse(false);
    }

    @Execute
    public void execute(MPart part) {
        ServersPart.of(part).ifPresent(ServersPart::editSelected);
    }
}
