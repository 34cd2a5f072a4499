package comfy.workbench.connection.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

import comfy.workbench.connection.api.ComfyClient;
import comfy.workbench.connection.api.ComfyClients;
import comfy.workbench.connection.api.ComfyException;
import comfy.workbench.connection.api.ConnectionTopics;
import comfy.workbench.connection.api.HealthState;
import comfy.workbench.connection.api.ServerAuth;
import comfy.workbench.connection.api.ServerChange;
import comfy.workbench.connection.api.ServerDescriptor;
import comfy.workbench.connection.api.ServerHealth;
import comfy.workbench.connection.api.ServerHealthListener;
import comfy.workbench.connection.api.ServerHealthService;
import comfy.workbench.connection.api.ServerRegistry;
import comfy.workbench.connection.api.ServerRegistryListener;
import comfy.workbench.testing.captures.Captures;
import comfy.workbench.testing.osgi.Osgi;

/**
 * The DS components in the running framework: registry persistence across component restarts, secrets kept out of
 * the registry file, listeners and Event Admin, the health service.
 */
final class RegistryAndHealthTest {

    private static final String REGISTRY = "comfy.workbench.connection.internal.ServerRegistryComponent";
    private static final String CLIENTS = "comfy.workbench.connection.internal.ComfyClientsComponent";
    private static final String HEALTH = "comfy.workbench.connection.internal.ServerHealthComponent";

    @TempDir
    Path data;

    private final List<ServiceRegistration<?>> registrations = new java.util.ArrayList<>();

    @BeforeEach
    void freshDataDirectory() throws Exception {
        // no scheduled probes: the tests refresh on demand and wait for the results
        Osgi.configure("comfy.workbench.connection.health", HEALTH, Map.of("intervalSeconds", 0, "degradedLatencyMillis", 2000));
        Osgi.configure("comfy.workbench.connection.registry", REGISTRY, Map.of("dataDirectory", data.toString()));
    }

    @AfterEach
    void unregister() {
        registrations.forEach(ServiceRegistration::unregister);
    }

    private <T> void register(Class<T> type, T service, Dictionary<String, Object> properties) {
        registrations.add(Osgi.context().registerService(type, service, properties));
    }

    @Test
    void componentsAreActive() {
        assertNotNull(Osgi.service(ServerRegistry.class));
        assertNotNull(Osgi.service(ComfyClients.class));
        assertNotNull(Osgi.service(ServerHealthService.class));
        Osgi.activeConfiguration(REGISTRY);
        Osgi.activeConfiguration(CLIENTS);
        Osgi.activeConfiguration(HEALTH);
    }

    @Test
    void defaultServerWhenNothingIsConfigured() {
        ServerRegistry registry = Osgi.service(ServerRegistry.class);
        assertEquals(List.of(ServerDescriptor.defaultServer()), registry.servers());
        assertEquals(URI.create("http://127.0.0.1:8188"), registry.server("local").orElseThrow().baseUrl());
        assertFalse(Files.exists(data.resolve("connection/servers.json")), "nothing written before a change");
    }

