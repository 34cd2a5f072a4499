package comfy.workbench.monitor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.google.gson.JsonObject;

import comfy.workbench.model.api.PromptGraph;
import comfy.workbench.monitor.api.ExecutingEvent;
import comfy.workbench.monitor.api.ExecutionCachedEvent;
import comfy.workbench.monitor.api.ExecutionStartEvent;
import comfy.workbench.monitor.api.ExecutionSuccessEvent;
import comfy.workbench.monitor.api.PromptExecution;
import comfy.workbench.monitor.api.PromptFinishedEvent;
import comfy.workbench.monitor.api.PromptState;
import comfy.workbench.monitor.api.ProgressEvent;

/** The tracker's state machine and its exactly-once end, without a socket. */
final class PromptTrackerTest {

    private final PromptTracker tracker = new PromptTracker("s", Runnable::run, 2);
    private final Instant now = Instant.now();

    @Test
    void describesWhereAPromptStandsForPeopleNamingTheNodeByTitleElseClass() {
        PromptGraph graph = PromptGraph.parse("{\"1\":{\"class_type\":\"CheckpointLoaderSimple\",\"inputs\":{}},"
                + "\"2\":{\"class_type\":\"KSampler\",\"inputs\":{}},\"3\":{\"class_type\":\"VAEDecode\",\"inputs\":{},"
                + "\"_meta\":{\"title\":\"Decode it\"}},\"4\":{\"class_type\":\"SaveImage\",\"inputs\":{}}}", "g");
        tracker.track("p", graph.ids(), now);
        assertEquals("queued on the server", tracker.snapshot("p").orElseThrow().describe(graph));
        tracker.apply(new ExecutionStartEvent("s", now, "p", 1));
        tracker.apply(new ExecutionCachedEvent("s", now, "p", List.of("1"), 1));
        tracker.apply(new ExecutingEvent("s", now, "p", "2", "2"));
        tracker.apply(new ProgressEvent("s", now, "p", "2", 12, 20));
        assertEquals("40 % \u00b7 KSampler 12/20", tracker.snapshot("p").orElseThrow().describe(graph));
        tracker.apply(new ExecutingEvent("s", now, "p", "3", "3"));
        assertEquals("50 % \u00b7 Decode it", tracker.snapshot("p").orElseThrow().describe(graph));
        tracker.apply(new ExecutionSuccessEvent("s", now, "p", 2));
        assertEquals("", tracker.snapshot("p").orElseThrow().describe(graph), "nothing to say once it ended");
    }

    @Test
    void aPromptWhoseEventsCameBeforeItWasTrackedIsMeasuredAgainstTheGraphGiven() {
        PromptGraph graph = PromptGraph.parse("{\"1\":{\"class_type\":\"A\",\"inputs\":{}},\"2\":{\"class_type\":"
                + "\"B\",\"inputs\":{}},\"3\":{\"class_type\":\"C\",\"inputs\":{}}}", "g");
        tracker.track("q", List.of(), now); // the monitor was not told the nodes
        tracker.apply(new ExecutionStartEvent("s", now, "q", 1));
        tracker.apply(new ExecutionCachedEvent("s", now, "q", List.of("1"), 1));
        tracker.apply(new ExecutingEvent("s", now, "q", "2", "2"));
        assertEquals(0.5, tracker.snapshot("q").orElseThrow().overallProgress(), 1e-9, "of the nodes it heard of");
        assertEquals("33 % \u00b7 B", tracker.snapshot("q").orElseThrow().describe(graph));
        tracker.apply(new ExecutingEvent("s", now, "q", "9", "9"));
        assertTrue(tracker.snapshot("q").orElseThrow().describe(graph).endsWith(" \u00b7 node 9"));
    }

    @Test
    void progressAcrossTheGraphAndOneEnd() throws Exception {
        tracker.track("p", List.of("1", "2", "3", "4"), now);
        assertNull(tracker.apply(new ExecutionStartEvent("s", now, "p", 1)));
        assertNull(tracker.apply(new ExecutionCachedEvent("s", now, "p", List.of("1"), 1)));
        assertNull(tracker.apply(new ExecutingEvent("s", now, "p", "2", "2")));
        assertNull(tracker.apply(new ProgressEvent("s", now, "p", "2", 5, 10)));
        PromptExecution running = tracker.snapshot("p").orElseThrow();
        assertEquals(PromptState.RUNNING, running.state());
        assertEquals("2", running.currentNode());
        assertEquals((1 + 0.5) / 4, running.overallProgress(), 1e-9);
        assertNull(tracker.apply(new ExecutingEvent("s", now, "p", "3", "3")));
        assertEquals(2.0 / 4, tracker.snapshot("p").orElseThrow().overallProgress(), 1e-9);

        PromptFinishedEvent end = tracker.apply(new ExecutionSuccessEvent("s", now, "p", 2));
        assertNotNull(end);
        assertEquals(PromptState.SUCCEEDED, end.state());
        assertNull(tracker.apply(new ExecutingEvent("s", now, "p", null, null)), "executing{null} after the end adds none");
        assertNull(tracker.reconcile("p", PromptState.LOST, Map.of(), null, now), "nor does a late reconciliation");
        assertTrue(tracker.completion("p").toCompletableFuture().isDone());
    }

