package comfy.workbench.connection.internal;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import comfy.workbench.connection.api.ComfyClient;
import comfy.workbench.connection.api.ComfyClients;
import comfy.workbench.connection.api.ServerCredentials;
import comfy.workbench.connection.api.ServerDescriptor;
import comfy.workbench.connection.api.ServerRegistry;

/**
 * Hands out one {@link HttpComfyClient} per registered server. A client is kept while its server's descriptor is
 * unchanged, so that its connection pool is reused; a changed URL or auth gives a new client on the next call.
 */
@Component(service = ComfyClients.class, configurationPid = ComfyClientsComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = ComfyClientsComponent.Config.class)
public final class ComfyClientsComponent implements ComfyClients {

    static final String PID = "comfy.workbench.connection.clients";

    /** Timeouts of the HTTP clients. */
    @ObjectClassDefinition(name = "Comfy Workbench HTTP clients", description = "Timeouts for talking to ComfyUI servers")
    public @interface Config {
        @AttributeDefinition(name = "Connect timeout (ms)", min = "1")
        int connectTimeoutMillis() default 5_000;

        @AttributeDefinition(name = "Request timeout (ms)", description = "Until the answer's headers, ordinary routes", min = "1")
        int requestTimeoutMillis() default 30_000;

        @AttributeDefinition(name = "Slow request timeout (ms)",
                description = "Until the answer's headers for object_info, uploads and downloads", min = "1")
        int slowRequestTimeoutMillis() default 180_000;
    }

    @Reference
    private ServerRegistry registry;

    @Reference
    private ServerCredentials credentials;

    private final Map<String, ComfyClient> clients = new ConcurrentHashMap<>();
    private volatile ClientSettings settings;
    /** Ends answers whose body does not arrive in time; one thread for all clients. */
    private final BodyDeadlines deadlines = new BodyDeadlines();

    @Deactivate
    void deactivate() {
        deadlines.close();
    }

    @Activate
    @Modified
    void configure(Config config) {
        settings = new ClientSettings(Duration.ofMillis(config.connectTimeoutMillis()),
                Duration.ofMillis(config.requestTimeoutMillis()), Duration.ofMillis(config.slowRequestTimeoutMillis()));
        // new timeouts apply to new clients only, so drop the cached ones
        clients.clear();
    }

    @Override
    public Optional<ComfyClient> client(String serverId) {
        Optional<ServerDescriptor> server = registry.server(serverId);
        if (server.isEmpty()) {
            clients.remove(serverId);
            return Optional.empty();
        }
        ServerDescriptor current = server.get();
        return Optional.of(clients.compute(serverId,
                (id, cached) -> cached != null && cached.server().equals(current) ? cached : client(current)));
    }

    @Override
    public ComfyClient client(ServerDescriptor server) {
        return new HttpComfyClient(server, settings, credentials, deadlines);
    }

    @Override
    public ComfyClient client(ServerDescriptor server, Duration requestTimeout) {
        ClientSettings configured = settings;
        return new HttpComfyClient(server, new ClientSettings(configured.connectTimeout(), requestTimeout,
                configured.slowRequestTimeout()), credentials, deadlines);
    }
}
