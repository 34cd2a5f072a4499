package comfy.workbench.connection.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;

import comfy.workbench.connection.api.ComfyClient;
import comfy.workbench.connection.api.ComfyClients;
import comfy.workbench.connection.api.ComfyException;
import comfy.workbench.connection.api.ComfyException.Kind;
import comfy.workbench.connection.api.CredentialProvider;
import comfy.workbench.connection.api.HealthState;
import comfy.workbench.connection.api.ServerAuth;
import comfy.workbench.connection.api.ServerCredentials;
import comfy.workbench.connection.api.ServerDescriptor;
import comfy.workbench.connection.api.ServerHealth;
import comfy.workbench.connection.api.ServerHealthService;
import comfy.workbench.connection.api.ServerRegistry;
import comfy.workbench.testing.fake.FakeComfyServer;
import comfy.workbench.testing.osgi.Osgi;

/**
 * Credentials supplied at request time by {@link CredentialProvider} services, against a fake server that demands
 * a bearer token: the header reaches the server, a rotated token is refreshed after one 401, and every way a
 * provider can fail gives a typed error naming the server and the provider, never the secret.
 */
final class CredentialProviderTest {

    private static final String REGISTRY = "comfy.workbench.connection.internal.ServerRegistryComponent";
    private static final String CREDENTIALS = "comfy.workbench.connection.internal.CredentialsComponent";
    private static final String HEALTH = "comfy.workbench.connection.internal.ServerHealthComponent";
    private static final String SECRET = "tok-SECRET-1";

    @TempDir
    Path data;

