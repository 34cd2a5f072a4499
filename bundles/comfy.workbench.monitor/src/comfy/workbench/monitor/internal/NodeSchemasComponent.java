package comfy.workbench.monitor.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

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

import comfy.workbench.cache.api.BlobCache;
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
 * forgets it too). The JSON each server last gave is kept, gzipped, in the blob cache {@value #LAST_KNOWN}, which
 * outlives this component: it is what {@link #lastKnown(String)} reads while the server does not answer.
 */
@Component(service = { NodeSchemas.class, ExecutionListener.class, ServerHealthListener.class },
        configurationPid = NodeSchemasComponent.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = ExecutionListener.TYPES + "=CONNECTION")
@Designate(ocd = NodeSchemasComponent.Config.class)
public final class NodeSchemasComponent implements NodeSchemas, ExecutionListener, ServerHealthListener {

    static final String PID = "comfy.workbench.monitor.schemas";
    static final String CACHE = "monitor.node-schemas";
    static final String LAST_KNOWN = "monitor.node-schemas.last-known";
    /** At most this many last known schemas are held parsed. */
    private static final int MEMO_LIMIT = 8;
    private static final Logger LOG = LoggerFactory.getLogger(NodeSchemasComponent.class);

    /** Configuration of the schema cache. */
    @ObjectClassDefinition(name = "Comfy Workbench node schema cache")
    public @interface Config {
        @AttributeDefinition(name = "Fresh for (s)", description = "How long a fetched schema is used before it is "
                + "fetched again (servers list their model files in it)", min = "1")
        long expireAfterWriteSeconds() default 600;

        @AttributeDefinition(name = "Memory (MiB)", description = "Budget of all servers' schemas, by JSON size", min = "1")
        long maximumMiB() default 64;

        @AttributeDefinition(name = "Last known on disk (MiB)", description = "Budget of the schemas kept on disk, "
                + "gzipped, to check and queue jobs with while their server does not answer", min = "1")
        long lastKnownMiB() default 64;
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
    private final BlobCache lastKnown;
    /** The hash of the JSON last stored per server: an unchanged schema is not written again. */
    private final Map<String, Integer> stored = new ConcurrentHashMap<>();
    /** Stored schemas read while their server gave none (empty: none, or unreadable); dropped when it gives one. */
    private final Map<String, Optional<NodeSchema>> lastParsed = new ConcurrentHashMap<>();

    @Activate
    public NodeSchemasComponent(@Reference CacheManager caches, @Reference ComfyClients clients, Config config) {
        if (config.expireAfterWriteSeconds() < 1 || config.maximumMiB() < 1 || config.lastKnownMiB() < 1
                || config.lastKnownMiB() > Long.MAX_VALUE >> 20) {
            throw new IllegalArgumentException("expireAfterWriteSeconds, maximumMiB and lastKnownMiB must be at least 1 "
                    + "(lastKnownMiB at most " + (Long.MAX_VALUE >> 20) + "), not " + config.expireAfterWriteSeconds()
                    + ", " + config.maximumMiB() + " and " + config.lastKnownMiB());
        }
        this.clients = clients;
        this.caches = caches;
        CachePolicy policy = CachePolicy.weight(config.maximumMiB() << 20)
                .withExpireAfterWrite(Duration.ofSeconds(config.expireAfterWriteSeconds()));
        this.cache = caches.create(CacheSpec.<String, Fetched>of(CACHE, policy).withWeigher((k, v) -> v.bytes()));
        this.lastKnown = lastKnownCache(caches, config.lastKnownMiB() << 20);
    }

    private static BlobCache lastKnownCache(CacheManager caches, long bytes) {
        try {
            return caches.blobCache(LAST_KNOWN, bytes);
        } catch (IllegalStateException e) {
            // its budget was changed while the cache manager runs: the new one applies from the next start
            LOG.warn("{}; the last known node schemas keep their budget until the next start", e.getMessage());
            return caches.findBlobCache(LAST_KNOWN).orElseThrow(() -> e);
        }
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
            return cache.get(serverId, id -> fetch(id, client)).schema();
        } catch (FetchFailed e) {
            throw (ComfyException) e.getCause();
        }
    }

    private Fetched fetch(String serverId, ComfyClient client) {
        try {
            int[] bytes = new int[1];
            NodeSchema schema = client.objectInfo((text, what) -> {
                bytes[0] = text.length();
                NodeSchema parsed = NodeSchema.parse(text, what);
                keep(lastKnownKey(serverId, client), text); // only a schema that parsed
                return parsed;
            });
            return new Fetched(schema, bytes[0]);
        } catch (ComfyException e) {
            throw new FetchFailed(e);
        }
    }

    /** The server's id and URL: an id given to another machine must not get the schema of the one it named before. */
    private static String lastKnownKey(String serverId, ComfyClient client) {
        return serverId + " " + client.server().baseUrl();
    }

    private void keep(String key, String json) {
        int hash = json.hashCode();
        Integer before = stored.get(key);
        if (before == null || before != hash || !lastKnown.contains(key)) {
            try {
                ByteArrayOutputStream gzipped = new ByteArrayOutputStream(json.length() / 8);
                try (GZIPOutputStream out = new GZIPOutputStream(gzipped)) {
                    out.write(json.getBytes(StandardCharsets.UTF_8));
                }
                if (lastKnown.put(key, new ByteArrayInputStream(gzipped.toByteArray()))) {
                    stored.put(key, hash);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e); // in memory: not reached
            }
        }
        // after the write: a read meanwhile would otherwise keep the older copy; the server gives one again, so the
        // memo is not needed until it stops
        lastParsed.remove(key);
    }

    @Override
    public Optional<NodeSchema> lastKnown(String serverId) {
        Optional<NodeSchema> fresh = cached(serverId);
        if (fresh.isPresent()) {
            return fresh;
        }
        Optional<ComfyClient> client = clients.client(serverId);
        if (client.isEmpty()) {
            return Optional.empty();
        }
        String key = lastKnownKey(serverId, client.get());
        // read once while the server gives none: every check of a workflow asks again (a few servers' worth: a
        // registry that changed much starts over rather than keep schemas of servers gone)
        if (lastParsed.size() >= MEMO_LIMIT && !lastParsed.containsKey(key)) {
            lastParsed.clear();
        }
        return lastParsed.computeIfAbsent(key, this::readLastKnown);
    }

    /** The stored schema; empty when there is none or it cannot be read (said once, not at every check). */
    private Optional<NodeSchema> readLastKnown(String key) {
        Optional<InputStream> data = lastKnown.open(key);
        if (data.isEmpty()) {
            return Optional.empty();
        }
        String serverId = key.substring(0, key.indexOf(' '));
        try (InputStream in = new GZIPInputStream(data.get())) {
            return Optional.of(NodeSchema.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8),
                    "the node schema " + serverId + " last gave"));
        } catch (IOException | RuntimeException e) {
            // written by another version, or damaged past its checksum: as good as none
            LOG.warn("the node schema {} last gave cannot be read: {}", serverId, e.toString());
            return Optional.empty();
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
