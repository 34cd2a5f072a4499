package comfy.workbench.connection.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import comfy.workbench.connection.api.ComfyClient;
import comfy.workbench.connection.api.ComfyClients;
import comfy.workbench.connection.api.ComfyException;
import comfy.workbench.connection.api.ComfyException.Kind;
import comfy.workbench.connection.api.HealthState;
import comfy.workbench.connection.api.PromptRequest;
import comfy.workbench.connection.api.ServerAuth;
import comfy.workbench.connection.api.ServerDescriptor;
import comfy.workbench.connection.api.ServerHealth;
import comfy.workbench.connection.api.ServerHealthService;
import comfy.workbench.connection.api.ServerRegistry;
import comfy.workbench.testing.fake.FakeComfyServer;
import comfy.workbench.testing.fake.Stall;
import comfy.workbench.testing.osgi.Osgi;
import comfy.workbench.testing.osgi.Eventually;

/**
 * Faults of a live server, made by the fake and seen through the DS services: refused connections, 500s, stalls
 * beyond the request timeout, a restart, a path prefix, auth, and the health service following the server.
 */
final class FakeServerFaultTest {

    private static final String REGISTRY = "comfy.workbench.connection.internal.ServerRegistryComponent";
    private static final String CLIENTS = "comfy.workbench.connection.internal.ComfyClientsComponent";
    private static final String HEALTH = "comfy.workbench.connection.internal.ServerHealthComponent";

    @TempDir
    Path data;

    private FakeComfyServer fake;
    private ServerRegistry registry;

    @BeforeEach
    void startAndRegister() throws Exception {
        Osgi.configure("comfy.workbench.connection.registry", REGISTRY, Map.of("dataDirectory", data.toString()));
        registry = Osgi.service(ServerRegistry.class);
        fake = FakeComfyServer.builder().start();
        registry.add(new ServerDescriptor("fake", null, fake.baseUri(), null));
    }

    @AfterEach
    void stop() {
        fake.close();
        registry.remove("fake");
    }

    private static ComfyClient client(String id) {
        return Osgi.service(ComfyClients.class).client(id).orElseThrow();
    }

    private static ComfyException fails(Kind kind, BadInputTest.ThrowingCall call) {
        ComfyException e = assertThrows(ComfyException.class, call::run);
        assertEquals(kind, e.kind(), e.getMessage());
        return e;
    }

    @Test
    void refusedConnectionNamesServerAndRoute() throws Exception {
        ComfyClient client = client("fake");
        assertEquals(0, client.queueRemaining());
        fake.refuseConnections(true);
        ComfyException e = fails(Kind.CONNECTION_REFUSED, client::queue);
        assertEquals("fake", e.serverId());
        assertEquals("GET /api/queue", e.route());
        assertTrue(e.getMessage().startsWith("[fake] GET /api/queue: CONNECTION_REFUSED"), e.getMessage());
        assertTrue(e.status().isEmpty());
        assertTrue(e.isTransient());
        fake.refuseConnections(false);
        assertEquals(0, client.queue().size(), "the same client works again once the server listens");
    }

    @Test
    void serverErrorCarriesStatusAndBody() throws Exception {
        ComfyClient client = client("fake");
        fake.failWith500("GET /history/\\{id\\}");
        ComfyException e = fails(Kind.HTTP_STATUS, () -> client.history("00000000-0000-0000-0000-000000000000"));
        assertEquals(500, e.status().getAsInt());
        assertTrue(e.bodyExcerpt().contains("Server got itself in trouble"), e.bodyExcerpt());
        assertTrue(e.getMessage().startsWith("[fake] GET /api/history/00000000-0000-0000-0000-000000000000"), e.getMessage());
        assertTrue(e.isTransient());
        assertEquals(0, client.queue().size(), "other routes are not affected");
        fake.clearFaults();
        assertEquals(Optional.empty(), client.history("00000000-0000-0000-0000-000000000000"));
    }

