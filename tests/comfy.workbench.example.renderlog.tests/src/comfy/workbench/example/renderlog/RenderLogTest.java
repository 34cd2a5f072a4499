package comfy.workbench.example.renderlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.ServiceReference;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import comfy.workbench.connection.api.ServerDescriptor;
import comfy.workbench.connection.api.ServerRegistry;
import comfy.workbench.example.renderlog.api.RenderLog;
import comfy.workbench.example.renderlog.api.RenderLogLine;
import comfy.workbench.example.renderlog.api.RenderLogTail;
import comfy.workbench.manager.api.HealthCheck;
import comfy.workbench.manager.api.HealthResult;
import comfy.workbench.manager.api.HealthStatus;
import comfy.workbench.model.api.PromptGraph;
import comfy.workbench.monitor.api.ConnectionState;
import comfy.workbench.monitor.api.ExecutionMonitor;
import comfy.workbench.queue.api.DispatchPolicy;
import comfy.workbench.queue.api.Job;
import comfy.workbench.queue.api.JobQueue;
import comfy.workbench.queue.api.JobRequest;
import comfy.workbench.queue.api.JobState;
import comfy.workbench.testing.contracts.DispatchPolicyContract;
import comfy.workbench.testing.contracts.HealthCheckContract;
import comfy.workbench.testing.fake.FakeComfyServer;
import comfy.workbench.testing.fake.TestPrompts;
import comfy.workbench.testing.osgi.Osgi;
import comfy.workbench.testing.osgi.TestPlatform;

/**
 * The example extension on the running platform, through the platform's own services only: its round-robin policy
 * spreads jobs the built-in choice would keep on one server, its render log has a line per ended job, its check
 * watches the log, and each passes the contract tests an extender runs.
 */
class RenderLogTest {

