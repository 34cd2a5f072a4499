package comfy.workbench.ui.queue.internal;

import java.util.EnumMap;
import java.util.Map;

import org.eclipse.jface.resource.ImageDescriptor;
import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.jface.resource.LocalResourceManager;
import org.eclipse.jface.resource.ResourceManager;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.widgets.Control;

import comfy.workbench.queue.api.JobState;

/** The view's images, created once per control and disposed with it. */
final class Icons {

    private final Map<JobState, Image> states = new EnumMap<>(JobState.class);

    Icons(Control owner) {
        ResourceManager resources = new LocalResourceManager(JFaceResources.getResources(), owner);
        Image waiting = resources.create(descriptor("state_waiting"));
        Image active = resources.create(descriptor("state_active"));
        states.put(JobState.QUEUED, waiting);
        states.put(JobState.RETRY_WAIT, waiting);
        states.put(JobState.PAUSED, resources.create(descriptor("state_paused")));
        states.put(JobState.DISPATCHED, active);
        states.put(JobState.RUNNING, active);
        states.put(JobState.SUCCEEDED, resources.create(descriptor("state_succeeded")));
        states.put(JobState.FAILED, resources.create(descriptor("state_failed")));
        states.put(JobState.CANCELLED, resources.create(descriptor("state_cancelled")));
    }

    Image state(JobState state) {
        return states.get(state);
    }

    private static ImageDescriptor descriptor(String name) {
        // the bundle's own resource: works the same in the product and in a test fragment sharing the class loader
        return ImageDescriptor.createFromURL(Icons.class.getResource("/icons/" + name + ".png"));
    }
}
