package comfy.workbench.queue.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import comfy.workbench.cache.api.BlobCache;
import comfy.workbench.cache.api.CacheManager;
import comfy.workbench.model.api.PromptGraph;
import comfy.workbench.queue.api.Job;
import comfy.workbench.queue.api.JobError;
import comfy.workbench.queue.api.JobEvent;
import comfy.workbench.queue.api.JobQueue;
import comfy.workbench.queue.api.JobRequest;
import comfy.workbench.queue.api.JobState;
import comfy.workbench.queue.api.Priority;
import comfy.workbench.testing.fake.FakeComfyServer;
import comfy.workbench.testing.fake.Stall;
import comfy.workbench.testing.fake.TestPrompts;
import comfy.workbench.testing.osgi.Osgi;

/** The queue against fake servers: outputs on disk, priorities, failures, cancellation, pause. */
class QueueTest {

    @TempDir
    Path data;
    QueueFixture fixture;

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void aJobRunsOnceAndItsOutputsLandOnDisk() throws Exception {
        fixture = QueueFixture.start(data, Map.of(), FakeComfyServer.builder());
        BlobCache kept = Osgi.service(CacheManager.class).findBlobCache("queue.outputs").orElseThrow();
        long keptBefore = kept.stats().diskEntries();
        Job job = fixture.queue().submit(QueueFixture.quick(101).withBatch("first"));
        Job done = fixture.await(job);
        assertEquals(JobState.SUCCEEDED, done.state(), String.valueOf(done.error()));
        assertEquals(1, done.outputs().size());
        Path out = done.outputs().get(0);
        assertEquals(data.resolve("outputs/first").resolve(job.id()), out.getParent());
        assertTrue(Files.size(out) > 0);
        assertEquals(1, fixture.fakes.get(0).executions(job.id()));
        List<JobState> states = fixture.events.stream().filter(e -> e.job().id().equals(job.id()))
                .map(e -> e.job().state()).toList();
        assertEquals(List.of(JobState.QUEUED, JobState.DISPATCHED, JobState.RUNNING, JobState.SUCCEEDED), states);
        Osgi.await("the client's own copy of the output", () -> kept.stats().diskEntries() == keptBefore + 1);
    }

    @Test
    void aQueueThatDoesNotDispatchKeepsWaitingJobsForTheProcessThatRunsThemAndStillCancels() throws Exception {
        // what comfy jobs and comfy cancel start: listing or cancelling must not send the waiting jobs
        fixture = QueueFixture.start(data, Map.of("dispatch", false), FakeComfyServer.builder());
        String server = fixture.serverIds.get(0);
        Osgi.await("the server's socket up", () -> Osgi.service(comfy.workbench.monitor.api.ExecutionMonitor.class)
                .connectionState(server) == comfy.workbench.monitor.api.ConnectionState.CONNECTED);
        JobQueue queue = fixture.queue();
        Job kept = queue.submit(QueueFixture.quick(131));
        Job cancelled = queue.submit(QueueFixture.quick(132));
        queue.diagnostics(); // a round trip through the engine: any dispatch of the submissions has happened
        assertEquals(JobState.QUEUED, queue.job(kept.id()).orElseThrow().state());
        assertTrue(queue.cancel(cancelled.id()));
        assertEquals(JobState.CANCELLED, queue.job(cancelled.id()).orElseThrow().state());
        queue.diagnostics();
        assertEquals(JobState.QUEUED, queue.job(kept.id()).orElseThrow().state());
        assertEquals(0, fixture.fakes.get(0).requests("POST /prompt"), "nothing was sent");
    }

    @Test
    void aJobSentBeforeARestartIsLeftAsStoredByAQueueThatDoesNotDispatchAndFinishedByOneThatDoes() throws Exception {
        fixture = QueueFixture.start(data, Map.of(), FakeComfyServer.builder());
        FakeComfyServer fake = fixture.fakes.get(0);
        Job job;
        try (Stall hold = fake.holdNode(TestPrompts.SLOW_NODE)) {
            job = fixture.queue().submit(QueueFixture.slow(141));
            fixture.awaitState(job, JobState.RUNNING);
            // what comfy jobs starts after a run was stopped: the same store, no dispatching
            Osgi.configure("comfy.workbench.queue", QueueFixture.QUEUE, Map.of("dispatch", false,
                    "fixture", UUID.randomUUID().toString()));
            fixture.queue().diagnostics();
            assertEquals(JobState.RUNNING, fixture.queue().job(job.id()).orElseThrow().state(), "as stored");
        }
        Osgi.await("the server done with it", () -> fake.executions(job.id()) == 1);
        assertEquals(JobState.RUNNING, fixture.queue().job(job.id()).orElseThrow().state(),
                "its outputs are left for the run that resumes it");
        fixture.configureQueue(); // the run that resumes it
        assertEquals(JobState.SUCCEEDED, fixture.await(job).state());
        assertEquals(1, fake.executions(job.id()));
    }

