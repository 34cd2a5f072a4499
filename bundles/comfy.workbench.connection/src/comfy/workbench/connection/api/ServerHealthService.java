package comfy.workbench.connection.api;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Health of every registered server, refreshed on a configurable schedule and on demand. Reading never blocks on
 * the network; refreshing returns a future.
 */
@ProviderType
public interface ServerHealthService {

    /** The last known health of a server ({@link HealthState#UNKNOWN} before the first probe or for unknown ids). */
    ServerHealth health(String serverId);

    /** The last known health of every registered server, in registry order. */
    List<ServerHealth> all();

    /** Probes one server now. The future completes with its new health; it never completes exceptionally. */
    CompletableFuture<ServerHealth> refresh(String serverId);

    /** Probes every server now. */
    CompletableFuture<List<ServerHealth>> refreshAll();
}
