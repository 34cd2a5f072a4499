package comfy.workbench.queue.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import comfy.workbench.connection.api.ComfyException;
import comfy.workbench.connection.api.ServerHealth;
import comfy.workbench.connection.api.ServerHealthService;
import comfy.workbench.connection.api.HealthState;
import comfy.workbench.queue.api.Job;
import comfy.workbench.queue.api.JobQueue;
import comfy.workbench.queue.api.JobRequest;
import comfy.workbench.queue.api.JobState;
import comfy.workbench.testing.fake.FakeComfyServer;
import comfy.workbench.testing.fake.Stall;
import comfy.workbench.testing.fake.TestPrompts;
import comfy.workbench.testing.osgi.Osgi;

/** Nothing lost, nothing run twice: the client restarts, a server restarts, a server goes away for good. */
class RecoveryTest {

    @TempDir
    Path data;
    QueueFixture fixture;

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static List<JobRequest> requests(int n, int base) {
        List<JobRequest> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(QueueFixture.quick(base + i).withBatch("batch-" + base));
        }
        return list;
    }

    private void awaitAll(List<Job> jobs, JobState state) throws Exception {
        for (Job job : jobs) {
            Job end = Osgi.service(JobQueue.class).completion(job.id()).toCompletableFuture()
                    .get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(state, end.state(), job.id() + ": " + end.error());
        }
    }

    /** How often the health service probes every server (a server seen down sooner than by its default). */
    private static void healthProbesEvery(int seconds) throws Exception {
        Osgi.configure("comfy.workbench.connection.health", "comfy.workbench.connection.internal.ServerHealthComponent",
                Map.of("intervalSeconds", seconds));
    }

    private static void requestTimeoutMillis(int millis) throws Exception {
        Osgi.configure("comfy.workbench.connection.clients", "comfy.workbench.connection.internal.ComfyClientsComponent",
                Map.of("requestTimeoutMillis", millis));
    }

    @Test
    void aClientRestartedMidRunFinishesEveryJobExactlyOnce() throws Exception {
        fixture = QueueFixture.start(data, Map.of(), FakeComfyServer.builder().defaultNodeDuration(Duration.ofMillis(20)));
        FakeComfyServer fake = fixture.fakes.get(0);
        List<Job> jobs = fixture.queue().submitAll(requests(30, 1000));
        Osgi.await("some jobs done and some on the server", () -> {
            List<Job> now = Osgi.service(JobQueue.class).batch("batch-1000");
            return now.stream().anyMatch(j -> j.state() == JobState.SUCCEEDED)
                    && now.stream().anyMatch(j -> j.state() == JobState.DISPATCHED || j.state() == JobState.RUNNING);
        });
        Osgi.restart(QueueFixture.QUEUE); // the queue component stops and starts again on the same store
        awaitAll(jobs, JobState.SUCCEEDED);
        for (Job job : jobs) {
            assertEquals(1, fake.executions(job.id()), "prompt " + job.id() + " executions");
            Job end = Osgi.service(JobQueue.class).job(job.id()).orElseThrow();
            assertEquals(1, end.outputs().size());
            assertEquals(true, Files.isRegularFile(end.outputs().get(0)));
        }
    }

    @Test
    void aClientRestartedMidRunAsksAServerWithTheJobsApiAboutEachJob() throws Exception {
        fixture = QueueFixture.start(data, Map.of(),
                FakeComfyServer.builder().defaultNodeDuration(Duration.ofMillis(20)).jobsApi(true));
        FakeComfyServer fake = fixture.fakes.get(0);
        String server = fixture.serverIds.get(0);
        Osgi.await("the jobs API probed", () -> Osgi.service(ServerHealthService.class).health(server).capabilities()
                .map(c -> c.jobsApi()).orElse(false));
        List<Job> jobs = fixture.queue().submitAll(requests(30, 4000));
        Osgi.await("some jobs done and some on the server", () -> {
            List<Job> now = Osgi.service(JobQueue.class).batch("batch-4000");
            return now.stream().anyMatch(j -> j.state() == JobState.SUCCEEDED)
                    && now.stream().anyMatch(j -> j.state() == JobState.DISPATCHED || j.state() == JobState.RUNNING);
        });
        Osgi.restart(QueueFixture.QUEUE);
        awaitAll(jobs, JobState.SUCCEEDED);
        for (Job job : jobs) {
            assertEquals(1, fake.executions(job.id()), "prompt " + job.id() + " executions");
        }
        assertEquals(true, fake.requests("GET /api/jobs/{id}") > 0, "the recovered jobs were looked up one by one: " + fake.requestCounts());
    }

    @Test
    void jobsTakenBackFromAnUnreachableServerAreRemovedFromItWhenItAnswersEvenAfterAClientRestart() throws Exception {
        healthProbesEvery(1);
        try {
            fixture = QueueFixture.start(data, Map.of(), FakeComfyServer.builder());
            FakeComfyServer fake = fixture.fakes.get(0);
            String server = fixture.serverIds.get(0);
            Job running;
            Job pending;
            try (Stall hold = fake.holdNode(TestPrompts.SLOW_NODE)) {
                running = fixture.queue().submit(QueueFixture.slow(5001));
                pending = fixture.queue().submit(QueueFixture.slow(5002));
                fixture.awaitState(running, JobState.RUNNING);
                fixture.awaitState(pending, JobState.DISPATCHED);
                Osgi.await("both on the server", () -> fake.waitingAt(TestPrompts.SLOW_NODE) && fake.queueRemaining() >= 2);

                // a partition: the client cannot reach the server, which goes on holding one and queueing the other
                fake.refuseConnections(true);
                fake.dropWebSockets();
                Osgi.await("both taken back", () -> List.of(running, pending).stream()
                        .map(j -> fixture.queue().job(j.id()).orElseThrow().state())
                        .noneMatch(st -> st == JobState.DISPATCHED || st == JobState.RUNNING));
                Osgi.restart(QueueFixture.QUEUE); // the client restarts: what it must remove is in its store

                fake.refuseConnections(false);
                Osgi.await("the pending one deleted from the server", () -> fake.queueRemaining() <= 1);
                assertEquals(List.of(), List.of(running, pending).stream()
                        .filter(j -> fake.executions(j.id()) > 1).toList(), "nothing sent again while the old one is there");
            }
            // released: the held prompt ends interrupted (by its id), then both run on the server again
            for (Job job : List.of(running, pending)) {
                Job end = Osgi.service(JobQueue.class).completion(job.id()).toCompletableFuture()
                        .get(60, java.util.concurrent.TimeUnit.SECONDS);
                assertEquals(JobState.SUCCEEDED, end.state(), end.toString());
            }
            assertEquals(1, fake.executions(pending.id()), "the one deleted while pending ran once");
            assertEquals(2, fake.executions(running.id()), "the held one: interrupted, then run again");
            assertEquals(Optional.of("success"), fake.outcome(running.id()));
            assertEquals(true, fake.requests("POST /queue") > 0, fake.requestCounts().toString());
        } finally {
            healthProbesEvery(30); // the default
        }
    }

    @Test
    void aServerRestartedMidRunLosesNoJob() throws Exception {
        fixture = QueueFixture.start(data, Map.of(), FakeComfyServer.builder().defaultNodeDuration(Duration.ofMillis(20)));
        FakeComfyServer fake = fixture.fakes.get(0);
        List<Job> jobs = fixture.queue().submitAll(requests(20, 2000));
        Osgi.await("a few jobs done", () -> Osgi.service(JobQueue.class).batch("batch-2000").stream()
                .filter(j -> j.state() == JobState.SUCCEEDED).count() >= 3);
        fake.restart(); // its queue and history are gone
        awaitAll(jobs, JobState.SUCCEEDED);
        for (Job job : jobs) {
            assertEquals("success", fake.outcome(job.id()).orElseThrow(), job.id());
        }
    }

    @Test
    void aJobOnAServerAlreadyDownWhenTheClientRestartsGoesToAnotherAfterTheGrace() throws Exception {
        // the health service announces changes only: a server found down before the queue starts sends none after it
        fixture = QueueFixture.start(data, Map.of(), FakeComfyServer.builder(), FakeComfyServer.builder());
        Job job;
        String first;
        try (Stall a = fixture.fakes.get(0).holdNode(TestPrompts.SLOW_NODE);
                Stall b = fixture.fakes.get(1).holdNode(TestPrompts.SLOW_NODE)) {
            job = fixture.queue().submit(QueueFixture.slow(5101));
            fixture.awaitState(job, JobState.RUNNING);
            first = fixture.queue().job(job.id()).orElseThrow().serverId();
            fixture.fakes.get(fixture.serverIds.indexOf(first)).stop();
            ServerHealthService health = Osgi.service(ServerHealthService.class);
            Osgi.await("the server seen down", () -> health.refresh(first).join().state() == HealthState.DOWN);
            Osgi.restart(QueueFixture.QUEUE); // the client restarts while its job's server is down
        }
        Job end = Osgi.service(JobQueue.class).completion(job.id()).toCompletableFuture()
                .get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(JobState.SUCCEEDED, end.state(), end.toString());
        assertEquals(fixture.serverIds.get(1 - fixture.serverIds.indexOf(first)), end.serverId(), "run by the other");
    }

    @Test
    void aServerGoneForGoodLeavesItsJobsToTheOthers() throws Exception {
        healthProbesEvery(1);
        try {
            fixture = QueueFixture.start(data, Map.of(), FakeComfyServer.builder().defaultNodeDuration(Duration.ofMillis(30)),
                    FakeComfyServer.builder().defaultNodeDuration(Duration.ofMillis(30)),
                    FakeComfyServer.builder().defaultNodeDuration(Duration.ofMillis(30)));
            List<Job> jobs = fixture.queue().submitAll(requests(40, 3000));
            String doomed = fixture.serverIds.get(1);
            Osgi.await("the doomed server has run a job", () -> Osgi.service(JobQueue.class).batch("batch-3000").stream()
                    .anyMatch(j -> doomed.equals(j.serverId()) && j.state() == JobState.SUCCEEDED));
            fixture.fakes.get(1).stop();
            Osgi.await("the doomed server is seen down", () -> Osgi.service(ServerHealthService.class).health(doomed)
                    .state() == HealthState.DOWN);
            awaitAll(jobs, JobState.SUCCEEDED);
            Set<String> finishers = new java.util.HashSet<>();
            Osgi.service(JobQueue.class).batch("batch-3000").forEach(j -> finishers.add(j.serverId()));
            assertEquals(true, finishers.contains(fixture.serverIds.get(0)) && finishers.contains(fixture.serverIds.get(2)),
                    finishers.toString());
        } finally {
            healthProbesEvery(30); // the default
        }
    }

    @Test
    void jobsOnAServerThatStopsAnsweringStayWithItForTheUnansweringGraceAndRunThereOnce() throws Exception {
        // a partition or a frozen proxy: the probes time out, the server goes on running its queue behind it
        healthProbesEvery(1);
        requestTimeoutMillis(300);
        try {
            fixture = QueueFixture.start(data, Map.of("unansweringServerGraceMillis", 120_000L),
                    FakeComfyServer.builder(), FakeComfyServer.builder());
            FakeComfyServer partitioned = fixture.fakes.get(0);
            String server = fixture.serverIds.get(0);
            String other = fixture.serverIds.get(1);
            fixture.queue().pause(other);
            Job running;
            Job pending;
            try (Stall hold = partitioned.holdNode(TestPrompts.SLOW_NODE)) {
                running = fixture.queue().submit(QueueFixture.slow(5301));
                pending = fixture.queue().submit(QueueFixture.slow(5302));
                fixture.awaitState(running, JobState.RUNNING);
                fixture.awaitState(pending, JobState.DISPATCHED);
                try (Stall partition = partitioned.stall(".*")) {
                    partitioned.dropWebSockets();
                    ServerHealthService health = Osgi.service(ServerHealthService.class);
                    Osgi.await("the server seen down by timeouts", () -> {
                        ServerHealth h = health.health(server);
                        return h.state() == HealthState.DOWN
                                && h.failure().equals(Optional.of(ComfyException.Kind.TIMEOUT));
                    });
                    fixture.queue().resume(other);
                    Instant down = Instant.now();
                    // well past lostServerGraceMillis (1 s), which a server refusing connections gets
                    for (int probes = 0; Duration.between(down, Instant.now()).toMillis() < 3_000; probes++) {
                        assertEquals(HealthState.DOWN, health.refresh(server).join().state(), "probe " + probes);
                    }
                    assertEquals(JobState.DISPATCHED, fixture.queue().job(pending.id()).orElseThrow().state());
                    assertEquals(JobState.RUNNING, fixture.queue().job(running.id()).orElseThrow().state());
                    assertEquals(0, fixture.fakes.get(1).executions(pending.id()), "not sent elsewhere");
                }
            }
            for (Job job : List.of(running, pending)) {
                fixture.awaitState(job, JobState.SUCCEEDED);
                assertEquals(server, fixture.queue().job(job.id()).orElseThrow().serverId());
                assertEquals(1, partitioned.executions(job.id()), "ran once");
                assertEquals(0, fixture.fakes.get(1).executions(job.id()), "and never elsewhere");
            }
        } finally {
            requestTimeoutMillis(30_000); // the default
            healthProbesEvery(30); // the default
        }
    }
}
