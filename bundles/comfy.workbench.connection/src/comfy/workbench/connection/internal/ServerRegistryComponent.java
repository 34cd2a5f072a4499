package comfy.workbench.connection.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.CRC32;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

import comfy.workbench.connection.api.ConnectionTopics;
import comfy.workbench.connection.api.ServerAuth;
import comfy.workbench.connection.api.ServerChange;
import comfy.workbench.connection.api.ServerDescriptor;
import comfy.workbench.connection.api.ServerRegistry;
import comfy.workbench.connection.api.ServerRegistryListener;
import comfy.workbench.model.api.ComfyJson;

/**
 * The server registry, persisted as {@code connection/servers.json} under the data directory, with the auth
 * secrets in {@link SecretStore}. The registry file names only the kind of auth of each server
 * (and the credential provider of provided auth, a name and no secret).
 */
@Component(service = ServerRegistry.class, configurationPid = ServerRegistryComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = ServerRegistryComponent.Config.class)
public final class ServerRegistryComponent implements ServerRegistry {

    static final String PID = "comfy.workbench.connection.registry";

    /** Configuration of the registry. */
    @ObjectClassDefinition(name = "Comfy Workbench server registry",
            description = "Where the list of ComfyUI servers is kept")
    public @interface Config {
        @AttributeDefinition(name = "Data directory", description = "Folder holding connection/servers.json; "
                + "empty for the comfy.workbench.data property, the instance location or ~/.comfy-workbench")
        String dataDirectory() default "";
    }

    private static final Logger LOG = LoggerFactory.getLogger(ServerRegistryComponent.class);
    private static final int FORMAT = 1;

    private static final String LISTENERS = "listener";

    /*
     * Listeners are bound by reference and their services located only when a change is announced: components that
     * are listeners and also use the registry (health, monitor) would otherwise form a cycle while this component is
     * created, which SCR reports as an error at every start.
     */
    private final CopyOnWriteArrayList<ServiceReference<ServerRegistryListener>> listeners = new CopyOnWriteArrayList<>();
    private volatile ComponentContext component;
    private volatile EventAdmin eventAdmin;

    private final Object lock = new Object();
    private Path registryFile;
    private SecretStore secrets;
    /** Immutable snapshot, replaced as a whole under {@link #lock} after each successful write. */
    private volatile List<ServerDescriptor> servers = List.of();

    @Activate
    void activate(ComponentContext component, BundleContext context, Config config) {
        this.component = component;
        Path dir = DataDirectory.resolve(context, config.dataDirectory()).resolve("connection");
        registryFile = dir.resolve("servers.json");
        secrets = new SecretStore(dir.resolve("secrets.bin"), dir.resolve("secrets.key"));
        servers = List.copyOf(load());
        LOG.info("server registry {} with {} server(s)", registryFile, servers.size());
    }

    @Reference(name = LISTENERS, service = ServerRegistryListener.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC)
    void addListener(ServiceReference<ServerRegistryListener> listener) {
        // once: a listener bound twice would hear every change twice (a CI run once saw a fourth ADDED of three adds)
        listeners.addIfAbsent(listener);
    }

