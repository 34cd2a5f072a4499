package comfy.workbench.connection.internal;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.SortedSet;

import comfy.workbench.connection.api.ComfyClient;
import comfy.workbench.connection.api.ServerCredentials;
import comfy.workbench.connection.api.ServerDescriptor;

/**
 * Builds the connection bundle's real HTTP client outside OSGi, with the components' default
 * timeouts, so that benchmarks measure exactly what the platform runs. It lives in the bundle's
 * internal package (a split package is harmless on a flat class path) because the client's
 * constructor is deliberately not public API.
 */
public final class BenchmarkClients {

    /** The clients component's deadline thread, once per harness process (the harness has no component). */
    private static final BodyDeadlines DEADLINES = new BodyDeadlines();

    private BenchmarkClients() {
    }

    public static ComfyClient create(ServerDescriptor server) {
        return new HttpComfyClient(server,
                new ClientSettings(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(180)),
                storedAuthOnly(), DEADLINES);
    }

    /**
     * The credentials service as it answers for a server whose auth is stored rather than provided by an extension:
     * the harnesses' servers have none, and the real service needs the OSGi framework's classes, which a flat class
     * path lacks.
     */
    public static ServerCredentials storedAuthOnly() {
        return new ServerCredentials() {
            @Override
            public Map<String, String> headers(ServerDescriptor server, String route) {
                return server.auth().headers();
            }

            @Override
            public boolean rejected(ServerDescriptor server) {
                return false;
            }

            @Override
            public SortedSet<String> providers() {
                return Collections.emptySortedSet();
            }
        };
    }
}