    @Test
    void executingNullAloneEndsThePrompt() {
        tracker.track("p", List.of(), now);
        tracker.apply(new ExecutionStartEvent("s", now, "p", 1));
        tracker.apply(new ExecutingEvent("s", now, "p", "1", "1"));
        PromptFinishedEvent end = tracker.apply(new ExecutingEvent("s", now, "p", null, null));
        assertEquals(PromptState.SUCCEEDED, end.state());
    }

    @Test
    void aSuccessSeenWithoutItsStartWaitsForTheHistorysOutputs() {
        tracker.track("p", List.of("1", "2"), now);
        // the socket joined late: execution_start and executed went nowhere
        assertNull(tracker.apply(new ExecutionSuccessEvent("s", now, "p", 2)));
        assertTrue(tracker.takeIncompleteEnds(), "the session is told to reconcile");
        assertTrue(!tracker.takeIncompleteEnds(), "once");
        JsonObject output = new JsonObject();
        output.addProperty("marker", 1);
        PromptFinishedEvent end = tracker.reconcile("p", PromptState.SUCCEEDED, Map.of("2", output), null, now);
        assertEquals(PromptState.SUCCEEDED, end.state());
        assertTrue(end.execution().reconciled());
        assertEquals(output, end.execution().outputs().get("2"));
    }

    @Test
    void promptsStartedWithOurClientIdAreFollowedUntrackedOnesIgnored() {
        assertNull(tracker.apply(new ProgressEvent("s", now, "x", "1", 1, 2)));
        assertTrue(tracker.snapshot("x").isEmpty(), "progress of a prompt nobody tracks is not followed");
        tracker.apply(new ExecutionStartEvent("s", now, "y", 1));
        assertEquals(PromptState.RUNNING, tracker.snapshot("y").orElseThrow().state());
    }

    @Test
    void reconciliationRacingTheSocketEndsAPromptOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 500; round++) {
                String id = "p" + round;
                tracker.track(id, List.of(), now);
                tracker.apply(new ExecutionStartEvent("s", now, id, 1));
                CountDownLatch go = new CountDownLatch(1);
                Future<PromptFinishedEvent> socket = pool.submit(() -> {
                    go.await();
                    return tracker.apply(new ExecutionSuccessEvent("s", now, id, 1));
                });
                Future<PromptFinishedEvent> history = pool.submit(() -> {
                    go.await();
                    JsonObject out = new JsonObject();
                    return tracker.reconcile(id, PromptState.SUCCEEDED, Map.of("2", out), null, now);
                });
                go.countDown();
                int ends = (socket.get(10, TimeUnit.SECONDS) == null ? 0 : 1) + (history.get(10, TimeUnit.SECONDS) == null ? 0 : 1);
                assertEquals(1, ends, "round " + round);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void socketEventsArrivingAfterTheHistoryEndedThePromptEndNothingAgain() {
        tracker.track("p", List.of(), now);
        assertNotNull(tracker.reconcile("p", PromptState.SUCCEEDED, Map.of(), null, now));
        // the socket was slower than the HTTP round trips: its messages of the same run arrive now
        assertNull(tracker.apply(new ExecutionStartEvent("s", now, "p", 1)));
        assertNull(tracker.apply(new ExecutionSuccessEvent("s", now, "p", 1)));
        assertNull(tracker.apply(new ExecutingEvent("s", now, "p", null, null)));
        assertTrue(tracker.snapshot("p").orElseThrow().reconciled());
    }

    @Test
    void finishedPromptsAreForgottenBeyondTheRetention() {
        for (String id : List.of("a", "b", "c")) {
            tracker.track(id, List.of(), now);
            tracker.apply(new ExecutionStartEvent("s", now, id, 1));
            tracker.apply(new ExecutionSuccessEvent("s", now, id, 1));
        }
        assertTrue(tracker.snapshot("a").isEmpty(), "retention 2 keeps the last two");
        assertTrue(tracker.snapshot("c").isPresent());
        assertTrue(tracker.unfinishedIds().isEmpty());
    }
}
