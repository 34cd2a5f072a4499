package comfy.workbench.monitor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import comfy.workbench.monitor.api.ExecutionListener;
import comfy.workbench.monitor.api.MonitorEvent;
import comfy.workbench.monitor.api.MonitorStats;
import comfy.workbench.monitor.api.PreviewEvent;
import comfy.workbench.monitor.api.ProgressEvent;
import comfy.workbench.testing.osgi.Eventually;

/** Back-pressure and isolation of listener channels, without a socket. */
final class ListenerChannelTest {

    private final ServerStatistics statistics = new ServerStatistics("s", System::nanoTime);
    private ListenerDispatcher dispatcher = new ListenerDispatcher(100_000, 3);
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void close() {
        release.countDown();
        dispatcher.close();
    }

    private void send(MonitorEvent event) {
        dispatcher.dispatch(new Delivery(event, statistics, System.nanoTime()));
    }

    private static ProgressEvent progress(int value) {
        return progress("p", value);
    }

    private static ProgressEvent progress(String prompt, int value) {
        return new ProgressEvent("s", Instant.now(), prompt, "3", value, 1000);
    }

    private static PreviewEvent preview() {
        return new PreviewEvent("s", Instant.now(), "p", "3", "3", "image/jpeg", ByteBuffer.wrap(new byte[] { 1, 2, 3 }));
    }

    private ExecutionListener blocking(CountDownLatch entered) {
        return event -> {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    @Test
    void eventsArriveInOrderAndAThrowingListenerKeepsReceiving() throws Exception {
        List<MonitorEvent> seen = new CopyOnWriteArrayList<>();
        dispatcher.add(seen::add, Map.of());
        dispatcher.add(event -> {
            throw new IllegalStateException("defect");
        }, Map.of());
        for (int i = 0; i < 1000; i++) {
            send(progress(i));
        }
        Eventually.until("1000 events", () -> seen.size() == 1000);
        for (int i = 0; i < 1000; i++) {
            assertEquals(i, ((ProgressEvent) seen.get(i)).value());
        }
    }

    @Test
    void previewsBeyondTheBufferAreDroppedAndCountedOtherEventsNever() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        dispatcher.add(blocking(entered), Map.of());
        send(progress(0));
        assertTrue(entered.await(10, TimeUnit.SECONDS));
        for (int i = 0; i < 10; i++) {
            send(preview());
        }
        for (int i = 1; i <= 50; i++) {
            send(progress(i));
        }
        MonitorStats stats = statistics.snapshot();
        assertEquals(7, stats.droppedPreviews(), "3 previews fit the blocked listener's buffer, 7 were dropped");
        assertEquals(0, stats.evictedListeners(), "50 other events fit its buffer: nothing else is dropped");
    }

    @Test
    void aListenerStuckBeyondItsBufferIsEvictedAndTheOthersGoOn() throws Exception {
        dispatcher.close();
        dispatcher = new ListenerDispatcher(100, 3);
        CountDownLatch entered = new CountDownLatch(1);
        dispatcher.add(blocking(entered), Map.of());
        List<MonitorEvent> healthy = new CopyOnWriteArrayList<>();
        // another prompt's listener: the burst below is not its load, so only the stuck one can overflow
        dispatcher.add(healthy::add, Map.of(ExecutionListener.PROMPTS, "q"));
        send(progress(0));
        assertTrue(entered.await(10, TimeUnit.SECONDS));
        for (int i = 1; i <= 100; i++) {
            send(progress(i));
        }
        assertEquals(0, statistics.snapshot().evictedListeners(), "100 waiting events fit");
        send(progress(101));
        assertEquals(1, statistics.snapshot().evictedListeners(), "the 101st overflows the stuck listener");
        send(progress("q", 1));
        Eventually.until("the other listener still gets events", () -> healthy.size() == 1);
        assertEquals(1, statistics.snapshot().evictedListeners());
    }

    @Test
    void filtersSelectServersPromptsAndTypes() throws Exception {
        List<MonitorEvent> progressOnly = new CopyOnWriteArrayList<>();
        List<MonitorEvent> otherPrompt = new CopyOnWriteArrayList<>();
        List<MonitorEvent> all = new CopyOnWriteArrayList<>();
        dispatcher.add(progressOnly::add, Map.of(ExecutionListener.TYPES, new String[] { "PROGRESS" }));
        dispatcher.add(otherPrompt::add, Map.of(ExecutionListener.PROMPTS, "q"));
        dispatcher.add(all::add, Map.of(ExecutionListener.SERVERS, List.of("s", "t")));
        send(progress(1));
        send(preview());
        Eventually.until("delivered", () -> all.size() == 2 && progressOnly.size() == 1);
        assertEquals(0, otherPrompt.size());
    }
}