    @Test
    void cancellingAfterARestartLeavesAJobItsServerFinishedMeanwhileForTheRunThatFetchesItsOutputs() throws Exception {
        fixture = QueueFixture.start(data, Map.of("perServerLimit", 2), FakeComfyServer.builder());
        FakeComfyServer fake = fixture.fakes.get(0);
        // the second job's slow node has an id of its own, so that it can be held while the first finishes
        JobRequest second = JobRequest.of(PromptGraph.parse(TestPrompts.slow(152).replace("\"2\":{", "\"7\":{")
                .replace("[\"2\",0]", "[\"7\",0]"), "slow 152")).withBatch("killed");
        Job finished;
        Job running;
        try (Stall holdFirst = fake.holdNode(TestPrompts.SLOW_NODE); Stall holdSecond = fake.holdNode("7")) {
            finished = fixture.queue().submit(QueueFixture.slow(151).withBatch("killed"));
            running = fixture.queue().submit(second);
            fixture.awaitState(finished, JobState.RUNNING);
            Osgi.await("the second sent", () -> fake.requests("POST /prompt") == 2);
            // what comfy cancel starts after the run was killed: the same store, no dispatching
            Osgi.configure("comfy.workbench.queue", QueueFixture.QUEUE, Map.of("dispatch", false,
                    "fixture", UUID.randomUUID().toString()));
            fixture.queue().diagnostics();
            holdFirst.release();
            Osgi.await("the server done with the first", () -> fake.outcome(finished.id()).isPresent());
            assertFalse(fixture.queue().cancel(finished.id()), "finished work is not thrown away");
            assertEquals(JobState.RUNNING, fixture.queue().job(finished.id()).orElseThrow().state(), "as stored");
            assertEquals(1, fixture.queue().cancelBatch("killed"), "the one still on the server");
            assertEquals(JobState.CANCELLED, fixture.queue().job(running.id()).orElseThrow().state());
        }
        fixture.configureQueue(); // the run that resumes
        Job done = fixture.await(finished);
        assertEquals(JobState.SUCCEEDED, done.state());
        assertFalse(done.outputs().isEmpty(), "its outputs fetched");
        assertEquals(JobState.CANCELLED, fixture.queue().job(running.id()).orElseThrow().state());
    }

    @Test
    void aJobKeepsItsOwnOutputFolderAcrossARestart() throws Exception {
        fixture = QueueFixture.start(data, Map.of(), FakeComfyServer.builder());
        FakeComfyServer fake = fixture.fakes.get(0);
        Path own = data.resolve("shot-010");
        Job job;
        try (Stall hold = fake.holdNode(TestPrompts.SLOW_NODE)) {
            job = fixture.queue().submit(QueueFixture.slow(161).withBatch("b").withOutputFolder(own));
            fixture.awaitState(job, JobState.RUNNING);
            fixture.configureQueue(); // the run is interrupted; the next one (its own output folder) resumes it
        }
        Job done = fixture.await(job);
        assertEquals(JobState.SUCCEEDED, done.state());
        assertEquals(own.resolve("b").resolve(job.id()), done.outputs().get(0).getParent(), "where its run put it");
        assertEquals(own, done.request().outputFolder());
    }

    @Test
    void endedJobsAreForgottenForGoodAndUnfinishedOnesAreKept() throws Exception {
        fixture = QueueFixture.start(data, Map.of(), FakeComfyServer.builder());
        Job done = fixture.await(fixture.queue().submit(QueueFixture.quick(171)));
        fixture.queue().pause();
        Job waiting = fixture.queue().submit(QueueFixture.quick(172));
        Path output = done.outputs().get(0);

        assertEquals(1, fixture.queue().forget(List.of(done.id(), waiting.id(), "no-such-job")));

        assertTrue(fixture.queue().job(done.id()).isEmpty(), "forgotten");
        assertTrue(fixture.queue().job(waiting.id()).isPresent(), "a waiting job is not forgotten");
        assertTrue(Files.isRegularFile(output), "its files stay");
        fixture.configureQueue(); // a restart reads the store: still gone
        assertTrue(fixture.queue().job(done.id()).isEmpty(), "gone from the store too");
        assertTrue(fixture.queue().job(waiting.id()).isPresent());
        fixture.queue().resume();
    }

