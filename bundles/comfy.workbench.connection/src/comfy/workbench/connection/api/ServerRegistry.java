package comfy.workbench.connection.api;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The configured ComfyUI servers, persisted across restarts. Secrets of a server's auth are stored apart from the
 * rest, in a protected store; see the package documentation.
 * <p>
 * Mutators persist before they return and then notify {@link ServerRegistryListener}s and Event Admin
 * ({@link ConnectionTopics#SERVERS}). They throw {@link IllegalArgumentException} for a duplicate or unknown id and
 * {@link java.io.UncheckedIOException} when the registry cannot be written (the change is then not applied).
 */
@ProviderType
public interface ServerRegistry {

    /** All servers in the order they were added. */
    List<ServerDescriptor> servers();

    /** The server with this id. */
    Optional<ServerDescriptor> server(String id);

    /** Adds a server; its id must be new. */
    void add(ServerDescriptor server);

    /** Replaces the server with the same id; it must exist. */
    void update(ServerDescriptor server);

    /** Removes a server and its secrets; returns whether it existed. */
    boolean remove(String id);
}
