package comfy.workbench.manager.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;

import comfy.workbench.manager.api.ComponentInfo;
import comfy.workbench.manager.api.ComponentState;
import comfy.workbench.manager.api.PlatformManager;
import comfy.workbench.manager.api.ReferenceInfo;
import comfy.workbench.testing.osgi.Eventually;
import comfy.workbench.testing.osgi.Osgi;

class ComponentReportTest {

    @TempDir
    Path data;
    private ManagerFixture fixture;

    @BeforeEach
    void start() throws Exception {
        fixture = ManagerFixture.start(data);
    }

    @AfterEach
    void stop() throws Exception {
        fixture.close();
    }

    @Test
    void everyPlatformComponentIsReportedWithItsBundleServicesAndReferences() throws Exception {
        PlatformManager manager = fixture.manager();
        List<ComponentInfo> all = manager.components();
        ComponentInfo queue = all.stream().filter(c -> c.name().equals(ManagerFixture.QUEUE)).findFirst().orElseThrow();
        assertEquals("comfy.workbench.queue", queue.bundle());
        assertEquals(ComponentState.ACTIVE, queue.state());
        assertEquals(List.of("comfy.workbench.queue.api.JobQueue"), queue.services());
        assertTrue(queue.missingReferences().isEmpty());
        ReferenceInfo monitor = queue.references().stream()
                .filter(r -> r.service().equals("comfy.workbench.monitor.api.ExecutionMonitor")).findFirst().orElseThrow();
        assertEquals("1..1", monitor.cardinality());
        assertEquals(1, monitor.bound());
        assertTrue(monitor.satisfied());
        assertTrue(all.stream().anyMatch(c -> c.name().equals(ManagerFixture.MANAGER) && c.state() == ComponentState.ACTIVE),
                "the manager reports itself");
        assertTrue(all.stream().anyMatch(c -> c.name().equals(ManagerFixture.MONITOR)
                && c.bundle().equals("comfy.workbench.monitor")), "other bundles' components are reported");
        assertEquals(List.of(), manager.component("no.such.Component"));
    }

    @Test
    void componentMadeUnsatisfiedNamesTheMissingReferenceAndBecomesActiveWhenItIsBack() throws Exception {
        PlatformManager manager = fixture.manager();
        ServiceComponentRuntime scr = Osgi.service(ServiceComponentRuntime.class);
        scr.disableComponent(Osgi.component(ManagerFixture.HEALTH)).getValue();
        try {
            assertEquals(ComponentState.DISABLED, manager.component(ManagerFixture.HEALTH).get(0).state());
            ComponentInfo queue = Eventually.value("the queue unsatisfied", () -> manager.component(ManagerFixture.QUEUE)
                    .stream().filter(c -> c.state() == ComponentState.UNSATISFIED_REFERENCE).findFirst());
            assertEquals(1, queue.missingReferences().size(), queue.toString());
            assertTrue(queue.missingReferences().get(0).endsWith("(comfy.workbench.connection.api.ServerHealthService)"),
                    queue.missingReferences().toString());
            ReferenceInfo health = queue.references().stream()
                    .filter(r -> r.service().equals("comfy.workbench.connection.api.ServerHealthService")).findFirst()
                    .orElseThrow();
            assertFalse(health.satisfied());
            assertEquals(0, health.bound());
        } finally {
            scr.enableComponent(Osgi.component(ManagerFixture.HEALTH)).getValue();
        }
        ComponentInfo queue = Eventually.value("the queue active again", () -> manager.component(ManagerFixture.QUEUE)
                .stream().filter(c -> c.state() == ComponentState.ACTIVE).findFirst());
        assertTrue(queue.missingReferences().isEmpty());
    }

    @Test
    void componentWhoseActivationFailsIsReportedWithTheReason() throws Exception {
        PlatformManager manager = fixture.manager();
        String disk = "comfy.workbench.manager.internal.DiskSpaceCheck";
        Configuration bad = Osgi.service(ConfigurationAdmin.class).getConfiguration("comfy.workbench.manager.disk", "?");
        bad.update(new java.util.Hashtable<>(Map.of("warnBelowMiB", 10L, "criticalBelowMiB", 20L)));
        try {
            ComponentInfo failed = Eventually.value("the disk check failed", () -> manager.component(disk).stream()
                    .filter(c -> c.state() == ComponentState.FAILED).findFirst());
            assertTrue(failed.failure().contains("criticalBelowMiB <= warnBelowMiB"), failed.failure());
        } finally {
            bad.delete();
        }
        Eventually.until("the disk check back", () -> manager.component(disk).stream()
                .anyMatch(c -> c.state() == ComponentState.ACTIVE || c.state() == ComponentState.SATISFIED));
    }
}