    @Test
    void outputHandlersGetTheFilesOfEverySucceededJob() throws Exception {
        fixture = QueueFixture.start(data, Map.of(), FakeComfyServer.builder());
        java.util.concurrent.CompletableFuture<List<Path>> handed = new java.util.concurrent.CompletableFuture<>();
        org.osgi.framework.ServiceRegistration<comfy.workbench.queue.api.OutputHandler> reg = Osgi.context()
                .registerService(comfy.workbench.queue.api.OutputHandler.class, (job, files) -> handed.complete(files), null);
        try {
            Job done = fixture.await(fixture.queue().submit(QueueFixture.quick(111)));
            assertEquals(done.outputs(), handed.get(10, java.util.concurrent.TimeUnit.SECONDS));
        } finally {
            reg.unregister();
        }
    }

    @Test
    void higherPrioritiesGoFirstAndFirstInFirstOutWithinOne() throws Exception {
        fixture = QueueFixture.start(data, Map.of("perServerLimit", 1), FakeComfyServer.builder());
        JobQueue queue = fixture.queue();
        queue.pause();
        List<JobRequest> requests = new ArrayList<>();
        Priority[] order = { Priority.LOW, Priority.NORMAL, Priority.CRITICAL, Priority.HIGH, Priority.NORMAL,
                Priority.CRITICAL };
        for (int i = 0; i < order.length; i++) {
            requests.add(QueueFixture.quick(200 + i).withPriority(order[i]).withName("job" + i));
        }
        List<Job> jobs = queue.submitAll(requests);
        assertTrue(jobs.stream().allMatch(j -> j.state() == JobState.PAUSED));
        queue.reprioritise(jobs.get(0).id(), Priority.HIGH); // job0: LOW → HIGH, submitted before job3
        // announced, so that every view of the queue shows it: the same state, the new priority
        Osgi.await("the priority change announced", () -> fixture.events.stream().anyMatch(e -> e.job().id()
                .equals(jobs.get(0).id()) && e.previous() == JobState.PAUSED && e.job().priority() == Priority.HIGH));
        queue.resume();
        for (Job j : jobs) {
            assertEquals(JobState.SUCCEEDED, fixture.await(j).state());
        }
        List<String> started = fixture.events.stream().filter(e -> e.job().state() == JobState.DISPATCHED)
                .map(e -> e.job().request().name()).toList();
        assertEquals(List.of("job2", "job5", "job0", "job3", "job1", "job4"), started); // job0 keeps its place in line
    }

    @Test
    void aValidationErrorFailsAtOnceWithTheNodeErrors() throws Exception {
        fixture = QueueFixture.start(data, Map.of(), FakeComfyServer.builder());
        PromptGraph bad = PromptGraph.parse("{\"1\":{\"class_type\":\"EmptyImage\",\"inputs\":{\"width\":8,"
                + "\"height\":8,\"batch_size\":1,\"color\":0}},\"2\":{\"class_type\":\"SaveImage\",\"inputs\":{"
                + "\"images\":[\"1\",0]}}}", "bad");
        Job done = fixture.await(fixture.queue().submit(JobRequest.of(bad)));
        assertEquals(JobState.FAILED, done.state());
        assertEquals(JobError.Kind.VALIDATION, done.error().kind());
        assertEquals("2", done.error().nodeId());
        assertEquals("SaveImage", done.error().nodeType());
        assertTrue(done.error().details().getAsJsonObject("node_errors").has("2"));
        assertEquals(1, done.attempts(), "validation errors are not retried");
    }

    @Test
    void outputsThatCannotBeFetchedForAWhileAreFetchedAgainWithoutRunningThePromptAgain() throws Exception {
        fixture = QueueFixture.start(data, Map.of(), FakeComfyServer.builder());
        FakeComfyServer fake = fixture.fakes.get(0);
        fake.failWith500("GET /view");
        Job job = fixture.queue().submit(QueueFixture.quick(121));
        Osgi.await("the download tried twice", () -> fake.requests("GET /view") >= 2);
        fake.clearFaults();

        Job done = fixture.await(job);

        assertEquals(JobState.SUCCEEDED, done.state(), String.valueOf(done.error()));
        assertEquals(1, done.attempts());
        assertEquals(1, fake.executions(job.id()), "the prompt ran once");
        assertTrue(Files.size(done.outputs().get(0)) > 0);
        assertTrue(fixture.events.stream().anyMatch(e -> e.job().id().equals(job.id())
                && e.job().state() == JobState.RUNNING && e.job().error() != null
                && e.job().error().message().contains("trying again")), "the wait is shown with the job");
        assertEquals(null, done.error());
    }

