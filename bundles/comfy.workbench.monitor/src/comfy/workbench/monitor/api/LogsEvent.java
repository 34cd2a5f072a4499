package comfy.workbench.monitor.api;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * {@code logs}: server log lines, sent after a client subscribed to them.
 *
 * @param serverId   the server
 * @param receivedAt when it arrived
 * @param entries    the lines
 */
public record LogsEvent(String serverId, Instant receivedAt, List<LogsEvent.Entry> entries) implements MonitorEvent {

    /**
     * One log line.
     *
     * @param time    the server's time stamp, as it wrote it
     * @param message the text
     */
    public record Entry(String time, String message) {
    }

    public LogsEvent {
        Objects.requireNonNull(serverId, "serverId");
        Objects.requireNonNull(receivedAt, "receivedAt");
        entries = List.copyOf(entries);
    }

    @Override
    public EventType type() {
        return EventType.LOGS;
    }

    @Override
    public String promptId() {
        return null;
    }
}
