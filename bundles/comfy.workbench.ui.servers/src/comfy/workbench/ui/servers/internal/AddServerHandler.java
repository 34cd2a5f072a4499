package comfy.workbench.ui.servers.internal;

import org.eclipse.e4.core.di.annotations.CanExecute;
import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;

/** Adds a server, asking for its settings (toolbar of the Servers view). */
public final class AddServerHandler {

    @CanExecute
    public boolean canExecute(MPart part) {
        return ServersPart.of(part).isPresent();
    }

    @Execute
    public void execute(MPart part) {
        ServersPart.of(part).ifPresent(ServersPart::addServer);
    }
}
