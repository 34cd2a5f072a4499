package comfy.workbench.manager.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.component.runtime.ServiceComponentRuntime;

import comfy.workbench.manager.api.ComponentState;
import comfy.workbench.manager.api.PlatformManager;
import comfy.workbench.manager.api.ShutdownReport;
import comfy.workbench.model.api.PromptGraph;
import comfy.workbench.queue.api.Job;
import comfy.workbench.queue.api.JobQueue;
import comfy.workbench.queue.api.JobRequest;
import comfy.workbench.queue.api.JobState;
import comfy.workbench.testing.fake.FakeComfyServer;
import comfy.workbench.testing.fake.Stall;
import comfy.workbench.testing.fake.TestPrompts;
import comfy.workbench.testing.osgi.Osgi;

class ShutdownTest {

    @TempDir
    Path data;
    private ManagerFixture fixture;

    @BeforeEach
    void start() throws Exception {
        fixture = ManagerFixture.start(data);
    }

    @AfterEach
    void stop() throws Exception {
        fixture.manager().start(); // in case a test failed while the platform was down
        fixture.close();
    }

    @Test
    void shutdownWithJobsInFlightLosesNoneAndTheNextStartFinishesEachExactlyOnce() throws Exception {
        PlatformManager manager = fixture.manager();
        FakeComfyServer fake = FakeComfyServer.builder().start();
        fixture.addServer(fake);
        List<Job> jobs = new ArrayList<>();
        try (Stall hold = fake.holdNode(TestPrompts.SLOW_NODE)) {
            JobQueue queue = Osgi.service(JobQueue.class);
            for (int i = 0; i < 6; i++) {
                jobs.add(queue.submit(JobRequest.of(PromptGraph.parse(TestPrompts.slow(700 + i), "slow " + i))));
            }
            Osgi.await("a job running on the server", () -> fake.waitingAt(TestPrompts.SLOW_NODE)
                    && jobs.stream().anyMatch(j -> queue.job(j.id()).orElseThrow().state() == JobState.RUNNING));

            ShutdownReport report = manager.shutdown(Duration.ofSeconds(20));

            assertTrue(report.clean(), report.toString());
            assertTrue(report.stopped().indexOf(ManagerFixture.QUEUE) < report.stopped().indexOf(ManagerFixture.MONITOR),
                    "dispatching stops before the sockets close: " + report.stopped());
            assertTrue(report.stopped().indexOf(ManagerFixture.MONITOR) < report.stopped().indexOf(ManagerFixture.DATA),
                    report.stopped().toString());
            assertNull(Osgi.context().getServiceReference(JobQueue.class), "the queue is down");
            assertEquals(ComponentState.DISABLED, manager.component(ManagerFixture.QUEUE).get(0).state());
            assertEquals(ComponentState.ACTIVE, manager.component(ManagerFixture.MANAGER).get(0).state(),
                    "the manager stays up");
        }
        // the held prompts run to their end on the server while the client is down: their events are missed

        manager.start();

        JobQueue queue = Osgi.service(JobQueue.class);
        for (Job job : jobs) {
            Job end = queue.completion(job.id()).toCompletableFuture().get(60, TimeUnit.SECONDS);
            assertEquals(JobState.SUCCEEDED, end.state(), end.toString());
            assertEquals(1, fake.executions(job.id()), "executions of " + job.id());
            assertEquals(1, end.outputs().size());
            assertTrue(Files.isRegularFile(end.outputs().get(0)), end.outputs().toString());
        }
        assertEquals(ComponentState.ACTIVE, manager.component(ManagerFixture.QUEUE).get(0).state());
    }

    @Test
    void restartActivatesAComponentAfreshThroughItsConfigurationKeepingItsValues() throws Exception {
        PlatformManager manager = fixture.manager();
        JobQueue before = Osgi.service(JobQueue.class);
        Map<String, Object> valuesBefore = Osgi.activeConfiguration(ManagerFixture.QUEUE).properties;

        var after = manager.restart(ManagerFixture.QUEUE, Duration.ofSeconds(20)).orElseThrow();

        assertEquals(ComponentState.ACTIVE, after.state());
        Osgi.await("a new queue instance", () -> Osgi.service(JobQueue.class) != before);
        Map<String, Object> valuesAfter = Osgi.activeConfiguration(ManagerFixture.QUEUE).properties;
        for (String key : List.of("perServerLimit", "tickMillis", "fixture")) {
            assertEquals(String.valueOf(valuesBefore.get(key)), String.valueOf(valuesAfter.get(key)), key);
        }
        assertTrue(valuesAfter.get("comfy.workbench.restart") instanceof Number, valuesAfter.toString());
        assertEquals(ComponentState.ACTIVE, manager.component(ManagerFixture.QUEUE).get(0).state());
        assertTrue(manager.restart("no.such.Component", Duration.ofSeconds(1)).isEmpty());
    }

    @Test
    void aComponentThatTakesConfigurationChangesInPlaceIsRestartedByDisablingAndEnablingIt() throws Exception {
        PlatformManager manager = fixture.manager();
        String health = "comfy.workbench.connection.internal.ServerHealthComponent"; // it has a modified method
        long before = manager.component(health).get(0).configurationId();

        var after = manager.restart(health, Duration.ofSeconds(20)).orElseThrow();

        assertEquals(ComponentState.ACTIVE, after.state());
        assertTrue(after.configurationId() != before, "a new activation: " + before + " → " + after.configurationId());
    }

    @Test
    void restartingADisabledComponentEnablesIt() throws Exception {
        PlatformManager manager = fixture.manager();
        String diskSpace = "comfy.workbench.manager.internal.DiskSpaceCheck";
        ServiceComponentRuntime scr = Osgi.service(ServiceComponentRuntime.class);
        scr.disableComponent(Osgi.component(diskSpace)).getValue();
        assertEquals(ComponentState.DISABLED, manager.component(diskSpace).get(0).state());

        manager.restart(diskSpace, Duration.ofSeconds(20));

        Osgi.await("the check enabled and active", () -> manager.component(diskSpace).stream()
                .anyMatch(c -> c.state() == ComponentState.ACTIVE));
    }
}
