package comfy.workbench.ui.servers.internal;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

import org.eclipse.jface.resource.ImageDescriptor;
import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.jface.resource.LocalResourceManager;
import org.eclipse.jface.resource.ResourceManager;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.widgets.Control;

import comfy.workbench.connection.api.HealthState;

/** The view's images, created once per view and disposed with the control that owns them. */
final class Icons {

    private final Map<HealthState, Image> states = new EnumMap<>(HealthState.class);

    Icons(Control owner) {
        ResourceManager resources = new LocalResourceManager(JFaceResources.getResources(), owner);
        for (HealthState state : HealthState.values()) {
            states.put(state, resources.create(descriptor("state_" + state.name().toLowerCase(Locale.ROOT))));
        }
    }

    Image state(HealthState state) {
        return states.get(state);
    }

    private static ImageDescriptor descriptor(String name) {
        // the bundle's own resource: works the same in the product and in a test fragment sharing the class loader
        return ImageDescriptor.createFromURL(Icons.class.getResource("/icons/" + name + ".png"));
    }
}
