package comfy.workbench.monitor.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import comfy.workbench.monitor.api.ConnectionState;
import comfy.workbench.monitor.api.MonitorStatistics;
import comfy.workbench.monitor.api.PromptExecution;
import comfy.workbench.monitor.api.PromptState;
import comfy.workbench.testing.fake.FakeComfyServer;
import comfy.workbench.testing.fake.Stall;
import comfy.workbench.testing.osgi.Eventually;
import comfy.workbench.testing.osgi.Osgi;

/**
 * A server that answers, but whose history of a prompt cannot be read (a broken proxy, a plugin that breaks the
 * route): the socket is not the trouble, so it is not dropped again and again, and the prompt fails with that reason
 * after twice the reconcile interval instead of being awaited for ever.
 */
final class UnreadableHistoryTest {

    @TempDir
    Path data;
    private MonitorFixture fixture;

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.fake.clearFaults();
            fixture.close();
        }
    }

    @Test
    void aPromptWhoseHistoryCannotBeReadFailsWithThatReasonAndTheSocketStays() throws Exception {
        fixture = MonitorFixture.start(data, FakeComfyServer.builder(),
                Map.of("reconcileIntervalSeconds", 1L, "pingIntervalSeconds", 1L));
        String promptId;
        try (Stall hold = fixture.fake.holdNode("2")) {
            promptId = fixture.submit(MonitorFixture.slow(0x1E1E1E));
            Eventually.until("running", () -> fixture.monitor.execution(fixture.serverId, promptId)
                    .map(e -> e.state() == PromptState.RUNNING).orElse(false));
            fixture.fake.failWith500("GET /history/\\{id\\}");
            try (Stall upgrades = fixture.fake.stall("GET /ws")) {
                fixture.fake.dropWebSockets();
                Eventually.until("socket down", () -> fixture.monitor.connectionState(fixture.serverId)
                        != ConnectionState.CONNECTED);
                hold.close();
                // the server finishes the prompt while no socket is open; its history answers 500 from now on
                Eventually.until("the prompt ended on the server", () -> fixture.fake.outcome(promptId).isPresent());
            }
        }
        fixture.awaitConnected();
        long reconnects = Osgi.service(MonitorStatistics.class).statistics(fixture.serverId).orElseThrow().reconnects();

        PromptExecution done = fixture.monitor.completion(fixture.serverId, promptId).toCompletableFuture()
                .get(30, TimeUnit.SECONDS);

        assertEquals(PromptState.FAILED, done.state());
        assertTrue(done.reconciled(), done.toString());
        assertEquals("UnreadableHistory", done.failure().exceptionType(), done.failure().toString());
        assertTrue(done.failure().exceptionMessage().contains("HTTP_STATUS (HTTP 500)"), done.failure().toString());
        assertEquals(reconnects, Osgi.service(MonitorStatistics.class).statistics(fixture.serverId).orElseThrow()
                .reconnects(), "the socket was not dropped for the server's bad answers");
        assertEquals(ConnectionState.CONNECTED, fixture.monitor.connectionState(fixture.serverId));
    }
}
