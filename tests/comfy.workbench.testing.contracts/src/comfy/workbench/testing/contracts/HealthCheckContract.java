package comfy.workbench.testing.contracts;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.Collection;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;
import org.osgi.framework.ServiceRegistration;

import comfy.workbench.manager.api.CheckResult;
import comfy.workbench.manager.api.HealthCheck;
import comfy.workbench.manager.api.HealthResult;
import comfy.workbench.manager.api.HealthStatus;
import comfy.workbench.manager.api.PlatformManager;
import comfy.workbench.testing.osgi.Osgi;

/**
 * The contract of a {@link HealthCheck}: subclass it, return your check and the service properties you register it
 * with, and run it in an OSGi test beside the platform (the service manager must be running for the last test).
 * It never calls {@link HealthCheck#recover()} on a healthy check, since a recovery may restart things.
 */
public abstract class HealthCheckContract {

    /** The check under test. */
    protected abstract HealthCheck check() throws Exception;

    /** The service properties the check is registered with ({@link HealthCheck#NAME} at least). */
    protected abstract Map<String, Object> properties();

    private Duration timeout() {
        Object t = properties().get(HealthCheck.TIMEOUT);
        return t == null ? Duration.ofSeconds(10) : Duration.ofMillis(Long.parseLong(t.toString().strip()));
    }

    private HealthResult run(HealthCheck check) throws Exception {
        CompletableFuture<HealthResult> answer = CompletableFuture.supplyAsync(() -> {
            try {
                return check.check();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            return answer.get(timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return fail("the check did not answer within its timeout of " + timeout().toMillis() + " ms");
        }
    }

    @Test
    void declaresANameAndWellFormedProperties() {
        Map<String, Object> p = properties();
        Object name = p.get(HealthCheck.NAME);
        assertTrue(name instanceof String s && !s.isBlank(), HealthCheck.NAME + " must be a non-blank string: " + name);
        Object tags = p.get(HealthCheck.TAGS);
        assertTrue(tags == null || tags instanceof String || tags instanceof String[] || tags instanceof Collection<?>,
                HealthCheck.TAGS + " must be a string or strings: " + tags);
        for (String key : new String[] { HealthCheck.INTERVAL, HealthCheck.TIMEOUT }) {
            Object v = p.get(key);
            if (v != null) {
                long ms = Long.parseLong(v.toString().strip());
                assertTrue(ms > 0, key + " must be a positive number of milliseconds: " + v);
            }
        }
    }

    @Test
    void answersWithinItsTimeoutAndExplainsAnythingButOk() throws Exception {
        HealthResult result = run(check());
        assertNotNull(result, "a check answers a result, never null");
        assertNotNull(result.status());
        if (result.status() != HealthStatus.OK) {
            assertFalse(result.message().isBlank(), "a " + result.status() + " result says what is wrong");
            assertNotNull(check().recover(), "recover() answers what it tried, or an empty string");
        }
    }

    @Test
    void isRunByTheServiceManagerOnceRegistered() throws Exception {
        String name = (String) properties().get(HealthCheck.NAME);
        ServiceRegistration<HealthCheck> registration = Osgi.context().registerService(HealthCheck.class, check(),
                new Hashtable<>(properties()));
        try {
            CheckResult seen = Osgi.service(PlatformManager.class).checkNow().checks().stream()
                    .filter(c -> c.name().equals(name)).findFirst().orElse(null);
            assertNotNull(seen, "the manager ran " + name);
        } finally {
            registration.unregister();
        }
    }
}
