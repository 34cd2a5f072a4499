package comfy.workbench.connection.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard service: register one to hear about servers being added, changed and removed. Called on the thread
 * that made the change, after it has been persisted; must return quickly and must not call the registry's
 * mutators.
 */
@ConsumerType
@FunctionalInterface
public interface ServerRegistryListener {

    void serverChanged(ServerChange change);
}
