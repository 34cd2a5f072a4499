package comfy.workbench.monitor.api;

import java.time.Instant;
import java.util.Objects;

/**
 * {@code status}: sent on connect and on every queue change, to every client.
 *
 * @param serverId       the server
 * @param receivedAt     when it arrived
 * @param queueRemaining prompts running or pending on the server
 * @param sessionId      the {@code sid} the server assigned (only in the first status after connecting), or null
 */
public record StatusEvent(String serverId, Instant receivedAt, int queueRemaining, String sessionId)
        implements MonitorEvent {

    public StatusEvent {
        Objects.requireNonNull(serverId, "serverId");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }

    @Override
    public EventType type() {
        return EventType.STATUS;
    }

    @Override
    public String promptId() {
        return null;
    }
}