    @TempDir
    Path data;
    final List<FakeComfyServer> fakes = new ArrayList<>();
    final List<String> servers = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        TestPlatform.configure(data);
        Osgi.configure("comfy.workbench.queue", "comfy.workbench.queue.internal.QueueComponent", Map.of(
                "dispatchPolicy", RoundRobinPolicy.NAME, "fixture", UUID.randomUUID().toString()));
        ServerRegistry registry = Osgi.service(ServerRegistry.class);
        registry.remove(ServerDescriptor.DEFAULT_ID);
        for (int i = 0; i < 2; i++) {
            FakeComfyServer fake = FakeComfyServer.builder().start();
            String id = "farm-" + i + "-" + UUID.randomUUID().toString().substring(0, 6);
            registry.add(new ServerDescriptor(id, "Farm " + i, fake.baseUri(), null));
            fakes.add(fake);
            servers.add(id);
        }
        ExecutionMonitor monitor = Osgi.service(ExecutionMonitor.class);
        for (String id : servers) {
            Osgi.await(id + " connected", () -> monitor.connectionState(id) == ConnectionState.CONNECTED);
        }
    }

    @AfterEach
    void stop() {
        JobQueue queue = Osgi.service(JobQueue.class);
        queue.jobs(List.of()).stream().filter(j -> !j.state().terminal()).forEach(j -> queue.cancel(j.id()));
        Osgi.await("the test's jobs ended", () -> queue.jobs(List.of()).stream().allMatch(j -> j.state().terminal()));
        ServerRegistry registry = Osgi.service(ServerRegistry.class);
        servers.forEach(registry::remove);
        fakes.forEach(FakeComfyServer::close);
    }

    private static JobRequest quick(int color) {
        return JobRequest.of(PromptGraph.parse(TestPrompts.quick(color, "rl" + color), "quick " + color))
                .withName("render " + color);
    }

    private static Job run(JobRequest request) throws Exception {
        JobQueue queue = Osgi.service(JobQueue.class);
        return queue.completion(queue.submit(request).id()).toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private List<JsonObject> logLines() throws Exception {
        Path file = data.resolve(JsonLinesRenderLog.AREA).resolve(JsonLinesRenderLog.FILE);
        return Files.readAllLines(file).stream().map(l -> JsonParser.parseString(l).getAsJsonObject()).toList();
    }

    @Test
    void jobsRunOneAfterTheOtherTakeTurnsOnTheServersAndEachEndingIsLogged() throws Exception {
        // with both servers idle each time, the built-in choice would send every one of them to the first
        List<String> ranOn = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Job done = run(quick(600 + i).withTags(java.util.Set.of("shot-12")));
            assertEquals(JobState.SUCCEEDED, done.state(), String.valueOf(done.error()));
            ranOn.add(done.serverId());
        }
        assertEquals(2, ranOn.stream().distinct().count(), "both servers ran jobs: " + ranOn);
        for (int i = 1; i < ranOn.size(); i++) {
            assertTrue(!ranOn.get(i).equals(ranOn.get(i - 1)), "turns were taken: " + ranOn);
        }

        Osgi.await("four lines in the render log", () -> {
            try {
                return logLines().size() == 4;
            } catch (Exception e) {
                return false;
            }
        });
        List<JsonObject> lines = logLines();
        // what the render log's service reads back, newest first
        RenderLogTail tail = Osgi.service(RenderLog.class).tail(10);
        assertEquals(0, tail.malformed());
        assertEquals(List.of("render 603", "render 602", "render 601", "render 600"),
                tail.newestFirst().stream().map(RenderLogLine::name).toList());
        for (int i = 0; i < 4; i++) {
            JsonObject line = lines.get(i);
            assertEquals("SUCCEEDED", line.get("state").getAsString());
            assertEquals("render " + (600 + i), line.get("name").getAsString());
            assertEquals(ranOn.get(i), line.get("server").getAsString());
            assertEquals("shot-12", line.getAsJsonArray("tags").get(0).getAsString());
            assertEquals(1, line.getAsJsonArray("outputs").size());
            assertTrue(Files.exists(Path.of(line.getAsJsonArray("outputs").get(0).getAsString())));
        }
    }

    @Test
    void aFailedJobIsLoggedWithWhyAndTheCheckTurnsCriticalWhenTheLogCannotBeWritten() throws Exception {
        String invalid = TestPrompts.quick(700, "bad").replace(",\"filename_prefix\":\"bad\"", "");
        Job failed = run(JobRequest.of(PromptGraph.parse(invalid, "invalid")).withName("broken"));
        assertEquals(JobState.FAILED, failed.state());
        Osgi.await("a line for the failed job", () -> {
            try {
                return logLines().size() == 1;
            } catch (Exception e) {
                return false;
            }
        });
        JsonObject line = logLines().get(0);
        assertEquals("FAILED", line.get("state").getAsString());
        assertEquals(failed.error().message(), line.get("error").getAsString());
        assertTrue(failed.error().message().contains("SaveImage") || failed.error().message().contains("filename_prefix"),
                failed.error().message());

        HealthCheck check = registeredCheck();
        assertEquals(HealthStatus.OK, check.check().status(), check.check().message());
        // the log's file replaced by a folder: the next line cannot be appended
        Path file = data.resolve(JsonLinesRenderLog.AREA).resolve(JsonLinesRenderLog.FILE);
        Files.delete(file);
        Files.createDirectory(file);
        run(quick(701));
        Osgi.await("the check CRITICAL", () -> {
            try {
                return check.check().status() == HealthStatus.CRITICAL;
            } catch (Exception e) {
                return false;
            }
        });
        HealthResult critical = check.check();
        assertTrue(critical.message().startsWith("cannot append to " + file), critical.message());
    }

    private static ServiceReference<HealthCheck> checkReference() throws Exception {
        return Osgi.context().getServiceReferences(HealthCheck.class, "(" + HealthCheck.NAME + "=render log)").stream()
                .findFirst().orElseThrow(() -> new AssertionError("no check named render log"));
    }

    private static HealthCheck registeredCheck() throws Exception {
        return Osgi.context().getService(checkReference());
    }

    @Nested
    class CheckContract extends HealthCheckContract {
        @Override
        protected HealthCheck check() throws Exception {
            return registeredCheck();
        }

        @Override
        protected Map<String, Object> properties() {
            try {
                ServiceReference<HealthCheck> r = checkReference();
                return Map.of(HealthCheck.NAME, "render log (contract)", HealthCheck.TAGS, r.getProperty(HealthCheck.TAGS),
                        HealthCheck.INTERVAL, r.getProperty(HealthCheck.INTERVAL));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
    }

    @Nested
    class PolicyContract extends DispatchPolicyContract {
        @Override
        protected DispatchPolicy policy() {
            return new RoundRobinPolicy();
        }

        @Override
        protected Map<String, Object> properties() {
            return Osgi.component(RoundRobinPolicy.class.getName()).properties;
        }
    }
}
