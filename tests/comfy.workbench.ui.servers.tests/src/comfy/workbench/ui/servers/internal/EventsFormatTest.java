package comfy.workbench.ui.servers.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import comfy.workbench.monitor.api.ConnectionState;
import comfy.workbench.monitor.api.EventType;
import comfy.workbench.monitor.api.MonitorStats;

/** What the Servers view says of a server's event stream, in its cell and in the cell's tooltip. */
class EventsFormatTest {

    @Test
    void theCellNamesTheSocketsStateAndWhileOpenTheRateOfTheLastMinute() {
        assertEquals("connected, 42/s", Formats.events(Optional.of(stats(ConnectionState.CONNECTED, 0, 0, null))));
        assertEquals("lost, retrying", Formats.events(Optional.of(stats(ConnectionState.DISCONNECTED, 0, 0, null))));
        assertEquals(Formats.NONE, Formats.events(Optional.empty()), "no monitor");
    }

    @Test
    void theTooltipTellsWhatWentWrongOnlyWhenSomethingDid() {
        String quiet = Formats.eventsDetail(stats(ConnectionState.CONNECTED, 0, 0, null));
        assertTrue(quiet.contains("sockets opened: 3, after a loss: 2"), quiet);
        assertTrue(quiet.contains("messages: 1,500 (1,400 text, 100 binary)"), quiet);
        assertFalse(quiet.contains("dropped") || quiet.contains("not understood") || quiet.contains("last error"), quiet);

        String troubled = Formats.eventsDetail(stats(ConnectionState.DISCONNECTED, 7, 2, "connection refused"));
        assertTrue(troubled.contains("previews dropped (a listener fell behind): 7"), troubled);
        assertTrue(troubled.contains("frames not understood: 2 truncated preview"), troubled);
        assertTrue(troubled.contains("last error: connection refused ("), troubled);
    }

    private static MonitorStats stats(ConnectionState state, long droppedPreviews, long badFrames, String error) {
        Instant now = Instant.now();
        return new MonitorStats("studio-a", state, now.minusSeconds(60), Duration.ofSeconds(60), 3, 2,
                Map.of(EventType.PROGRESS, 1_000L, EventType.PREVIEW, 100L, EventType.EXECUTING, 400L), 1_400, 100,
                5_000_000, 50, 42, 1e6, 2e5, 80_000, 900_000, droppedPreviews,
                badFrames == 0 ? Map.of() : Map.of("truncated preview", badFrames), 0, 0, 0, error,
                error == null ? null : now, now);
    }
}
