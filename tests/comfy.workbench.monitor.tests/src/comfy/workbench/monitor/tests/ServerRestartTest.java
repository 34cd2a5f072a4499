package comfy.workbench.monitor.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import comfy.workbench.monitor.api.ConnectionState;
import comfy.workbench.monitor.api.ExecutionListener;
import comfy.workbench.monitor.api.MonitorStatistics;
import comfy.workbench.monitor.api.MonitorStats;
import comfy.workbench.monitor.api.PromptExecution;
import comfy.workbench.monitor.api.PromptFinishedEvent;
import comfy.workbench.monitor.api.PromptState;
import comfy.workbench.testing.fake.FakeComfyServer;
import comfy.workbench.testing.osgi.Eventually;
import comfy.workbench.testing.osgi.Osgi;

/**
 * The reliability run: the fake server restarts 20 times during 200 prompts. Every prompt the server
 * completed ends exactly once with its outputs; every prompt a restart lost ends once as LOST; nothing runs twice.
 */
final class ServerRestartTest {

    private static final int PROMPTS = 200;
    private static final int RESTART_EVERY = 10;

    private MonitorFixture fixture;

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    /**
     * Restarts the server the moment the monitor has seen (over the socket or through reconciliation) every prompt
     * the server completed. A hold on node 2 keeps the server from completing one more in between, so the restart
     * finds a prompt running and others queued, and loses them. (A prompt completed in the instant before a crash,
     * whose events never left the server and whose history the crash wiped, is lost to any client.)
     */
    private void restartWhenCaughtUp(List<String> prompts) throws Exception {
        try (var hold = fixture.fake.holdNode("2")) {
            // a prompt already past the hold may still finish: wait until the server is still
            Eventually.until("the server holding", () -> fixture.fake.waitingAt("2") || fixture.fake.queueRemaining() == 0);
            try {
                Eventually.until("the monitor saw every completed prompt", () -> behind(prompts).isEmpty());
            } catch (AssertionError e) {
                StringBuilder threads = new StringBuilder();
                Thread.getAllStackTraces().forEach((t, stack) -> {
                    if (t.getName().startsWith("comfy-monitor")) {
                        threads.append('\n').append(t.getName()).append(' ').append(t.getState());
                        for (int i = 0; i < Math.min(12, stack.length); i++) {
                            threads.append("\n    at ").append(stack[i]);
                        }
                    }
                });
                throw new AssertionError(e.getMessage() + "; behind: " + behind(prompts) + "; "
                        + Osgi.service(MonitorStatistics.class).statistics(fixture.serverId).orElseThrow() + threads, e);
            }
            // each restart must break a live socket (one that is still reconnecting would count two restarts as one)
            Eventually.until("the socket up before the restart",
                    () -> fixture.monitor.connectionState(fixture.serverId) == ConnectionState.CONNECTED);
            fixture.fake.restart();
        }
    }

    /** The prompts the server completed that the monitor has not seen end, with what it knows of them. */
    private List<String> behind(List<String> prompts) {
        return prompts.stream().filter(id -> fixture.fake.outcome(id).isPresent())
                .filter(id -> !fixture.monitor.execution(fixture.serverId, id).map(PromptExecution::terminal).orElse(false))
                .map(id -> id + "=" + fixture.fake.outcome(id).get() + "/"
                        + fixture.monitor.execution(fixture.serverId, id).map(e -> e.state().name()).orElse("untracked"))
                .toList();
    }

    @Test
    void twentyRestartsDuringTwoHundredPrompts(@TempDir Path data) throws Exception {
        // a few milliseconds a node: restarts find prompts running and queued, not only finished
        // a sweep every second: a busy socket is no proof that every prompt's events came
        fixture = MonitorFixture.start(data, FakeComfyServer.builder().defaultNodeDuration(Duration.ofMillis(3)),
                Map.of("pingIntervalSeconds", 1L, "reconcileIntervalSeconds", 1L));
        Recorder recorder = fixture.listen(new Recorder(), Map.of(ExecutionListener.SERVERS, fixture.serverId,
                ExecutionListener.TYPES, "PROMPT_FINISHED"));
        Map<String, String> atLoss = new java.util.concurrent.ConcurrentHashMap<>();
        fixture.listen(e -> {
            if (e instanceof PromptFinishedEvent f && f.state() == PromptState.LOST) {
                atLoss.put(f.promptId(), fixture.fake.outcome(f.promptId()).orElse("none") + " executions="
                        + fixture.fake.executions(f.promptId()) + " remaining=" + fixture.fake.queueRemaining());
            }
        }, Map.of(ExecutionListener.SERVERS, fixture.serverId, ExecutionListener.TYPES, "PROMPT_FINISHED"));
        List<String> prompts = new ArrayList<>();
        for (int i = 0; i < PROMPTS; i++) {
            prompts.add(fixture.submit(MonitorFixture.quick(0x010101 * (i % 200) + i, "restart" + i)));
            if ((i + 1) % RESTART_EVERY == 0) {
                restartWhenCaughtUp(prompts);
            }
        }
        for (String id : prompts) {
            fixture.monitor.completion(fixture.serverId, id).toCompletableFuture().get(60, TimeUnit.SECONDS);
        }
        Eventually.until("every end delivered", () -> recorder.events().size() >= PROMPTS);

        int succeeded = 0;
        int lost = 0;
        for (String id : prompts) {
            List<PromptFinishedEvent> ends = recorder.finished(id);
            assertEquals(1, ends.size(), "exactly one end for " + id + ": " + ends);
            PromptExecution end = ends.get(0).execution();
            Optional<String> outcome = fixture.fake.outcome(id);
            assertTrue(fixture.fake.executions(id) <= 1, id + " ran " + fixture.fake.executions(id) + " times");
            if (end.state() == PromptState.SUCCEEDED) {
                succeeded++;
                assertEquals(Optional.of("success"), outcome, id + " reported succeeded");
                assertTrue(end.outputs().containsKey("2"), id + " has its SaveImage output: " + end.outputs());
            } else {
                assertEquals(PromptState.LOST, end.state(), id + ": " + end);
                assertEquals(Optional.empty(), outcome, id + " was completed by the server but reported lost; at the loss: "
                        + atLoss.get(id) + "; lost at " + end.finishedAt() + "; tracked at " + end.trackedAt()
                        + "; index " + prompts.indexOf(id));
                lost++;
            }
        }
        assertEquals(PROMPTS, succeeded + lost);
        // both paths must have been exercised, or the run proved little
        assertTrue(succeeded >= 20 && lost >= 20, succeeded + " succeeded, " + lost + " lost");
        // the last restart's reconnect may still be on its way
        Eventually.until("a reconnect per restart", () -> Osgi.service(MonitorStatistics.class)
                .statistics(fixture.serverId).orElseThrow().reconnects() >= PROMPTS / RESTART_EVERY);
        MonitorStats stats = Osgi.service(MonitorStatistics.class).statistics(fixture.serverId).orElseThrow();
        assertEquals(lost, stats.lostPrompts(), stats.toString());
    }
}