    private FakeComfyServer fake;
    private ServerRegistry registry;
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        Osgi.configure("comfy.workbench.connection.health", HEALTH, Map.of("intervalSeconds", 0, "degradedLatencyMillis", 2000));
        Osgi.configure("comfy.workbench.connection.registry", REGISTRY, Map.of("dataDirectory", data.toString()));
        registry = Osgi.service(ServerRegistry.class);
        fake = FakeComfyServer.builder().bearerToken(SECRET).start();
    }

    @AfterEach
    void stop() {
        registrations.forEach(ServiceRegistration::unregister);
        fake.close();
    }

    private void register(String name, CredentialProvider provider, int ranking) {
        registrations.add(Osgi.context().registerService(CredentialProvider.class, provider,
                new Hashtable<>(Map.of(CredentialProvider.NAME, name, Constants.SERVICE_RANKING, ranking))));
    }

    private ServerDescriptor proxied(String provider) {
        return new ServerDescriptor("proxied", "Behind a proxy", fake.baseUri(), new ServerAuth.Provided(provider));
    }

    /* Not registered: a registered server gets a health probe at once, which would ask the provider beside the test. */
    private ComfyClient serverUsing(String provider) {
        return Osgi.service(ComfyClients.class).client(proxied(provider));
    }

    private static ComfyException fails(Kind kind, ComfyClient client) {
        ComfyException e = assertThrows(ComfyException.class, client::systemStats);
        assertEquals(kind, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("[proxied]"), "names the server: " + e.getMessage());
        assertFalse(e.getMessage().contains("SECRET"), "leaks the secret: " + e.getMessage());
        return e;
    }

    @Test
    void theProvidersHeaderReachesTheServer() throws Exception {
        VaultProvider vault = new VaultProvider(SECRET);
        register("vault", vault, 0);
        ComfyClient client = serverUsing("vault");
        assertEquals("0.3.64", client.systemStats().comfyuiVersion());
        assertEquals(0, client.queueRemaining());
        assertEquals(0, fake.unauthorizedRequests());
        assertEquals(1, vault.fetches(), "the provider's cache is its own business");
        assertTrue(Osgi.service(ServerCredentials.class).providers().contains("vault"));

        // the same server without the provider's header is refused: the header is what lets it in
        ComfyClient bare = Osgi.service(ComfyClients.class).client(proxied("vault").withAuth(null));
        assertEquals(Kind.UNAUTHORIZED, assertThrows(ComfyException.class, bare::systemStats).kind());
    }

    @Test
    void aRotatedTokenIsRejectedOnceThenRefreshedAndTheRequestRetried() throws Exception {
        VaultProvider vault = new VaultProvider(SECRET);
        register("vault", vault, 0);
        ComfyClient client = serverUsing("vault");
        client.systemStats();

        fake.requireBearerToken("tok-SECRET-2");
        vault.rotate("tok-SECRET-2");
        assertEquals("0.3.64", client.systemStats().comfyuiVersion(), "retried with the fresh token");
        assertEquals(1, vault.rejections());
        assertEquals(2, vault.fetches());
        assertEquals(1, fake.unauthorizedRequests(), "one refused request, then the retry passed");

        client.queue();
        assertEquals(1, vault.rejections(), "the fresh token is kept");
    }

    @Test
    void credentialsStillRejectedAfterTheRetryAreUnauthorizedOnce() {
        VaultProvider vault = new VaultProvider("tok-SECRET-wrong");
        register("vault", vault, 0);
        ComfyException e = fails(Kind.UNAUTHORIZED, serverUsing("vault"));
        assertTrue(e.getMessage().contains("provider 'vault'"), e.getMessage());
        assertEquals(1, vault.rejections(), "rejected once, retried once: no loop");
        assertEquals(2, fake.unauthorizedRequests());
    }

    @Test
    void aMissingProviderIsNamedAndNothingIsSent() {
        register("vault", new VaultProvider(SECRET), 0);
        ComfyException e = fails(Kind.UNAUTHORIZED, serverUsing("nobody"));
        assertTrue(e.getMessage().contains("'nobody' is not registered"), e.getMessage());
        assertTrue(e.getMessage().contains("vault"), "names the registered ones: " + e.getMessage());
        assertEquals(0, fake.unauthorizedRequests(), "no request without credentials");
        assertEquals(Map.of(), fake.requestCounts());
    }

    @Test
    void aFailingProviderGivesItsReason() {
        register("vault", server -> {
            throw new IllegalStateException("the vault is sealed");
        }, 0);
        ComfyException e = fails(Kind.UNAUTHORIZED, serverUsing("vault"));
        assertTrue(e.getMessage().contains("credential provider 'vault' failed: IllegalStateException: the vault is sealed"),
                e.getMessage());
    }

    @Test
    void aProviderOutOfReachForNowFailsTheRequestAsATransientFault() {
        register("vault", server -> {
            throw new java.io.IOException("vault.studio.internal: connection refused");
        }, 0);
        ComfyException e = fails(Kind.CONNECTION_FAILED, serverUsing("vault"));
        assertTrue(e.isTransient(), "tried again later, not failed for good: " + e.getMessage());
        assertTrue(e.getMessage().contains("'vault' failed: IOException: vault.studio.internal: connection refused"),
                e.getMessage());
    }

    @Test
    void headersTheClientControlsAreRefusedWithoutTheirValues() {
        register("vault", server -> new ServerAuth.Headers(Map.of("Host", "evil.example.org-SECRET")), 0);
        ComfyException e = fails(Kind.UNAUTHORIZED, serverUsing("vault"));
        assertTrue(e.getMessage().contains("'vault' failed") && e.getMessage().contains("header Host cannot be set by auth"),
                e.getMessage());
        assertEquals(0, fake.unauthorizedRequests());
    }

    @Test
    void aProviderAnsweringNullIsAnError() {
        register("vault", server -> null, 0);
        ComfyException e = fails(Kind.UNAUTHORIZED, serverUsing("vault"));
        assertTrue(e.getMessage().contains("'vault' returned no headers"), e.getMessage());
    }

    @Test
    void aStuckProviderFailsTheRequestInsteadOfHangingIt() throws Exception {
        Osgi.configure("comfy.workbench.connection.credentials", CREDENTIALS, Map.of("providerTimeoutMillis", 300));
        CountDownLatch release = new CountDownLatch(1);
        try {
            register("vault", server -> {
                release.await();
                return new ServerAuth.Headers(Map.of("Authorization", "Bearer " + SECRET));
            }, 0);
            ComfyClient client = serverUsing("vault");
            ComfyException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                    () -> assertThrows(ComfyException.class, client::systemStats));
            assertEquals(Kind.TIMEOUT, e.kind());
            assertTrue(e.getMessage().contains("'vault' gave no headers within 300 ms"), e.getMessage());
        } finally {
            release.countDown();
            Osgi.configure("comfy.workbench.connection.credentials", CREDENTIALS, Map.of("providerTimeoutMillis", 10_000));
        }
    }

    @Test
    void theHighestRankedProviderOfANameIsUsed() throws Exception {
        register("vault", new VaultProvider("tok-SECRET-wrong"), 0);
        register("vault", new VaultProvider(SECRET), 10);
        assertEquals("0.3.64", serverUsing("vault").systemStats().comfyuiVersion());
        assertEquals(0, fake.unauthorizedRequests());
    }

    @Test
    void healthShowsWhyAProvidedServerIsDown() throws Exception {
        registry.add(proxied("nobody"));
        ServerHealth health = Osgi.service(ServerHealthService.class).refresh("proxied").get(20, TimeUnit.SECONDS);
        assertEquals(HealthState.DOWN, health.state());
        assertEquals(Kind.UNAUTHORIZED, health.failure().orElseThrow());
        assertTrue(health.reason().contains("credential provider 'nobody' is not registered"), health.reason());
    }

    @Test
    void theRegistryPersistsTheProvidersNameAndNoSecret() throws Exception {
        ServerDescriptor server = proxied("vault");
        registry.add(server);
        String json = Files.readString(data.resolve("connection/servers.json"), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"auth\":\"provided\"") && json.contains("\"provider\":\"vault\""), json);
        Osgi.restart(REGISTRY);
        assertEquals(server, Osgi.service(ServerRegistry.class).server("proxied").orElseThrow());
        assertEquals("Server[proxied " + fake.baseUri() + " auth=provided]", server.toString());
    }

    @Test
    void providerNamesAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new ServerAuth.Provided(" "));
        assertThrows(IllegalArgumentException.class, () -> new ServerAuth.Provided("a b"));
        assertEquals("token-file", new ServerAuth.Provided(" token-file ").provider());
        assertEquals(Map.of(), new ServerAuth.Provided("vault").headers());
    }
}
