package comfy.workbench.manager.tests;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.ServiceReference;

import comfy.workbench.manager.api.HealthCheck;
import comfy.workbench.manager.api.HealthResult;
import comfy.workbench.testing.contracts.HealthCheckContract;
import comfy.workbench.testing.osgi.Osgi;

/** The built-in checks, and a check written the way an extender would, against the health-check contract. */
class BuiltInChecksContractTest {

    @TempDir
    static Path data;
    private ManagerFixture fixture;

    @BeforeEach
    void start() throws Exception {
        fixture = ManagerFixture.start(data);
    }

    @AfterEach
    void stop() throws Exception {
        fixture.close();
    }

    /** A registered built-in check, looked up by its name, with the properties it is registered with. */
    abstract static class Registered extends HealthCheckContract {
        abstract String name();

        private ServiceReference<HealthCheck> reference() throws Exception {
            return Osgi.context().getServiceReferences(HealthCheck.class, "(" + HealthCheck.NAME + "=" + name() + ")")
                    .stream().findFirst().orElseThrow(() -> new AssertionError("no check named " + name()));
        }

        @Override
        protected HealthCheck check() throws Exception {
            return Osgi.context().getService(reference());
        }

        @Override
        protected Map<String, Object> properties() {
            try {
                ServiceReference<HealthCheck> r = reference();
                Map<String, Object> p = new HashMap<>();
                for (String key : new String[] { HealthCheck.NAME, HealthCheck.TAGS, HealthCheck.INTERVAL,
                        HealthCheck.TIMEOUT }) {
                    if (r.getProperty(key) != null) {
                        p.put(key, r.getProperty(key));
                    }
                }
                // registered again by the contract under another name, so that it does not replace the built-in one
                p.put(HealthCheck.NAME, name() + " (contract)");
                return p;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Nested
    class DiskSpace extends Registered {
        @Override
        String name() {
            return "disk space";
        }
    }

    @Nested
    class Queue extends Registered {
        @Override
        String name() {
            return "queue";
        }
    }

    @Nested
    class Caches extends Registered {
        @Override
        String name() {
            return "caches";
        }
    }

    @Nested
    class AnExtendersCheck extends HealthCheckContract {
        @Override
        protected HealthCheck check() {
            return () -> HealthResult.warn("the render farm's licence expires in 3 days");
        }

        @Override
        protected Map<String, Object> properties() {
            return Map.of(HealthCheck.NAME, "licence", HealthCheck.TAGS, new String[] { "extension" },
                    HealthCheck.INTERVAL, 3_600_000L, HealthCheck.TIMEOUT, 5_000L);
        }
    }
}
