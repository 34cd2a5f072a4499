package comfy.workbench.queue.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.ServiceRegistration;

import comfy.workbench.monitor.api.ConnectionState;
import comfy.workbench.monitor.api.ExecutionMonitor;
import comfy.workbench.queue.api.DispatchCandidate;
import comfy.workbench.queue.api.DispatchPolicy;
import comfy.workbench.queue.api.Job;
import comfy.workbench.queue.api.JobState;
import comfy.workbench.queue.api.QueueDiagnostics;
import comfy.workbench.testing.fake.FakeComfyServer;
import comfy.workbench.testing.fake.Stall;
import comfy.workbench.testing.osgi.Osgi;

/** The queue sends each job where the dispatch policy its configuration names says, and copes with a bad one. */
class DispatchPolicyTest {

    @TempDir
    Path data;
    QueueFixture fixture;
    final List<ServiceRegistration<?>> registrations = new CopyOnWriteArrayList<>();
    final String name = "test-policy-" + UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void stop() {
        registrations.forEach(ServiceRegistration::unregister);
        if (fixture != null) {
            fixture.close();
        }
    }

    private void start() throws Exception {
        start(name);
    }

    private void start(String policy) throws Exception {
        fixture = QueueFixture.start(data, Map.of("dispatchPolicy", policy), FakeComfyServer.builder(),
                FakeComfyServer.builder());
        ExecutionMonitor monitor = Osgi.service(ExecutionMonitor.class);
        // a job submitted from now on meets a dispatch round in which both servers could take it
        for (String id : fixture.serverIds) {
            Osgi.await(id + " connected", () -> monitor.connectionState(id) == ConnectionState.CONNECTED);
        }
    }

