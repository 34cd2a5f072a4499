package comfy.workbench.monitor.api;

import java.time.Instant;
import java.util.Objects;

/**
 * {@code execution_start}: the server started running the prompt.
 *
 * @param serverId        the server
 * @param receivedAt      when it arrived
 * @param promptId        the prompt
 * @param serverTimestamp the server's clock in epoch milliseconds, 0 when it sent none
 */
public record ExecutionStartEvent(String serverId, Instant receivedAt, String promptId, long serverTimestamp)
        implements MonitorEvent {

    public ExecutionStartEvent {
        Objects.requireNonNull(serverId, "serverId");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(promptId, "promptId");
    }

    @Override
    public EventType type() {
        return EventType.EXECUTION_START;
    }
}
