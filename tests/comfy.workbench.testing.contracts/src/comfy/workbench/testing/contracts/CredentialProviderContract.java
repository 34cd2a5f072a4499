package comfy.workbench.testing.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;

import comfy.workbench.connection.api.CredentialProvider;
import comfy.workbench.connection.api.ServerAuth;
import comfy.workbench.connection.api.ServerCredentials;
import comfy.workbench.connection.api.ServerDescriptor;
import comfy.workbench.testing.osgi.Osgi;

/**
 * The contract of a {@link CredentialProvider}: subclass it, return your provider, the name you register it with
 * and a server it has credentials for, and run it in an OSGi test beside the connection bundle (the last test
 * registers the provider and asks the platform's {@link ServerCredentials} for the server's headers).
 * <p>
 * The provider's credentials must stay the same while the contract runs (it compares answers); a rotation during
 * the run would be reported as a provider that answers inconsistently.
 */
public abstract class CredentialProviderContract {

    /** How long one {@link CredentialProvider#headers} call may take here (the platform's default limit). */
    private static final long LIMIT_MILLIS = 10_000;
    private static final int THREADS = 8;
    private static final int CALLS_PER_THREAD = 25;

    /** The provider under test. */
    protected abstract CredentialProvider provider() throws Exception;

    /** The {@link CredentialProvider#NAME} the provider is registered with. */
    protected abstract String name();

    /** A server the provider has credentials for. */
    protected abstract ServerDescriptor server();

    private static <T> T within(Callable<T> call) throws Exception {
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            return thread.submit(call).get(LIMIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return fail("the provider did not answer within " + LIMIT_MILLIS + " ms");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } finally {
            thread.shutdownNow();
        }
    }

    @Test
    void hasAValidName() {
        assertTrue(name() != null && name().matches("[A-Za-z0-9._-]{1,64}"),
                CredentialProvider.NAME + " must be 1-64 characters of [A-Za-z0-9._-]: " + name());
        new ServerAuth.Provided(name());
    }

    @Test
    void givesHeadersForItsServerInTime() throws Exception {
        CredentialProvider provider = provider();
        ServerAuth.Headers headers = within(() -> provider.headers(server()));
        assertNotNull(headers, "headers(server) never answers null");
        headers.values().forEach((header, value) -> assertFalse(value.isBlank(), header + " has a blank value"));
    }

    @Test
    void keepsTheSecretsOutOfItsToString() throws Exception {
        CredentialProvider provider = provider();
        ServerAuth.Headers headers = within(() -> provider.headers(server()));
        String text = String.valueOf(provider);
        for (String value : headers.values().values()) {
            assertFalse(text.contains(value), "the provider's toString() shows a header value: " + header(headers, value));
            // a bearer token is the secret part of its header value
            String secret = value.startsWith("Bearer ") ? value.substring(7) : value;
            assertFalse(secret.length() >= 4 && text.contains(secret),
                    "the provider's toString() shows the secret of " + header(headers, value));
        }
    }

    @Test
    void answersConsistentlyFromManyThreadsAtOnce() throws Exception {
        CredentialProvider provider = provider();
        ServerAuth.Headers first = within(() -> provider.headers(server()));
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<ServerAuth.Headers>> answers = new ArrayList<>();
            for (int i = 0; i < THREADS * CALLS_PER_THREAD; i++) {
                answers.add(threads.submit(() -> provider.headers(server())));
            }
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LIMIT_MILLIS * 3);
            for (Future<ServerAuth.Headers> answer : answers) {
                long left = Math.max(1, deadline - System.nanoTime());
                ServerAuth.Headers headers;
                try {
                    headers = answer.get(left, TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    fail(THREADS * CALLS_PER_THREAD + " calls from " + THREADS + " threads did not end in time");
                    return;
                } catch (ExecutionException e) {
                    fail("a call failed while others ran: " + e.getCause(), e.getCause());
                    return;
                }
                assertEquals(first.values(), headers.values(), "concurrent calls answered different headers");
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void givesHeadersAgainAfterTheServerRejectedThem() throws Exception {
        CredentialProvider provider = provider();
        within(() -> provider.headers(server()));
        within(() -> {
            provider.rejected(server());
            return null;
        });
        ServerAuth.Headers again = within(() -> provider.headers(server()));
        assertNotNull(again, "headers(server) after rejected(server) never answers null");
    }

    @Test
    void suppliesAServerOfProvidedAuthOnceRegistered() throws Exception {
        CredentialProvider provider = provider();
        ServerAuth.Headers direct = within(() -> provider.headers(server()));
        Hashtable<String, Object> properties = new Hashtable<>(Map.of(CredentialProvider.NAME, name(),
                // ahead of another provider of this name, e.g. the built-in one under test here
                Constants.SERVICE_RANKING, Integer.MAX_VALUE));
        ServiceRegistration<CredentialProvider> registration = Osgi.context().registerService(CredentialProvider.class,
                provider, properties);
        try {
            ServerCredentials credentials = Osgi.service(ServerCredentials.class);
            assertTrue(credentials.providers().contains(name()), "registered providers: " + credentials.providers());
            ServerDescriptor provided = server().withAuth(new ServerAuth.Provided(name()));
            assertEquals(direct.values(), credentials.headers(provided, "GET /api/system_stats"),
                    "the platform sends what the provider gives");
        } finally {
            registration.unregister();
        }
    }

    private static String header(ServerAuth.Headers headers, String value) {
        return headers.values().entrySet().stream().filter(e -> e.getValue().equals(value)).map(Map.Entry::getKey)
                .findFirst().orElse("?");
    }
}