    @Test
    void outputsThatCannotBeFetchedForLongerThanTheGraceHaveTheJobRunAgain() throws Exception {
        fixture = QueueFixture.start(data, Map.of("lostServerGraceMillis", 600L, "reconcileRetryMillis", 100L),
                FakeComfyServer.builder());
        FakeComfyServer fake = fixture.fakes.get(0);
        fake.failWith500("GET /view");
        Job job = fixture.queue().submit(QueueFixture.quick(122));
        Osgi.await("the job run again", () -> fake.executions(job.id()) == 2);
        fake.clearFaults();

        Job done = fixture.await(job);

        assertEquals(JobState.SUCCEEDED, done.state(), String.valueOf(done.error()));
        assertEquals(2, done.attempts());
        assertTrue(fixture.events.stream().anyMatch(e -> e.job().id().equals(job.id())
                && e.job().state() == JobState.RETRY_WAIT && e.job().error().message().contains("could not be downloaded")),
                "the first attempt ended because its outputs could not be downloaded");
    }

    @Test
    void outputsTheServerNoLongerHasAfterItsRestartHaveTheJobRunAgain() throws Exception {
        fixture = QueueFixture.start(data, Map.of("lostServerGraceMillis", 30_000L), FakeComfyServer.builder());
        FakeComfyServer fake = fixture.fakes.get(0);
        fake.failWith500("GET /view");
        Job job = fixture.queue().submit(QueueFixture.quick(123));
        Osgi.await("the download failing", () -> fake.requests("GET /view") >= 1);
        fake.restart(); // a restart loses the server's execution cache; its outputs on disk are then deleted
        try (java.util.stream.Stream<Path> files = Files.walk(fake.dataDir().resolve("output"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.delete(f);
            }
        }
        fake.clearFaults();

        Job done = fixture.await(job);

        assertEquals(JobState.SUCCEEDED, done.state(), String.valueOf(done.error()));
        assertEquals(2, done.attempts());
        assertTrue(fixture.events.stream().anyMatch(e -> e.job().id().equals(job.id())
                && e.job().state() == JobState.RETRY_WAIT && e.job().error().kind() == JobError.Kind.LOST
                && e.job().error().message().contains("no longer has the outputs")), "run again because of the 404");
        assertTrue(Files.size(done.outputs().get(0)) > 0);
    }

    @Test
    void anOutputMissingFromAServerThatStillHasTheRunFailsTheJobWithoutRunningItAgain() throws Exception {
        fixture = QueueFixture.start(data, Map.of(), FakeComfyServer.builder());
        FakeComfyServer fake = fixture.fakes.get(0);
        Job job;
        try (Stall held = fake.stall("GET /view")) {
            job = fixture.queue().submit(QueueFixture.quick(125));
            Osgi.await("the download held", () -> fake.requests("GET /view") >= 1);
            try (java.util.stream.Stream<Path> files = Files.walk(fake.dataDir().resolve("output"))) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    Files.delete(f); // as a node that moves its file after reporting it
                }
            }
        }

        Job done = fixture.await(job);

