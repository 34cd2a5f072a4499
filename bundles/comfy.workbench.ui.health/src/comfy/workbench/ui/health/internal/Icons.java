package comfy.workbench.ui.health.internal;

import java.util.EnumMap;
import java.util.Map;

import org.eclipse.jface.resource.ImageDescriptor;
import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.jface.resource.LocalResourceManager;
import org.eclipse.jface.resource.ResourceManager;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.widgets.Control;

import comfy.workbench.manager.api.ComponentState;
import comfy.workbench.manager.api.HealthStatus;

/** The view's images, created once per control and disposed with it. */
final class Icons {

    private final Map<HealthStatus, Image> statuses = new EnumMap<>(HealthStatus.class);
    private final Image unknown;

    Icons(Control owner) {
        ResourceManager resources = new LocalResourceManager(JFaceResources.getResources(), owner);
        statuses.put(HealthStatus.OK, resources.create(descriptor("status_ok")));
        statuses.put(HealthStatus.WARN, resources.create(descriptor("status_warn")));
        statuses.put(HealthStatus.CRITICAL, resources.create(descriptor("status_critical")));
        unknown = resources.create(descriptor("status_unknown"));
    }

    Image status(HealthStatus status) {
        return statuses.get(status);
    }

    /** Not known: the service manager is not running, or a component is disabled. */
    Image unknown() {
        return unknown;
    }

    /** A component's state as a status: failed is critical, waiting for something is a warning. */
    Image state(ComponentState state) {
        return switch (state) {
            case ACTIVE, SATISFIED -> statuses.get(HealthStatus.OK);
            case UNSATISFIED_CONFIGURATION, UNSATISFIED_REFERENCE -> statuses.get(HealthStatus.WARN);
            case FAILED -> statuses.get(HealthStatus.CRITICAL);
            case DISABLED -> unknown;
        };
    }

    private static ImageDescriptor descriptor(String name) {
        // the bundle's own resource: works the same in the product and in a test fragment sharing the class loader
        return ImageDescriptor.createFromURL(Icons.class.getResource("/icons/" + name + ".png"));
    }
}
