package comfy.workbench.connection.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard service: register one to hear about servers being added, changed and removed. Called on a
 * registry thread after the change has been persisted; must return quickly and must not call back into the
 * registry's mutators.
 */
@ConsumerType
@FunctionalInterface
public interface ServerRegistryListener {

    void serverChanged(ServerChange change);
}