    @Test
    void changesPersistAcrossARestartAndSecretsStayOutOfTheRegistryFile() throws Exception {
        BlockingQueue<ServerChange> changes = new LinkedBlockingQueue<>();
        register(ServerRegistryListener.class, changes::add, null);
        BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        Dictionary<String, Object> topics = new Hashtable<>(Map.of(EventConstants.EVENT_TOPIC, ConnectionTopics.SERVERS));
        register(EventHandler.class, events::add, topics);

        ServerRegistry registry = Osgi.service(ServerRegistry.class);
        ServerDescriptor bearer = new ServerDescriptor("gpu-box", "GPU box", URI.create("https://gpu.example.org/comfy/"),
                new ServerAuth.Bearer("tok-SECRET-1"));
        ServerDescriptor basic = new ServerDescriptor("basic", null, URI.create("http://10.0.0.2:8188"),
                new ServerAuth.Basic("ann", "pw-SECRET-2"));
        ServerDescriptor headers = new ServerDescriptor("hdr", null, URI.create("http://10.0.0.3:8188"),
                new ServerAuth.Headers(Map.of("X-Api-Key", "key-SECRET-3")));
        registry.add(bearer);
        registry.add(basic);
        registry.add(headers);
        assertThrows(IllegalArgumentException.class, () -> registry.add(bearer));
        registry.update(basic.withLabel("Basic box"));
        assertTrue(registry.remove("local"));
        assertFalse(registry.remove("local"));

        assertEquals(ServerChange.Type.ADDED, changes.poll(5, TimeUnit.SECONDS).type());
        assertEquals(ServerChange.Type.ADDED, changes.poll(5, TimeUnit.SECONDS).type());
        assertEquals(ServerChange.Type.ADDED, changes.poll(5, TimeUnit.SECONDS).type());
        ServerChange changed = changes.poll(5, TimeUnit.SECONDS);
        assertEquals(ServerChange.Type.CHANGED, changed.type());
        assertEquals("Basic box", changed.server().label());
        ServerChange removed = changes.poll(5, TimeUnit.SECONDS);
        assertEquals(ServerChange.Type.REMOVED, removed.type());
        assertEquals("local", removed.server().id());
        Event first = events.poll(5, TimeUnit.SECONDS);
        assertNotNull(first, "an Event Admin event on " + ConnectionTopics.SERVERS);
        assertEquals("gpu-box", first.getProperty(ConnectionTopics.SERVER_ID));
        assertEquals("ADDED", first.getProperty(ConnectionTopics.CHANGE));

        Path file = data.resolve("connection/servers.json");
        String json = Files.readString(file, StandardCharsets.UTF_8);
        assertTrue(json.contains("https://gpu.example.org/comfy"), json);
        assertTrue(json.contains("\"auth\":\"bearer\""), json);
        for (String secret : List.of("tok-SECRET-1", "pw-SECRET-2", "key-SECRET-3", "SECRET")) {
            assertFalse(json.contains(secret), "registry file leaks " + secret + ": " + json);
            assertFalse(new String(Files.readAllBytes(data.resolve("connection/secrets.bin")), StandardCharsets.ISO_8859_1)
                    .contains(secret), "secret store is not encrypted");
        }
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("connection/secrets.bin"))));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("connection/secrets.key"))));
        assertFalse(bearer.toString().contains("SECRET"), bearer.toString());
        assertFalse(basic.auth().toString().contains("SECRET"));
        assertFalse(headers.auth().toString().contains("SECRET"));

        Osgi.restart(REGISTRY);
        ServerRegistry restarted = Osgi.service(ServerRegistry.class);
        assertNotSame(registry, restarted, "a new component instance");
        assertEquals(List.of(bearer, basic.withLabel("Basic box"), headers), restarted.servers());
        assertEquals("tok-SECRET-1", ((ServerAuth.Bearer) restarted.server("gpu-box").orElseThrow().auth()).token());

        restarted.remove("basic");
        Osgi.restart(REGISTRY);
        assertEquals(List.of("gpu-box", "hdr"),
                Osgi.service(ServerRegistry.class).servers().stream().map(ServerDescriptor::id).toList());
    }

    @Test
    void anEntryThatCannotBeReadIsKeptInACopyBeforeTheNextSaveLeavesItOut() throws Exception {
        Path file = data.resolve("connection/servers.json");
        Files.createDirectories(file.getParent());
        String damaged = "{\"format\":1,\"servers\":[{\"id\":\"good\",\"label\":\"Good\",\"baseUrl\":"
                + "\"http://10.0.0.1:8188\",\"auth\":\"none\"},{\"id\":\"lost\",\"label\":\"No URL\"}]}\n";
        Files.writeString(file, damaged);
        Osgi.restart(REGISTRY);
        ServerRegistry registry = Osgi.service(ServerRegistry.class);
        assertEquals(List.of("good"), registry.servers().stream().map(ServerDescriptor::id).toList());

        registry.add(ServerDescriptor.of("other", "http://10.0.0.2:8188"));

        try (var copies = Files.list(file.getParent())) {
            List<Path> kept = copies.filter(p -> p.getFileName().toString().startsWith("servers.json.damaged-")).toList();
            assertEquals(1, kept.size(), kept.toString());
            assertEquals(damaged, Files.readString(kept.get(0)), "the entry the save left out is in the copy");
        }
        assertFalse(Files.readString(file).contains("No URL"));
    }

    @Test
    void clientsFollowTheRegistry() {
        ServerRegistry registry = Osgi.service(ServerRegistry.class);
        ComfyClients clients = Osgi.service(ComfyClients.class);
        ComfyClient local = clients.client("local").orElseThrow();
        assertSame(local, clients.client("local").orElseThrow(), "one client per server");
        registry.update(registry.server("local").orElseThrow().withBaseUrl(URI.create("http://127.0.0.1:9999")));
        ComfyClient moved = clients.client("local").orElseThrow();
        assertNotSame(local, moved);
        assertEquals(9999, moved.server().baseUrl().getPort());
        assertTrue(clients.client("nope").isEmpty());
    }

    @Test
    void healthUpDownAndDegraded() throws Exception {
        Captures captures = Captures.locate();
        BlockingQueue<ServerHealth> changes = new LinkedBlockingQueue<>();
        register(ServerHealthListener.class, (previous, current) -> changes.add(current), null);
        BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        register(EventHandler.class, events::add,
                new Hashtable<>(Map.of(EventConstants.EVENT_TOPIC, ConnectionTopics.HEALTH)));
        ServerRegistry registry = Osgi.service(ServerRegistry.class);
        ServerHealthService health = Osgi.service(ServerHealthService.class);

        try (ReplayServer server = ReplayServer.start().replay(captures, "00_http_endpoints.jsonl")) {
            registry.add(new ServerDescriptor("replay", null, server.baseUrl(), null));
            ServerHealth up = health.refresh("replay").get(20, TimeUnit.SECONDS);
            assertEquals(HealthState.UP, up.state(), up.reason());
            assertEquals("0.3.64", up.capabilities().orElseThrow().version());
            assertFalse(up.capabilities().orElseThrow().jobsApi());
            assertTrue(up.capabilities().orElseThrow().features().supportsPreviewMetadata());
            assertTrue(up.latency().orElseThrow().toNanos() > 0);
            // adding the server may have started a probe of its own that finishes after ours: compare what it found
            ServerHealth known = health.health("replay");
            assertEquals(HealthState.UP, known.state(), known.reason());
            assertEquals(up.capabilities(), known.capabilities());
            awaitHealth(changes, "replay", HealthState.UP);
            Event event = awaitEvent(events, "replay", "UP");
            assertEquals("UNKNOWN", event.getProperty(ConnectionTopics.PREVIOUS_STATE));

            // slower than the threshold: DEGRADED
            Osgi.configure("comfy.workbench.connection.health", HEALTH, Map.of("intervalSeconds", 0, "degradedLatencyMillis", 1));
            server.behave("GET", "/system_stats", (request, response, callback) -> {
                Thread.sleep(30); // the server under test is slow on purpose
                ReplayServer.send(response, callback, ReplayServer.Reply.json(200, captures
                        .records("00_http_endpoints.jsonl", "http_response").get(0).get("body_raw").getAsString()));
            });
            ServerHealth slow = Osgi.service(ServerHealthService.class).refresh("replay").get(20, TimeUnit.SECONDS);
            assertEquals(HealthState.DEGRADED, slow.state());
            assertTrue(slow.reason().startsWith("slow"), slow.reason());
        }

        // the server is gone: DOWN with the typed reason
        ServerHealth down = Osgi.service(ServerHealthService.class).refresh("replay").get(20, TimeUnit.SECONDS);
        assertEquals(HealthState.DOWN, down.state());
        assertEquals(ComfyException.Kind.CONNECTION_REFUSED, down.failure().orElseThrow());
        assertTrue(down.latency().isEmpty());
        awaitEvent(events, "replay", "DOWN");

        registry.remove("replay");
        Osgi.await("health of a removed server forgotten",
                () -> Osgi.service(ServerHealthService.class).health("replay").state() == HealthState.UNKNOWN);
    }

    private static void awaitHealth(BlockingQueue<ServerHealth> changes, String id, HealthState state) throws InterruptedException {
        long deadline = System.nanoTime() + Osgi.TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            ServerHealth h = changes.poll(1, TimeUnit.SECONDS);
            if (h != null && h.serverId().equals(id) && h.state() == state) {
                return;
            }
        }
        throw new AssertionError("no health change of " + id + " to " + state);
    }

    private static Event awaitEvent(BlockingQueue<Event> events, String id, String state) throws InterruptedException {
        long deadline = System.nanoTime() + Osgi.TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Event e = events.poll(1, TimeUnit.SECONDS);
            if (e != null && id.equals(e.getProperty(ConnectionTopics.SERVER_ID)) && state.equals(e.getProperty(ConnectionTopics.STATE))) {
                return e;
            }
        }
        throw new AssertionError("no " + ConnectionTopics.HEALTH + " event for " + id + " " + state);
    }
}
