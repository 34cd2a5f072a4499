package comfy.workbench.queue.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard service: hears every job state change (and change of the error shown with a job or of its priority; see
 * {@link JobEvent}), after it is stored, in the order of the changes. Called on the queue's event thread: a listener
 * that blocks delays the others' events (not the queue).
 */
@ConsumerType
@FunctionalInterface
public interface JobListener {

    void jobChanged(JobEvent event);
}