    void removeListener(ServiceReference<ServerRegistryListener> listener) {
        listeners.remove(listener);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setEventAdmin(EventAdmin admin) {
        eventAdmin = admin;
    }

    void unsetEventAdmin(EventAdmin admin) {
        if (eventAdmin == admin) {
            eventAdmin = null;
        }
    }

    @Override
    public List<ServerDescriptor> servers() {
        return servers;
    }

    @Override
    public Optional<ServerDescriptor> server(String id) {
        return servers.stream().filter(s -> s.id().equals(id)).findFirst();
    }

    @Override
    public void add(ServerDescriptor server) {
        synchronized (lock) {
            if (server(server.id()).isPresent()) {
                throw new IllegalArgumentException("a server with id '" + server.id() + "' exists already");
            }
            List<ServerDescriptor> next = new ArrayList<>(servers);
            next.add(server);
            commit(next);
        }
        announce(new ServerChange(ServerChange.Type.ADDED, server));
    }

    @Override
    public void update(ServerDescriptor server) {
        synchronized (lock) {
            List<ServerDescriptor> next = new ArrayList<>(servers);
            int index = indexOf(next, server.id());
            if (index < 0) {
                throw new IllegalArgumentException("no server with id '" + server.id() + "'");
            }
            if (next.get(index).equals(server)) {
                return;
            }
            next.set(index, server);
            commit(next);
        }
        announce(new ServerChange(ServerChange.Type.CHANGED, server));
    }

    @Override
    public boolean remove(String id) {
        ServerDescriptor removed;
        synchronized (lock) {
            List<ServerDescriptor> next = new ArrayList<>(servers);
            int index = indexOf(next, id);
            if (index < 0) {
                return false;
            }
            removed = next.remove(index);
            commit(next);
        }
        announce(new ServerChange(ServerChange.Type.REMOVED, removed));
        return true;
    }

    private static int indexOf(List<ServerDescriptor> list, String id) {
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).id().equals(id)) {
                return i;
            }
        }
        return -1;
    }

    /** Writes secrets, then the registry, then publishes the new snapshot: a failed write changes nothing. */
    private void commit(List<ServerDescriptor> next) {
        JsonArray list = new JsonArray();
        Map<String, JsonObject> secretValues = new LinkedHashMap<>();
        for (ServerDescriptor s : next) {
            JsonObject o = new JsonObject();
            o.addProperty("id", s.id());
            o.addProperty("label", s.label());
            o.addProperty("baseUrl", s.baseUrl().toString());
            o.addProperty("auth", s.auth().kind());
            if (s.auth() instanceof ServerAuth.Provided provided) {
                // a name, not a secret: it belongs in the registry, where a user can read what the server uses
                o.addProperty("provider", provided.provider());
            }
            list.add(o);
            secretOf(s.auth()).ifPresent(secret -> secretValues.put(s.id(), secret));
        }
        JsonObject file = new JsonObject();
        file.addProperty("format", FORMAT);
        file.add("servers", list);
        try {
            secrets.save(secretValues);
            PrivateFiles.write(registryFile, (ComfyJson.write(file) + "\n").getBytes(StandardCharsets.UTF_8), false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the server registry " + registryFile + ": " + e.getMessage(), e);
        }
        servers = List.copyOf(next);
    }

    private List<ServerDescriptor> load() {
        if (!Files.exists(registryFile)) {
            return List.of(ServerDescriptor.defaultServer());
        }
        JsonObject file;
        try {
            file = ComfyJson.parseObject(Files.readString(registryFile, StandardCharsets.UTF_8), registryFile.toString());
        } catch (IOException | RuntimeException e) {
            Path aside = registryFile.resolveSibling("servers.json.damaged-" + System.currentTimeMillis());
            LOG.error("server registry {} cannot be read ({}); kept as {} and starting with the default server",
                    registryFile, e.getMessage(), aside);
            try {
                Files.move(registryFile, aside, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException moveFailure) {
                LOG.error("cannot move {} aside: {}", registryFile, moveFailure.getMessage());
            }
            return List.of(ServerDescriptor.defaultServer());
        }
        Map<String, JsonObject> secretValues;
        try {
            secretValues = secrets.load();
        } catch (IOException e) {
            LOG.error("server secrets cannot be read, servers with auth will fail until their auth is set again: {}",
                    e.getMessage());
            secretValues = Map.of();
        }
        List<ServerDescriptor> result = new ArrayList<>();
        JsonElement list = file.get("servers");
        if (list == null || !list.isJsonArray()) {
            LOG.error("server registry {} has no servers list; starting empty (kept as {})", registryFile,
                    keepDamagedCopy());
            return result;
        }
        boolean skipped = false;
        for (JsonElement element : list.getAsJsonArray()) {
            try {
                if (!element.isJsonObject()) {
                    throw new IllegalStateException("not an object");
                }
                JsonObject o = element.getAsJsonObject();
                for (String field : List.of("id", "baseUrl")) {
                    if (!(o.get(field) instanceof JsonPrimitive p && p.isString())) {
                        throw new IllegalStateException("its \"" + field + "\" is missing or not text");
                    }
                }
                String id = o.get("id").getAsString();
                String kind = o.has("auth") ? o.get("auth").getAsString() : "none";
                ServerAuth auth;
                try {
                    auth = kind.equals("provided") ? providedOf(o)
                            : authOf(kind, secretValues.get(id));
                } catch (RuntimeException e) {
                    // keep the server (dropping it would erase it on the next save); its auth must be entered again
                    LOG.error("server {}: {}; it has no auth until its credentials are set again", id, e.getMessage());
                    auth = ServerAuth.NONE;
                }
                result.add(new ServerDescriptor(id, o.has("label") ? o.get("label").getAsString() : id,
                        URI.create(o.get("baseUrl").getAsString()), auth));
            } catch (RuntimeException e) {
                skipped = true;
                LOG.error("skipping a server entry of {} that cannot be read: {} ({})", registryFile, element,
                        e.getMessage());
            }
        }
        if (skipped) {
            // the next save writes only the servers read: what was skipped would be gone
            LOG.error("the server registry {} is kept as {} with the entries that could not be read", registryFile,
                    keepDamagedCopy());
        }
        return result;
    }

    /**
     * A copy of the registry file beside it, before a save replaces what could not be read; its name, or why not.
     * Named by its content, so that reading the same file again (each activation does) keeps one copy.
     */
    private String keepDamagedCopy() {
        try {
            byte[] content = Files.readAllBytes(registryFile);
            CRC32 crc = new CRC32();
            crc.update(content);
            Path copy = registryFile.resolveSibling("servers.json.damaged-" + Long.toHexString(crc.getValue()));
            Files.write(copy, content);
            return copy.toString();
        } catch (IOException e) {
            return "nothing (it cannot be copied: " + e.getMessage() + ")";
        }
    }

    private static Optional<JsonObject> secretOf(ServerAuth auth) {
        JsonObject o = new JsonObject();
        if (auth instanceof ServerAuth.Bearer bearer) {
            o.addProperty("token", bearer.token());
        } else if (auth instanceof ServerAuth.Basic basic) {
            o.addProperty("user", basic.user());
            o.addProperty("password", basic.password());
        } else if (auth instanceof ServerAuth.Headers headers) {
            JsonObject values = new JsonObject();
            headers.values().forEach(values::addProperty);
            o.add("headers", values);
        } else {
            return Optional.empty();
        }
        return Optional.of(o);
    }

    private static ServerAuth providedOf(JsonObject entry) {
        JsonElement provider = entry.get("provider");
        if (provider == null || !provider.isJsonPrimitive()) {
            throw new IllegalStateException("its provided auth names no credential provider");
        }
        return new ServerAuth.Provided(provider.getAsString());
    }

    private static ServerAuth authOf(String kind, JsonObject secret) {
        if (kind.equals("none")) {
            return ServerAuth.NONE;
        }
        if (secret == null) {
            throw new IllegalStateException("its " + kind + " credentials are missing from the secret store");
        }
        switch (kind) {
        case "bearer":
            return new ServerAuth.Bearer(secret.get("token").getAsString());
        case "basic":
            return new ServerAuth.Basic(secret.get("user").getAsString(), secret.get("password").getAsString());
        case "headers":
            Map<String, String> values = new LinkedHashMap<>();
            secret.getAsJsonObject("headers").entrySet().forEach(e -> values.put(e.getKey(), e.getValue().getAsString()));
            return new ServerAuth.Headers(values);
        default:
            throw new IllegalStateException("unknown auth kind '" + kind + "'");
        }
    }

    private void announce(ServerChange change) {
        LOG.info("server {} {}", change.server(), change.type());
        ComponentContext context = component;
        for (ServiceReference<ServerRegistryListener> reference : listeners) {
            ServerRegistryListener listener = context == null ? null : context.locateService(LISTENERS, reference);
            if (listener == null) {
                continue;
            }
            try {
                listener.serverChanged(change);
            } catch (RuntimeException e) {
                LOG.error("server registry listener {} failed on {}", listener, change.type(), e);
            }
        }
        EventAdmin admin = eventAdmin;
        if (admin != null) {
            admin.postEvent(new Event(ConnectionTopics.SERVERS, Map.of(ConnectionTopics.SERVER_ID, change.server().id(),
                    ConnectionTopics.CHANGE, change.type().name())));
        }
    }
}
