package comfy.workbench.connection.api;

import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Gives the {@link ComfyClient} of a server. A client lives as long as its server's descriptor does not change;
 * after a change of URL or auth the next call gives a new client.
 */
@ProviderType
public interface ComfyClients {

    /** The client of a registered server; empty when no server has this id. */
    Optional<ComfyClient> client(String serverId);

    /**
     * A client of a server that need not be registered, e.g. to test a server's settings in a dialog before
     * saving them. Not cached.
     */
    ComfyClient client(ServerDescriptor server);

    /**
     * A client of a server whose ordinary requests give up after {@code requestTimeout} instead of the configured
     * timeout: for background work that must not hang on a half-open connection (the monitor's reconciliation).
     * Not cached: keep it while the server's descriptor stays the same.
     */
    ComfyClient client(ServerDescriptor server, java.time.Duration requestTimeout);
}