    @Test
    void stallBeyondTheRequestTimeout() throws Exception {
        Osgi.configure("comfy.workbench.connection.clients", CLIENTS,
                Map.of("connectTimeoutMillis", 2000, "requestTimeoutMillis", 500, "slowRequestTimeoutMillis", 500));
        try (Stall stall = fake.stall("GET /queue")) {
            ComfyClient client = client("fake");
            ComfyException e = fails(Kind.TIMEOUT, client::queue);
            assertEquals("GET /api/queue", e.route());
            assertTrue(e.getMessage().contains("500 ms"), e.getMessage());
            assertTrue(e.isTransient());
            assertEquals(0, client.queueRemaining(), "only the stalled route times out");
        } finally {
            Osgi.configure("comfy.workbench.connection.clients", CLIENTS,
                    Map.of("connectTimeoutMillis", 5000, "requestTimeoutMillis", 30000, "slowRequestTimeoutMillis", 180000));
        }
        assertEquals(0, client("fake").queue().size());
    }

    @Test
    void restartLosesQueueAndHistory() throws Exception {
        ComfyClient client = client("fake");
        String id = client.submit(PromptRequest.of(FakeServerClientTest.quick(7, "restart"))).promptId();
        assertTrue(FakeServerClientTest.finished(client, id).succeeded());
        int port = fake.port();
        fake.restart();
        assertEquals(port, fake.port());
        assertEquals(Optional.empty(), client.history(id));
        assertEquals(0, client.history().size());
        assertEquals(0, client.queue().size());
        String again = client.submit(PromptRequest.of(FakeServerClientTest.quick(7, "restart"))).promptId();
        assertTrue(FakeServerClientTest.finished(client, again).succeeded(), "the same client works after the restart");
    }

    @Test
    void serverBehindAPathPrefix() throws Exception {
        try (FakeComfyServer proxied = FakeComfyServer.builder().pathPrefix("/comfy").start()) {
            assertTrue(proxied.baseUri().getPath().equals("/comfy"), proxied.baseUri().toString());
            registry.add(ServerDescriptor.of("prefixed", proxied.baseUri() + "/"));
            registry.add(ServerDescriptor.of("unprefixed", "http://127.0.0.1:" + proxied.port()));
            try {
                ComfyClient client = client("prefixed");
                assertEquals(proxied.baseUri(), client.server().baseUrl());
                assertEquals("0.3.64", client.systemStats().comfyuiVersion());
                String id = client.submit(PromptRequest.of(FakeServerClientTest.quick(9, "prefixed"))).promptId();
                assertTrue(FakeServerClientTest.finished(client, id).succeeded());
                assertEquals(1, proxied.requests("POST /prompt"));

                ComfyException e = fails(Kind.HTTP_STATUS, client("unprefixed")::systemStats);
                assertEquals(404, e.status().getAsInt());
                assertEquals("unprefixed", e.serverId());
            } finally {
                registry.remove("prefixed");
                registry.remove("unprefixed");
            }
        }
    }

    @Test
    void bearerTokenServer() throws Exception {
        try (FakeComfyServer guarded = FakeComfyServer.builder().bearerToken("s3cret-token").start()) {
            URI url = guarded.baseUri();
            registry.add(new ServerDescriptor("bearer", null, url, null));
            try {
                ComfyException none = fails(Kind.UNAUTHORIZED, client("bearer")::systemStats);
                assertEquals(401, none.status().getAsInt());
                assertEquals("bearer", none.serverId());
                registry.update(registry.server("bearer").orElseThrow().withAuth(new ServerAuth.Bearer("wrong")));
                ComfyException wrong = fails(Kind.UNAUTHORIZED, client("bearer")::queue);
                assertFalse(wrong.getMessage().contains("wrong"), "the message must not leak the token");
                registry.update(registry.server("bearer").orElseThrow().withAuth(new ServerAuth.Bearer("s3cret-token")));
                ComfyClient client = client("bearer");
                assertEquals("0.3.64", client.systemStats().comfyuiVersion());
                String id = client.submit(PromptRequest.of(FakeServerClientTest.quick(11, "bearer"))).promptId();
                assertTrue(FakeServerClientTest.finished(client, id).succeeded());
            } finally {
                registry.remove("bearer");
            }
        }
    }

