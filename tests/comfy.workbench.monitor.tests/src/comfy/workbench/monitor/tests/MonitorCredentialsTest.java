package comfy.workbench.monitor.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.ServiceRegistration;

import comfy.workbench.connection.api.CredentialProvider;
import comfy.workbench.connection.api.ServerAuth;
import comfy.workbench.connection.api.ServerDescriptor;
import comfy.workbench.connection.api.ServerRegistry;
import comfy.workbench.monitor.api.ConnectionState;
import comfy.workbench.monitor.api.ExecutionMonitor;
import comfy.workbench.monitor.api.MonitorStatistics;
import comfy.workbench.monitor.api.MonitorStats;
import comfy.workbench.testing.fake.FakeComfyServer;
import comfy.workbench.testing.osgi.Eventually;
import comfy.workbench.testing.osgi.Osgi;

/**
 * The socket's upgrade request takes its headers from the server's credential provider, as HTTP requests do. The
 * reconnect delay is a minute here: a socket that opens within the test's deadline opened at its first attempt, or at
 * the one immediate retry after a 401.
 */
final class MonitorCredentialsTest {

    @TempDir
    Path data;

    private FakeComfyServer fake;
    private ServerRegistry registry;
    private final Vault vault = new Vault("tok-SECRET-1");
    private ServiceRegistration<CredentialProvider> registration;

    /** A vault client: fetches the current token and keeps it until the server rejects it. */
    private static final class Vault implements CredentialProvider {
        final AtomicReference<String> source;
        final AtomicReference<String> cached = new AtomicReference<>();
        final AtomicInteger rejections = new AtomicInteger();

        Vault(String token) {
            source = new AtomicReference<>(token);
        }

        @Override
        public ServerAuth.Headers headers(ServerDescriptor server) {
            return new ServerAuth.Headers(
                    Map.of("Authorization", "Bearer " + cached.updateAndGet(c -> c != null ? c : source.get())));
        }

        @Override
        public void rejected(ServerDescriptor server) {
            rejections.incrementAndGet();
            cached.set(null);
        }
    }

    @BeforeEach
    void start() throws Exception {
        Osgi.configure("comfy.workbench.data", MonitorFixture.DATA, Map.of("directory", data.toString()));
        Osgi.configure("comfy.workbench.connection.registry", MonitorFixture.REGISTRY,
                Map.of("dataDirectory", data.toString()));
        Osgi.configure("comfy.workbench.monitor", MonitorFixture.MONITOR, Map.of("reconnectInitialMillis", 60_000L,
                "reconnectMaxMillis", 60_000L, "reconnectJitter", 0.0, "connectTimeoutMillis", 5_000L));
        registry = Osgi.service(ServerRegistry.class);
        registry.remove(ServerDescriptor.DEFAULT_ID);
        fake = FakeComfyServer.builder().bearerToken("tok-SECRET-1").start();
        registration = Osgi.context().registerService(CredentialProvider.class, vault,
                new Hashtable<>(Map.of(CredentialProvider.NAME, "ws-vault")));
    }

    @AfterEach
    void stop() {
        registration.unregister();
        registry.remove("proxied");
        fake.close();
    }

    private ServerDescriptor proxied(String provider) {
        return new ServerDescriptor("proxied", null, fake.baseUri(), new ServerAuth.Provided(provider));
    }

    private void awaitSocket() throws Exception {
        ExecutionMonitor monitor = Osgi.service(ExecutionMonitor.class);
        Eventually.until("the socket of proxied open", () -> monitor.connectionState("proxied") == ConnectionState.CONNECTED
                && fake.isConnected(monitor.clientId("proxied")));
    }

    @Test
    void theProvidersHeaderOpensTheSocketAndARotatedTokenIsRefreshedAfterOne401() throws Exception {
        registry.add(proxied("ws-vault"));
        awaitSocket();
        assertEquals(0, fake.unauthorizedRequests());

        fake.requireBearerToken("tok-SECRET-2");
        vault.source.set("tok-SECRET-2");
        // a changed server reconnects at once, with the provider still holding the old token
        registry.update(proxied("ws-vault").withLabel("rotated"));
        Eventually.until("the old token refused", () -> fake.unauthorizedRequests() >= 1);
        awaitSocket();
        assertTrue(vault.rejections.get() >= 1, "the provider was told");
        assertEquals("tok-SECRET-2", vault.cached.get());
    }

    @Test
    void aMissingProviderIsTheSocketsLastErrorAndNothingIsSent() throws Exception {
        registry.add(proxied("nobody"));
        MonitorStatistics statistics = Osgi.service(MonitorStatistics.class);
        MonitorStats stats = Eventually.value("the socket's error", () -> statistics.statistics("proxied")
                .filter(s -> s.lastError() != null));
        assertTrue(stats.lastError().contains("credential provider 'nobody' is not registered"), stats.lastError());
        assertTrue(stats.lastError().contains("ws-vault"), "names the registered providers: " + stats.lastError());
        assertFalse(stats.lastError().contains("SECRET"));
        assertNotEquals(ConnectionState.CONNECTED, Osgi.service(ExecutionMonitor.class).connectionState("proxied"));
        assertEquals(0, fake.unauthorizedRequests(), "no upgrade without credentials");
    }
}
