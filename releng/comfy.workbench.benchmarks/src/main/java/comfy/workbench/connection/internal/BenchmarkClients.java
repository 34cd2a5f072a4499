package comfy.workbench.connection.internal;

import java.time.Duration;

import comfy.workbench.connection.api.ComfyClient;
import comfy.workbench.connection.api.ServerDescriptor;

/**
 * Builds the connection bundle's real HTTP client outside OSGi, with the components' default
 * timeouts, so that benchmarks measure exactly what the platform runs. It lives in the bundle's
 * internal package (a split package is harmless on a flat class path) because the client's
 * constructor is deliberately not public API.
 */
public final class BenchmarkClients {

    private BenchmarkClients() {
    }

    public static ComfyClient create(ServerDescriptor server) {
        return new HttpComfyClient(server,
                new ClientSettings(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(180)),
                // stored auth only, which needs no activation
                new CredentialsComponent());
    }
}
