package comfy.workbench.monitor.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

import comfy.workbench.monitor.api.ConnectionEvent;
import comfy.workbench.monitor.api.ConnectionState;
import comfy.workbench.monitor.api.EventType;
import comfy.workbench.monitor.api.ExecutedEvent;
import comfy.workbench.monitor.api.ExecutingEvent;
import comfy.workbench.monitor.api.ExecutionListener;
import comfy.workbench.monitor.api.FeatureFlagsEvent;
import comfy.workbench.monitor.api.MonitorStatistics;
import comfy.workbench.monitor.api.MonitorStats;
import comfy.workbench.monitor.api.MonitorTopics;
import comfy.workbench.monitor.api.PromptExecution;
import comfy.workbench.monitor.api.PromptFinishedEvent;
import comfy.workbench.monitor.api.PromptState;
import comfy.workbench.testing.fake.FakeComfyServer;
import comfy.workbench.testing.fake.Stall;
import comfy.workbench.testing.osgi.Eventually;
import comfy.workbench.testing.osgi.Osgi;

/** The monitor service against the fake ComfyUI server: events, tracking, listeners, reconciliation. */
final class MonitorServiceTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path data;
    private static MonitorFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = MonitorFixture.start(data, FakeComfyServer.builder(), Map.of());
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static PromptExecution finish(String promptId) throws Exception {
        return fixture.monitor.completion(fixture.serverId, promptId).toCompletableFuture()
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void connectsWithTheHandshakeAndAClientIdThatSurvivesARestart() throws Exception {
        String clientId = fixture.clientId();
        assertTrue(fixture.fake.isConnected(clientId));
        Recorder recorder = fixture.listen(new Recorder(), Map.of(ExecutionListener.SERVERS, fixture.serverId));
        Osgi.restart(MonitorFixture.MONITOR);
        fixture = fixtureAfterRestart();
        assertEquals(clientId, fixture.clientId(), "the client id is the installation's, not the session's");
        assertTrue(Files.readString(data.resolve("monitor/client-ids.properties")).contains(clientId));
        // the handshake was the first message: the server answered it (only a first message is answered)
        FeatureFlagsEvent flags = recorder.await("feature flags", FeatureFlagsEvent.class, e -> true);
        assertTrue(flags.flags().supportsPreviewMetadata(), flags.toString());
        assertEquals(flags.flags(), fixture.monitor.featureFlags(fixture.serverId).orElseThrow());
        ConnectionEvent connected = recorder.await("connected", ConnectionEvent.class,
                e -> e.state() == ConnectionState.CONNECTED);
        assertEquals(clientId, connected.clientId());
        MonitorStats stats = Osgi.service(MonitorStatistics.class).statistics(fixture.serverId).orElseThrow();
        assertEquals(ConnectionState.CONNECTED, stats.state());
        assertTrue(stats.connects() >= 1 && stats.textFrames() >= 2, stats.toString());
        // the next tests send prompts: the new socket's greeting has come (nothing ran since the restart)
        recorder.await("the new socket's greeting", comfy.workbench.monitor.api.StatusEvent.class, e -> true);
    }

    /** The monitor component was restarted: a fresh service object, the same configuration and server. */
    private static MonitorFixture fixtureAfterRestart() throws Exception {
        MonitorFixture same = fixture;
        Eventually.until("monitor connected again", () -> Osgi.service(comfy.workbench.monitor.api.ExecutionMonitor.class)
                .connectionState(same.serverId) == ConnectionState.CONNECTED);
        return same.reattached();
    }

    @Test
    void aPromptsEventsArriveInOrderAndItEndsExactlyOnce() throws Exception {
        Recorder recorder = new Recorder();
        List<Event> posted = new java.util.concurrent.CopyOnWriteArrayList<>();
        Dictionary<String, Object> topics = new Hashtable<>(Map.of(EventConstants.EVENT_TOPIC, EventType.PROMPT_FINISHED.topic()));
        ServiceRegistration<EventHandler> handler = Osgi.context().registerService(EventHandler.class, posted::add, topics);
        try {
            String promptId = java.util.UUID.randomUUID().toString();
            fixture.listen(recorder, Map.of(ExecutionListener.PROMPTS, promptId));
            // sent after the socket's greeting: its end comes on the socket, not from the history (a prompt tracked
            // without its time of sending, moments after a greeting, would also be looked up, and could end from there)
            Instant sent = Instant.now();
            fixture.client.submit(comfy.workbench.connection.api.PromptRequest.of(MonitorFixture.quick(0x123456, "order"))
                    .withPromptId(promptId).withClientId(fixture.clientId()));
            fixture.monitor.track(fixture.serverId, promptId, List.of("1", "2"), sent);
            PromptExecution done = finish(promptId);
            assertEquals(PromptState.SUCCEEDED, done.state());
            assertFalse(done.reconciled());
            assertEquals(1.0, done.overallProgress());
            assertTrue(done.outputs().get("2").getAsJsonArray("images").size() == 1, done.outputs().toString());

            Eventually.until("the prompt's end delivered", () -> !recorder.finished(promptId).isEmpty());
            List<EventType> types = recorder.types(promptId);
            assertEquals(EventType.EXECUTION_START, types.get(0), types.toString());
            assertTrue(types.indexOf(EventType.EXECUTED) < types.indexOf(EventType.EXECUTION_SUCCESS), types.toString());
            // the end is reported right after execution_success; the server's executing{node: null} follows it
            assertEquals(EventType.PROMPT_FINISHED, types.get(types.indexOf(EventType.EXECUTION_SUCCESS) + 1), types.toString());
            Eventually.until("executing{node: null}", () -> recorder.events(promptId).stream()
                    .anyMatch(e -> e instanceof ExecutingEvent x && x.promptDone()));
            ExecutingEvent last = (ExecutingEvent) recorder.events(promptId).get(recorder.events(promptId).size() - 1);
            assertTrue(last.promptDone(), "executing{node: null} is the prompt's last message: " + recorder.types(promptId));
            assertEquals(1, recorder.finished(promptId).size());
            ExecutedEvent executed = (ExecutedEvent) recorder.events(promptId).get(types.indexOf(EventType.EXECUTED));
            assertEquals("2", executed.node());

            Eventually.until("posted to Event Admin", () -> posted.stream()
                    .anyMatch(e -> promptId.equals(e.getProperty(MonitorTopics.PROMPT_ID))));
            Event event = posted.stream().filter(e -> promptId.equals(e.getProperty(MonitorTopics.PROMPT_ID))).findFirst().orElseThrow();
            assertEquals(fixture.serverId, event.getProperty(MonitorTopics.SERVER_ID));
            assertTrue(event.getProperty(MonitorTopics.EVENT) instanceof PromptFinishedEvent);
        } finally {
            handler.unregister();
        }
    }

    @Test
    void aNodeErrorAndAnInterruptEndTheirPrompts() throws Exception {
        fixture.fake.failNodeClass("ImageInvert", "RuntimeError", "scripted failure");
        try {
            String failing = fixture.submit(comfy.workbench.model.api.PromptGraph.parse(
                    "{\"1\":{\"class_type\":\"EmptyImage\",\"inputs\":{\"width\":8,\"height\":8,\"batch_size\":1,\"color\":77}},"
                            + "\"2\":{\"class_type\":\"ImageInvert\",\"inputs\":{\"image\":[\"1\",0]}},"
                            + "\"3\":{\"class_type\":\"SaveImage\",\"inputs\":{\"images\":[\"2\",0],\"filename_prefix\":\"fail\"}}}",
                    "failing"));
            PromptExecution failed = finish(failing);
            assertEquals(PromptState.FAILED, failed.state());
            assertEquals("RuntimeError", failed.failure().exceptionType());
            assertEquals("2", failed.failure().nodeId());
            assertTrue(failed.failure().describe().contains("scripted failure"), failed.failure().describe());
        } finally {
            fixture.fake.clearNodeFailure("ImageInvert");
        }

        try (Stall hold = fixture.fake.holdNode("2")) {
            String interrupted = fixture.submit(MonitorFixture.slow(0x654321));
            Eventually.until("running", () -> fixture.monitor.execution(fixture.serverId, interrupted)
                    .map(e -> e.state() == PromptState.RUNNING && "2".equals(e.currentNode())).orElse(false));
            fixture.client.interrupt(interrupted);
            hold.close();
            PromptExecution stopped = finish(interrupted);
            assertEquals(PromptState.INTERRUPTED, stopped.state());
            // the server notices an interrupt between nodes: the held node finishes, the next one reports it
            assertEquals("3", stopped.failure().nodeId(), stopped.failure().toString());
            assertTrue(stopped.failure().executed().contains("1"), stopped.failure().toString());
        }
    }

    @Test
    void aCompletionMissedWhileTheSocketWasDownArrivesThroughReconciliation() throws Exception {
        Recorder recorder;
        String promptId;
        try (Stall hold = fixture.fake.holdNode("2")) {
            promptId = fixture.submit(MonitorFixture.slow(0x0F0F0F));
            recorder = fixture.listen(new Recorder(), Map.of(ExecutionListener.PROMPTS, promptId));
            Eventually.until("running", () -> fixture.monitor.execution(fixture.serverId, promptId)
                    .map(e -> e.state() == PromptState.RUNNING).orElse(false));
            try (Stall upgrades = fixture.fake.stall("GET /ws")) {
                fixture.fake.dropWebSockets();
                Eventually.until("socket down", () -> fixture.monitor.connectionState(fixture.serverId) != ConnectionState.CONNECTED);
                hold.close();
                // the server finishes the prompt while no socket is open: its events are lost for good
                Eventually.value("history of " + promptId, () -> fixture.client.history(promptId));
            }
        }
        PromptExecution done = finish(promptId);
        assertEquals(PromptState.SUCCEEDED, done.state());
        assertTrue(done.reconciled(), "the end came from the history");
        assertTrue(done.outputs().containsKey("3"), done.outputs().toString());
        Eventually.until("end delivered", () -> !recorder.finished(promptId).isEmpty());
        assertEquals(1, recorder.finished(promptId).size());
        // the HTTP side answers while the socket cannot reconnect: the history serves the end, socket or not
        MonitorStats stats = Osgi.service(MonitorStatistics.class).statistics(fixture.serverId).orElseThrow();
        assertTrue(stats.reconciledPrompts() >= 1, stats.toString());
        fixture.awaitConnected();
        assertTrue(Osgi.service(MonitorStatistics.class).statistics(fixture.serverId).orElseThrow().reconnects() >= 1);
        assertEquals(1, recorder.finished(promptId).size(), "the reconnect's own reconciliation ends nothing twice");
    }

    @Test
    void aPromptSentAfterTheGreetingIsAwaitedAndOneSentBeforeIsLookedUp() throws Exception {
        Recorder greetings = fixture.listen(new Recorder(), Map.of(ExecutionListener.SERVERS, fixture.serverId,
                ExecutionListener.TYPES, new String[] { "STATUS" }));
        fixture.monitor.reconnect(fixture.serverId);
        greetings.await("the new socket's greeting", comfy.workbench.monitor.api.StatusEvent.class, e -> true);
        // greeted moments ago: without the time of sending, every prompt tracked now would be looked up
        Instant sentNow = Instant.now();
        int queueReads = fixture.fake.requests("GET /queue");
        String awaited = java.util.UUID.randomUUID().toString();
        fixture.client.submit(comfy.workbench.connection.api.PromptRequest.of(MonitorFixture.quick(0x0A0A0A, "sent-after"))
                .withPromptId(awaited).withClientId(fixture.clientId()));
        fixture.monitor.track(fixture.serverId, awaited, List.of("1", "2"), sentNow);
        assertFalse(finish(awaited).reconciled());
        assertEquals(queueReads, fixture.fake.requests("GET /queue"), "its end came on the socket, nothing was looked up");

        // sent while no socket was registered for the client id: its events went nowhere
        Instant sentBefore = Instant.now();
        String unseen = java.util.UUID.randomUUID().toString();
        try (Stall upgrades = fixture.fake.stall("GET /ws")) {
            fixture.fake.dropWebSockets();
            Eventually.until("socket down", () -> !fixture.fake.isConnected(fixture.clientId()));
            fixture.client.submit(comfy.workbench.connection.api.PromptRequest.of(MonitorFixture.quick(0x0B0B0B, "sent-before"))
                    .withPromptId(unseen).withClientId(fixture.clientId()));
            Eventually.value("history of " + unseen, () -> fixture.client.history(unseen));
        }
        fixture.awaitConnected();
        fixture.monitor.track(fixture.serverId, unseen, List.of("1", "2"), sentBefore);
        PromptExecution done = finish(unseen);
        assertEquals(PromptState.SUCCEEDED, done.state());
        assertTrue(done.reconciled(), "sent before the greeting: its end was looked up in the history");
    }

    @Test
    void aThrowingAndABlockingListenerStallNeitherTheSocketNorOthers() throws Exception {
        Recorder beforeThrowing = new Recorder();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocked = new CountDownLatch(1);
        fixture.listen(event -> {
            beforeThrowing.onEvent(event);
            throw new IllegalStateException("a listener defect");
        }, Map.of(ExecutionListener.SERVERS, fixture.serverId));
        fixture.listen(event -> {
            blocked.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, Map.of(ExecutionListener.SERVERS, fixture.serverId));
        Recorder recorder = fixture.listen(new Recorder(), Map.of(ExecutionListener.SERVERS, fixture.serverId));
        try {
            String first = fixture.submit(MonitorFixture.quick(0x111111, "blocked1"));
            assertTrue(blocked.await(WAIT.toSeconds(), TimeUnit.SECONDS), "the blocking listener got an event");
            String second = fixture.submit(MonitorFixture.quick(0x222222, "blocked2"));
            assertEquals(PromptState.SUCCEEDED, finish(first).state());
            assertEquals(PromptState.SUCCEEDED, finish(second).state());
            Eventually.until("both ends delivered to the healthy listener",
                    () -> recorder.finished(first).size() == 1 && recorder.finished(second).size() == 1);
            // each listener has its own channel: the throwing one may lag behind the others, but it gets everything
            Eventually.until("the throwing listener kept being called",
                    () -> beforeThrowing.events(second).equals(recorder.events(second)));
            assertEquals(ConnectionState.CONNECTED, fixture.monitor.connectionState(fixture.serverId));
        } finally {
            release.countDown();
        }
    }

    @Test
    void listenersSeeOnlyWhatTheirPropertiesSelect() throws Exception {
        Recorder ends = fixture.listen(new Recorder(), Map.of(ExecutionListener.TYPES, new String[] { "PROMPT_FINISHED" }));
        Recorder otherServer = fixture.listen(new Recorder(), Map.of(ExecutionListener.SERVERS, "no-such-server"));
        String promptId = fixture.submit(MonitorFixture.quick(0x333333, "filtered"));
        finish(promptId);
        Eventually.until("end delivered", () -> ends.finished(promptId).size() == 1);
        assertTrue(ends.events().stream().allMatch(e -> e.type() == EventType.PROMPT_FINISHED), ends.events().toString());
        assertTrue(otherServer.events().isEmpty(), otherServer.events().toString());
        assertNotNull(fixture.monitor.execution(fixture.serverId, promptId).orElseThrow().finishedAt());
    }
}