    private void register(DispatchPolicy policy) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(DispatchPolicy.NAME, name);
        registrations.add(Osgi.context().registerService(DispatchPolicy.class, policy, properties));
    }

    private QueueDiagnostics diagnostics() {
        return fixture.queue().diagnostics();
    }

    @Test
    void thePolicyNamedInTheConfigurationChoosesEachJobsServerAmongThoseFreeForIt() throws Exception {
        List<List<String>> asked = new CopyOnWriteArrayList<>();
        AtomicReference<String> chosen = new AtomicReference<>();
        // the second server only: a job waits while that one is full, though the first is free
        register((job, candidates) -> {
            List<String> ids = candidates.stream().map(DispatchCandidate::serverId).toList();
            asked.add(ids);
            return ids.contains(chosen.get()) ? Optional.of(chosen.get()) : Optional.empty();
        });
        start();
        String second = fixture.serverIds.get(1);
        chosen.set(second);
        List<Job> jobs = fixture.queue().submitAll(List.of(QueueFixture.quick(11), QueueFixture.quick(12),
                QueueFixture.quick(13)));
        for (Job job : jobs) {
            Job done = fixture.await(job);
            assertEquals(JobState.SUCCEEDED, done.state(), String.valueOf(done.error()));
            assertEquals(second, done.serverId());
            assertEquals(1, fixture.fakes.get(1).executions(job.id()));
            assertEquals(0, fixture.fakes.get(0).executions(job.id()));
        }
        assertTrue(asked.contains(fixture.serverIds), "the policy was offered both servers: " + asked);
        assertEquals(name, diagnostics().dispatchPolicy());
        assertEquals(Optional.empty(), diagnostics().dispatchProblem());
    }

    @Test
    void jobsWaitWhileTheNamedPolicyIsNotRegisteredAndGoWhenItIs() throws Exception {
        start();
        Job job = fixture.queue().submit(QueueFixture.quick(21));
        assertEquals(JobState.QUEUED, fixture.queue().job(job.id()).orElseThrow().state());
        String problem = diagnostics().dispatchProblem().orElseThrow();
        assertTrue(problem.contains("'" + name + "' is not registered") && problem.contains("jobs wait"), problem);
        assertTrue(problem.contains("most-free-vram"), "the registered policies are named: " + problem);

        String first = fixture.serverIds.get(0);
        register((j, candidates) -> Optional.of(first));
        Job done = fixture.await(job);
        assertEquals(JobState.SUCCEEDED, done.state(), String.valueOf(done.error()));
        assertEquals(first, done.serverId());
        assertEquals(Optional.empty(), diagnostics().dispatchProblem());
    }

    @Test
    void aPolicyThatKeepsAJobWaitingHoldsItUntilItChoosesAServer() throws Exception {
        AtomicReference<String> target = new AtomicReference<>();
        register((job, candidates) -> Optional.ofNullable(target.get()));
        start();
        Job held = fixture.queue().submit(QueueFixture.quick(31));
        assertEquals(JobState.QUEUED, fixture.queue().job(held.id()).orElseThrow().state());
        assertEquals(Optional.empty(), diagnostics().dispatchProblem(), "keeping a job waiting is no failure");

        String second = fixture.serverIds.get(1);
        target.set(second);
        Job next = fixture.queue().submit(QueueFixture.quick(32)); // a dispatch round
        for (Job job : List.of(held, next)) {
            Job done = fixture.await(job);
            assertEquals(JobState.SUCCEEDED, done.state(), String.valueOf(done.error()));
            assertEquals(second, done.serverId());
        }
    }

    @Test
    void aPolicyThatThrowsOrChoosesAServerNotOfferedSendsTheJobByTheBuiltInChoiceAndIsReported() throws Exception {
        AtomicReference<String> mode = new AtomicReference<>("throw");
        register((job, candidates) -> {
            if (mode.get().equals("throw")) {
                throw new IllegalStateException("the GPU map is unreadable");
            }
            return Optional.of("no-such-server");
        });
        start();
        Job thrown = fixture.await(fixture.queue().submit(QueueFixture.quick(41)));
        assertEquals(JobState.SUCCEEDED, thrown.state(), String.valueOf(thrown.error()));
        String problem = diagnostics().dispatchProblem().orElseThrow();
        assertTrue(problem.contains("'" + name + "' failed on job " + thrown.id())
                && problem.contains("the GPU map is unreadable") && problem.contains("built-in choice"), problem);

        mode.set("elsewhere");
        Job misrouted = fixture.await(fixture.queue().submit(QueueFixture.quick(42)));
        assertEquals(JobState.SUCCEEDED, misrouted.state(), String.valueOf(misrouted.error()));
        assertTrue(fixture.serverIds.contains(misrouted.serverId()));
        problem = diagnostics().dispatchProblem().orElseThrow();
        assertTrue(problem.contains("chose no-such-server, which is not among the candidates"), problem);
    }

    /** Another client queues {@code count} prompts on {@code fake}; the first is held until the stall is released. */
    private static Stall othersQueue(FakeComfyServer fake, int count) {
        Stall held = fake.holdNode(FakeComfyServer.OTHER_CLIENT_NODE);
        fake.queueFromAnotherClient("another-artist", count);
        return held;
    }

    @Test
    void theBuiltInChoiceKeepsJobsOffAServerWhereOtherClientsPromptsAreQueuedWhileAnotherWillHaveRoomSooner()
            throws Exception {
        start(DispatchPolicy.BUILT_IN);
        String busy = fixture.serverIds.get(0);
        String idle = fixture.serverIds.get(1);
        Stall others = othersQueue(fixture.fakes.get(0), 5);
        try {
            Osgi.await("the queue knows of the other client's prompts on " + busy,
                    () -> Integer.valueOf(5).equals(diagnostics().othersQueued().get(busy)));
            // two slots per server: the third job waits for one on the idle server rather than go behind five
            List<Job> jobs = fixture.queue().submitAll(List.of(QueueFixture.quick(51), QueueFixture.quick(52),
                    QueueFixture.quick(53), QueueFixture.quick(54)));
            for (Job job : jobs) {
                fixture.awaitState(job, JobState.SUCCEEDED);
                Job done = fixture.queue().job(job.id()).orElseThrow();
                assertEquals(idle, done.serverId(), "sent behind the other client's prompts: " + done);
                assertEquals(0, fixture.fakes.get(0).executions(job.id()));
            }
            assertEquals(5, fixture.fakes.get(0).queueRemaining(), "the other client's prompts are still queued");
        } finally {
            others.release();
        }
        Osgi.await("the other client's prompts ran", () -> fixture.fakes.get(0).queueRemaining() == 0);
        Osgi.await("no other client's prompt is counted", () -> diagnostics().othersQueued().isEmpty());
    }

    @Test
    void aServerSharedWithABusyClientStillTakesJobsWhenNoOtherServerCan() throws Exception {
        start(DispatchPolicy.BUILT_IN);
        String busy = fixture.serverIds.get(0);
        fixture.queue().pause(fixture.serverIds.get(1));
        Stall others = othersQueue(fixture.fakes.get(0), 3);
        Job job;
        try {
            Osgi.await("the queue knows of the other client's prompts on " + busy,
                    () -> Integer.valueOf(3).equals(diagnostics().othersQueued().get(busy)));
            job = fixture.queue().submit(QueueFixture.quick(61));
            Osgi.await("the job is sent behind the other client's prompts",
                    () -> fixture.fakes.get(0).queueRemaining() == 4);
        } finally {
            others.release();
        }
        Job done = fixture.await(job);
        assertEquals(JobState.SUCCEEDED, done.state(), String.valueOf(done.error()));
        assertEquals(busy, done.serverId());
    }
}