    @Test
    void basicAuthServer() throws Exception {
        try (FakeComfyServer guarded = FakeComfyServer.builder().basicAuth("ann", "pa:ss").start()) {
            ComfyClients clients = Osgi.service(ComfyClients.class);
            ComfyException none = fails(Kind.UNAUTHORIZED,
                    () -> clients.client(new ServerDescriptor("basic", null, guarded.baseUri(), null)).queue());
            assertEquals(401, none.status().getAsInt());
            fails(Kind.UNAUTHORIZED, () -> clients.client(new ServerDescriptor("basic", null, guarded.baseUri(),
                    new ServerAuth.Basic("ann", "nope"))).queue());
            ComfyClient client = clients.client(new ServerDescriptor("basic", null, guarded.baseUri(),
                    new ServerAuth.Basic("ann", "pa:ss")));
            assertEquals(0, client.queue().size());
            assertEquals(20, client.modelFolders().size());
        }
    }

    @Test
    void healthFollowsTheServer() throws Exception {
        Osgi.configure("comfy.workbench.connection.health", HEALTH, Map.of("intervalSeconds", 0, "degradedLatencyMillis", 2000));
        ServerHealthService health = Osgi.service(ServerHealthService.class);
        ServerHealth up = health.refresh("fake").get(20, TimeUnit.SECONDS);
        assertEquals(HealthState.UP, up.state(), up.reason());
        assertEquals("0.3.64", up.capabilities().orElseThrow().version());
        assertFalse(up.capabilities().orElseThrow().jobsApi());

        fake.refuseConnections(true);
        ServerHealth down = Eventually.value("fake DOWN", () -> Optional.of(health.refresh("fake").get(20, TimeUnit.SECONDS))
                .filter(h -> h.state() == HealthState.DOWN));
        assertEquals(Kind.CONNECTION_REFUSED, down.failure().orElseThrow());
        assertTrue(down.latency().isEmpty(), down.toString());
        assertEquals("fake", down.serverId());
        assertEquals(HealthState.DOWN, health.health("fake").state());

        fake.refuseConnections(false);
        ServerHealth back = Eventually.value("fake UP again", () -> Optional.of(health.refresh("fake").get(20, TimeUnit.SECONDS))
                .filter(h -> h.state() == HealthState.UP));
        assertTrue(back.failure().isEmpty());
        assertEquals("0.3.64", back.capabilities().orElseThrow().version());
    }

    @Test
    void aProbeThatEndsAfterANewerOneDoesNotReplaceItsResult() throws Exception {
        Osgi.configure("comfy.workbench.connection.health", HEALTH, Map.of("intervalSeconds", 0, "degradedLatencyMillis", 60_000));
        ServerHealthService health = Osgi.service(ServerHealthService.class);
        assertEquals(HealthState.UP, health.refresh("fake").get(20, TimeUnit.SECONDS).state());
        int featuresAsked = fake.requests("GET /features");
        CompletableFuture<ServerHealth> older;
        CompletableFuture<ServerHealth> oldest;
        try (Stall held = fake.stall("GET /features")) {
            // two probes held by the server (a CI run once had a second one there, and a pool of two threads then ran
            // no newer probe until the stall ended)
            oldest = health.refresh("fake"); // answers /system_stats, then waits at /features
            older = health.refresh("fake");
            Eventually.until("both older probes at /features", () -> fake.requests("GET /features") > featuresAsked + 1);
            fake.failWith500("GET /system_stats");
            ServerHealth newer = health.refresh("fake").get(20, TimeUnit.SECONDS);
            assertEquals(HealthState.DOWN, newer.state(), newer.toString());
        }
        older.get(20, TimeUnit.SECONDS); // the server answered the rest of the older probes: they would say UP
        oldest.get(20, TimeUnit.SECONDS);

        assertEquals(HealthState.DOWN, health.health("fake").state(), "the newer probe's result stands");
    }
}