        assertEquals(JobState.FAILED, done.state());
        assertEquals(JobError.Kind.OUTPUT, done.error().kind());
        assertTrue(done.error().message().contains("lists an output it does not have"), done.error().message());
        assertEquals(1, done.attempts());
        assertEquals(1, fake.executions(job.id()), "not run again: it would miss the same file");
    }

    @Test
    void aBadOutputsCacheSettingFailsTheQueueWithoutLeavingItsStoreLocked() throws Exception {
        fixture = QueueFixture.start(data, Map.of(), FakeComfyServer.builder());
        org.osgi.service.cm.Configuration queueConfiguration = Osgi.service(org.osgi.service.cm.ConfigurationAdmin.class)
                .getConfiguration("comfy.workbench.queue", "?");
        java.util.Dictionary<String, Object> bad = queueConfiguration.getProperties();
        bad.put("outputCacheMegabytes", -1L);
        queueConfiguration.update(bad);
        Osgi.await("the queue failed on the setting", () -> Osgi.service(
                org.osgi.service.component.runtime.ServiceComponentRuntime.class)
                .getComponentConfigurationDTOs(Osgi.component(QueueFixture.QUEUE)).stream()
                .anyMatch(c -> c.state == org.osgi.service.component.runtime.dto.ComponentConfigurationDTO.FAILED_ACTIVATION
                        && c.failure != null && c.failure.contains("outputCacheMegabytes")));

        fixture.configureQueue(); // a good configuration: the store opens again in this process

        assertEquals(JobState.SUCCEEDED, fixture.await(fixture.queue().submit(QueueFixture.quick(124))).state());
    }

    @Test
    void anExecutionErrorFailsWithTheExceptionUnlessTheJobAsksForRetries() throws Exception {
        fixture = QueueFixture.start(data, Map.of(), FakeComfyServer.builder());
        fixture.fakes.get(0).failNodeClass("EmptyImage", "RuntimeError", "out of paint");
        Job done = fixture.await(fixture.queue().submit(QueueFixture.quick(301)));
        assertEquals(JobState.FAILED, done.state());
        assertEquals(JobError.Kind.EXECUTION, done.error().kind());
        assertTrue(done.error().message().contains("out of paint"), done.error().message());
        assertEquals("1", done.error().nodeId());
        assertEquals(1, done.attempts());
    }

    @Test
    void aRunningJobsStateBecomesDurableWhileItRunsThoughNothingElseChanges() throws Exception {
        fixture = QueueFixture.start(data, Map.of(), FakeComfyServer.builder());
        Path journal = data.resolve("queue/jobs.mv.db.journal");
        try (Stall hold = fixture.fakes.get(0).holdNode(TestPrompts.SLOW_NODE)) {
            Job job = fixture.queue().submit(QueueFixture.slow(301));
            fixture.awaitState(job, JobState.RUNNING);
            // RUNNING may wait for the next commit, but not for long: with the job held on the server nothing else
            // commits, so the only way it reaches the journal is the engine's deadline for changes that may wait
            String running = "\"id\":\"" + job.id() + "\",\"seq\"";
            Osgi.await("the running state in the store's journal", () -> {
                try {
                    String text = new String(Files.readAllBytes(journal), StandardCharsets.ISO_8859_1);
                    int at = text.lastIndexOf(running); // the job's latest record
                    int end = text.indexOf('}', at + 1);
                    return at >= 0 && end > at && text.substring(at, end).contains("\"state\":\"RUNNING\"");
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            });
            assertEquals(JobState.RUNNING, fixture.queue().job(job.id()).orElseThrow().state(), "still held");
        }
    }

    @Test
    void cancellingTakesAJobBackFromTheServerWithoutTouchingOthers() throws Exception {
        fixture = QueueFixture.start(data, Map.of("perServerLimit", 2), FakeComfyServer.builder());
        FakeComfyServer fake = fixture.fakes.get(0);
        JobQueue queue = fixture.queue();
        Job running;
        Job pendingOnServer;
        Job waiting;
        try (Stall hold = fake.holdNode(TestPrompts.SLOW_NODE)) {
            running = queue.submit(QueueFixture.slow(401));
            pendingOnServer = queue.submit(QueueFixture.slow(402));
            waiting = queue.submit(QueueFixture.quick(403));
            fixture.awaitState(running, JobState.RUNNING);
            fixture.awaitState(pendingOnServer, JobState.DISPATCHED);
            assertTrue(queue.cancel(waiting.id()));
            assertTrue(queue.cancel(pendingOnServer.id()));
            assertTrue(queue.cancel(running.id()));
            assertFalse(queue.cancel(running.id()), "already cancelled");
            for (Job j : List.of(running, pendingOnServer, waiting)) {
                assertEquals(JobState.CANCELLED, fixture.await(j).state());
            }
            // the pending one deleted from the server's queue, the running one interrupted by its prompt id; the server
            // applies the interrupt (waited for: applied, not merely received, before the hold is released)
            Osgi.await("the delete reached the server", () -> fake.requests("POST /queue") >= 1);
            Osgi.await("the interrupt reached the server", () -> fake.requests("POST /interrupt") >= 1);
            Osgi.await("the running prompt's interrupt is applied", () -> fake.interruptsApplied() >= 1);
        }
        // the interrupt takes effect before the next node: the running prompt ends in error, the other never ran
        Osgi.await("the running prompt ended", () -> fake.outcome(running.id()).isPresent());
        assertEquals("error", fake.outcome(running.id()).orElseThrow());
        assertEquals(0, fake.executions(pendingOnServer.id()));
        assertEquals(0, fake.executions(waiting.id()));
        Job after = fixture.await(queue.submit(QueueFixture.quick(404)));
        assertEquals(JobState.SUCCEEDED, after.state(), "the queue goes on");
    }
}
