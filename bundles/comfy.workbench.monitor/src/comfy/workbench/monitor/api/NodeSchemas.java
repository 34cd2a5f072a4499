package comfy.workbench.monitor.api;

import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

import comfy.workbench.connection.api.ComfyException;
import comfy.workbench.model.api.NodeSchema;

/**
 * Each server's node schema ({@code GET /object_info}), fetched once and kept in a cache of the cache manager. A
 * schema is forgotten when it expires (models added to a server change its combo options), when the monitor's socket
 * to the server drops (the server may be restarting, perhaps with other custom nodes), and when the server reports
 * another ComfyUI version.
 */
@ProviderType
public interface NodeSchemas {

    /**
     * The server's node schema: the cached one while it is fresh, else fetched now.
     *
     * @throws ComfyException           when it has to be fetched and the server does not answer usefully
     * @throws IllegalArgumentException for a server that is not registered
     */
    NodeSchema schema(String serverId) throws ComfyException;

    /** The cached schema of a server, without fetching it. */
    Optional<NodeSchema> cached(String serverId);

    /** Forgets a server's schema: the next {@link #schema(String)} fetches it. */
    void invalidate(String serverId);
}
