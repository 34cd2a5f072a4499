package comfy.workbench.connection.api;

import java.util.Objects;

/**
 * A change of the server registry.
 *
 * @param type   what happened
 * @param server the server as it is now; for {@link Type#REMOVED} as it was
 */
public record ServerChange(Type type, ServerDescriptor server) {

    /** What happened to a server. */
    public enum Type {
        ADDED, CHANGED, REMOVED
    }

    public ServerChange {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(server, "server");
    }
}
