package comfy.workbench.monitor.api;

import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

import comfy.workbench.connection.api.ComfyException;
import comfy.workbench.model.api.NodeSchema;

/**
 * Each server's node schema ({@code GET /object_info}), fetched once and kept in a cache of the cache manager. A
 * schema is forgotten when it expires (models added to a server change its combo options), when the monitor's socket
 * to the server drops (the server may be restarting, perhaps with other custom nodes), and when the server reports
 * another ComfyUI version. The schema each server last gave is also kept on disk ({@link #lastKnown(String)}).
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

    /**
     * The schema the server last gave, also after it was forgotten (its socket dropped, it expired) and after a
     * restart of this process, as long as the disk keeps it: what a job can be checked against and queued with while
     * the server does not answer (ComfyUI restarts after custom nodes are installed). The server still checks the job
     * when it is sent. Never fetches.
     *
     * @return empty when the server never gave a schema here, or the stored one cannot be read
     * @since 0.5.0
     */
    Optional<NodeSchema> lastKnown(String serverId);
}
