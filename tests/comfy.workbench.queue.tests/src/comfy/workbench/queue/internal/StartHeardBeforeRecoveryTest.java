package comfy.workbench.queue.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.component.runtime.ServiceComponentRuntime;

import comfy.workbench.connection.api.ServerDescriptor;
import comfy.workbench.connection.api.ServerRegistry;
import comfy.workbench.model.api.PromptGraph;
import comfy.workbench.monitor.api.ConnectionState;
import comfy.workbench.monitor.api.ExecutionMonitor;
import comfy.workbench.queue.api.Job;
import comfy.workbench.queue.api.JobQueue;
import comfy.workbench.queue.api.JobRequest;
import comfy.workbench.queue.api.JobState;
import comfy.workbench.testing.fake.FakeComfyServer;
import comfy.workbench.testing.fake.Stall;
import comfy.workbench.testing.fake.TestPrompts;
import comfy.workbench.testing.osgi.Osgi;
import comfy.workbench.testing.osgi.TestPlatform;

/**
 * A job stored as DISPATCHED whose prompt the server has already started (a start waits for the next commit; a crash
 * before it leaves the store behind): the server does not announce the start again, so the restarted queue takes it
 * from what the monitor tracks of the prompt.
 */
class StartHeardBeforeRecoveryTest {

    private static final String QUEUE = QueueComponent.class.getName();

    @TempDir
    Path data;
    FakeComfyServer fake;
    String server;

    @AfterEach
    void stop() {
        Osgi.service(ServerRegistry.class).remove(server);
        fake.close();
    }

    private static JobState state(String id) {
        return Osgi.service(JobQueue.class).job(id).map(Job::state).orElse(null);
    }

    @Test
    void aJobStoredAsDispatchedWhosePromptRunsIsRunningAfterTheRestart() throws Exception {
        TestPlatform.configure(data);
        Osgi.configure("comfy.workbench.queue", QUEUE, Map.of("fixture", UUID.randomUUID().toString()));
        ServerRegistry registry = Osgi.service(ServerRegistry.class);
        registry.remove(ServerDescriptor.DEFAULT_ID);
        fake = FakeComfyServer.builder().start();
        server = "started-" + UUID.randomUUID().toString().substring(0, 6);
        registry.add(new ServerDescriptor(server, "Fake", fake.baseUri(), null));
        ExecutionMonitor monitor = Osgi.service(ExecutionMonitor.class);
        Osgi.await(server + " connected", () -> monitor.connectionState(server) == ConnectionState.CONNECTED);

        Job job;
        try (Stall hold = fake.holdNode(TestPrompts.SLOW_NODE)) {
            job = Osgi.service(JobQueue.class).submit(JobRequest.of(PromptGraph.parse(TestPrompts.slow(5201), "slow")));
            Osgi.await("the job RUNNING", () -> state(job.id()) == JobState.RUNNING);

            ServiceComponentRuntime scr = Osgi.service(ServiceComponentRuntime.class);
            scr.disableComponent(Osgi.component(QUEUE)).getValue();
            // as if the client had crashed before the start was committed
            JobStore store = new JobStore(data.resolve("queue").resolve("jobs.mv.db"));
            try {
                Job stored = store.load().stream().filter(j -> j.id().equals(job.id())).findFirst().orElseThrow();
                assertEquals(JobState.RUNNING, stored.state());
                store.put(new Job(stored.id(), stored.sequence(), stored.request(), stored.priority(),
                        JobState.DISPATCHED, stored.serverId(), stored.attempts(), stored.created(), stored.updated(),
                        stored.error(), stored.outputs()));
                store.commit();
            } finally {
                store.close();
            }
            scr.enableComponent(Osgi.component(QUEUE)).getValue();
            Osgi.await("the recovered job RUNNING though its prompt started before", () ->
                    state(job.id()) == JobState.RUNNING);
        }
        Job end = Osgi.service(JobQueue.class).completion(job.id()).toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertEquals(JobState.SUCCEEDED, end.state(), end.toString());
        assertEquals(1, fake.executions(job.id()), "not sent again");
    }
}
