package comfy.workbench.example.renderlog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.cm.ConfigurationAdmin;

import comfy.workbench.connection.api.ServerDescriptor;
import comfy.workbench.connection.api.ServerRegistry;
import comfy.workbench.model.api.PromptGraph;
import comfy.workbench.monitor.api.ConnectionState;
import comfy.workbench.monitor.api.ExecutionMonitor;
import comfy.workbench.queue.api.Job;
import comfy.workbench.queue.api.JobListener;
import comfy.workbench.queue.api.JobQueue;
import comfy.workbench.queue.api.JobRequest;
import comfy.workbench.queue.api.JobState;
import comfy.workbench.queue.api.OutputHandler;
import comfy.workbench.testing.contracts.JobListenerContract;
import comfy.workbench.testing.contracts.OutputHandlerContract;
import comfy.workbench.testing.fake.FakeComfyServer;
import comfy.workbench.testing.fake.TestPrompts;
import comfy.workbench.testing.osgi.Osgi;
import comfy.workbench.testing.osgi.TestPlatform;

/** The example's copies of outputs to a share, through the queue, and the output and job listener contracts. */
class OutputCopiesTest {

    @TempDir
    Path data;
    @TempDir
    Path share;
    FakeComfyServer fake;
    String server;

    @BeforeEach
    void start() throws Exception {
        TestPlatform.configure(data);
        Osgi.configure("comfy.workbench.queue", "comfy.workbench.queue.internal.QueueComponent",
                Map.of("fixture", UUID.randomUUID().toString()));
        Osgi.configure(OutputCopies.PID, OutputCopies.class.getName(), Map.of("folder", share.toString()));
        ServerRegistry registry = Osgi.service(ServerRegistry.class);
        registry.remove(ServerDescriptor.DEFAULT_ID);
        fake = FakeComfyServer.builder().start();
        server = "share-" + UUID.randomUUID().toString().substring(0, 6);
        registry.add(new ServerDescriptor(server, "Share test", fake.baseUri(), null));
        ExecutionMonitor monitor = Osgi.service(ExecutionMonitor.class);
        Osgi.await(server + " connected", () -> monitor.connectionState(server) == ConnectionState.CONNECTED);
    }

    @AfterEach
    void stop() throws Exception {
        Osgi.service(ServerRegistry.class).remove(server);
        fake.close();
        Osgi.service(ConfigurationAdmin.class).getConfiguration(OutputCopies.PID, "?").delete();
    }

    private static OutputHandler registeredCopies() throws Exception {
        return Osgi.context().getServiceReferences(OutputHandler.class, null).stream()
                .filter(r -> r.getBundle().getSymbolicName().equals("comfy.workbench.example.renderlog"))
                .map(r -> Osgi.context().getService(r)).findFirst()
                .orElseThrow(() -> new AssertionError("the example's output handler is not registered"));
    }

    @Test
    void eachOutputOfASucceededJobIsCopiedToTheShareByBatchAndTheQueuesOwnStays() throws Exception {
        JobQueue queue = Osgi.service(JobQueue.class);
        Job job = queue.submit(JobRequest.of(PromptGraph.parse(TestPrompts.quick(808, "share"), "quick"))
                .withBatch("shot-12"));
        Job done = queue.completion(job.id()).toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertEquals(JobState.SUCCEEDED, done.state(), String.valueOf(done.error()));
        Path output = done.outputs().get(0);
        Path copy = share.resolve("shot-12").resolve(job.id() + "-" + output.getFileName());
        // handlers run after the job is SUCCEEDED: the copy shows a moment later
        Osgi.await("the copy on the share", () -> Files.isRegularFile(copy));
        assertArrayEquals(Files.readAllBytes(output), Files.readAllBytes(copy));
        assertTrue(Files.isRegularFile(output), "the queue's own file stays");
        try (var left = Files.list(copy.getParent())) {
            assertEquals(List.of(copy), left.toList(), "no partial file left beside it");
        }
    }

    @Nested
    class HandlerContract extends OutputHandlerContract {
        @Override
        protected OutputHandler handler() throws Exception {
            return registeredCopies();
        }
    }

    @Nested
    class RenderLogContract extends JobListenerContract {
        @Override
        protected JobListener listener() {
            return Osgi.service(JsonLinesRenderLog.class);
        }
    }
}
