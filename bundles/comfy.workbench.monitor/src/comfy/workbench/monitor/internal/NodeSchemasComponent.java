package comfy.workbench.monitor.internal;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import comfy.workbench.cache.api.Cache;
import comfy.workbench.cache.api.CacheManager;
import comfy.workbench.cache.api.CachePolicy;
import comfy.workbench.cache.api.CacheSpec;
import comfy.workbench.connection.api.ComfyClient;
import comfy.workbench.connection.api.ComfyClients;
import comfy.workbench.connection.api.ComfyException;
import comfy.workbench.connection.api.ServerHealth;
import comfy.workbench.connection.api.ServerHealthListener;
import comfy.workbench.model.api.NodeSchema;
import comfy.workbench.monitor.api.ConnectionEvent;
import comfy.workbench.monitor.api.ConnectionState;
import comfy.workbench.monitor.api.ExecutionListener;
import comfy.workbench.monitor.api.MonitorEvent;
import comfy.workbench.monitor.api.NodeSchemas;

/**
 * {@link NodeSchemas} on a cache named {@value #CACHE}, weighed by the size of the schema's JSON. It listens to the
 * monitor's connection events (a dropped socket forgets the server's schema) and to health changes (another version
 * forgets it too).
 */
@Component(service = { NodeSchemas.class, ExecutionListener.class, ServerHealthListener.class },
        configurationPid = NodeSchemasComponent.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = ExecutionListener.TYPES + "=CONNECTION")
@Designate(ocd = NodeSchemasComponent.Config.class)
public final class NodeSchemasComponent implements NodeSchemas, ExecutionListener, ServerHealthListener {

    static final String PID = "comfy.workbench.monitor.schemas";
    static final String CACHE = "monitor.node-schemas";
    private static final Logger LOG = LoggerFactory.getLogger(NodeSchemasComponent.class);

    /** Configuration of the schema cache. */
    @ObjectClassDefinition(name = "Comfy Workbench node schema cache")
    public @interface Config {
        @AttributeDefinition(name = "Fresh for (s)", description = "How long a fetched schema is used before it is "
                + "fetched again (servers list their model files in it)", min = "1")
        long expireAfterWriteSeconds() default 600;

        @AttributeDefinition(name = "Memory (MiB)", description = "Budget of all servers' schemas, by JSON size", min = "1")
        long maximumMiB() default 64;
    }

    /** A fetched schema and the size of its JSON (its weight). */
    private record Fetched(NodeSchema schema, int bytes) {
    }

    /** Carries a checked failure of a fetch through the cache's loader. */
    private static final class FetchFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        FetchFailed(ComfyException cause) {
            super(cause);
        }
    }

    private final Cache<String, Fetched> cache;
    private final ComfyClients clients;
    private final CacheManager caches;
    private final Map<String, String> versions = new ConcurrentHashMap<>();

    @Activate
    public NodeSchemasComponent(@Reference CacheManager caches, @Reference ComfyClients clients, Config config) {
        if (config.expireAfterWriteSeconds() < 1 || config.maximumMiB() < 1) {
            throw new IllegalArgumentException("expireAfterWriteSeconds and maximumMiB must be at least 1, not "
                    + config.expireAfterWriteSeconds() + " and " + config.maximumMiB());
        }
        this.clients = clients;
        this.caches = caches;
        CachePolicy policy = CachePolicy.weight(config.maximumMiB() << 20)
                .withExpireAfterWrite(Duration.ofSeconds(config.expireAfterWriteSeconds()));
        this.cache = caches.create(CacheSpec.<String, Fetched>of(CACHE, policy).withWeigher((k, v) -> v.bytes()));
    }

    @Deactivate
    void deactivate() {
        caches.remove(CACHE);
    }

    @Override
    public NodeSchema schema(String serverId) throws ComfyException {
        ComfyClient client = clients.client(serverId)
                .orElseThrow(() -> new IllegalArgumentException("no server " + serverId + " is registered"));
        try {
            return cache.get(serverId, id -> fetch(client)).schema();
        } catch (FetchFailed e) {
            throw (ComfyException) e.getCause();
        }
    }

    private static Fetched fetch(ComfyClient client) {
        try {
            int[] bytes = new int[1];
            NodeSchema schema = client.objectInfo((text, what) -> {
                bytes[0] = text.length();
                return NodeSchema.parse(text, what);
            });
            return new Fetched(schema, bytes[0]);
        } catch (ComfyException e) {
            throw new FetchFailed(e);
        }
    }

    @Override
    public Optional<NodeSchema> cached(String serverId) {
        return cache.getIfPresent(serverId).map(Fetched::schema);
    }

    @Override
    public void invalidate(String serverId) {
        cache.invalidate(serverId);
    }

    @Override
    public void onEvent(MonitorEvent event) {
        // the server may be restarting, perhaps with other custom nodes
        if (event instanceof ConnectionEvent c && c.state() == ConnectionState.DISCONNECTED) {
            invalidate(c.serverId());
        }
    }

    @Override
    public void healthChanged(ServerHealth previous, ServerHealth current) {
        current.capabilities().map(c -> c.stats().comfyuiVersion()).filter(v -> !v.isEmpty()).ifPresent(version -> {
            String before = versions.put(current.serverId(), version);
            if (before != null && !before.equals(version)) {
                LOG.info("{} now runs ComfyUI {} (was {}): its node schema is fetched again", current.serverId(),
                        version, before);
                invalidate(current.serverId());
            }
        });
    }
}
