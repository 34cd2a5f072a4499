package comfy.workbench.connection.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard service: register one to hear when a server's health state or reason changes (not on every probe).
 * Called on the health service's thread; must return quickly.
 */
@ConsumerType
@FunctionalInterface
public interface ServerHealthListener {

    /**
     * @param previous the health before ({@link HealthState#UNKNOWN} at first)
     * @param current  the health now
     */
    void healthChanged(ServerHealth previous, ServerHealth current);
}
