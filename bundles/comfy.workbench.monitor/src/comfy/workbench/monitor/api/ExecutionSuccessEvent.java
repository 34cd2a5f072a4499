package comfy.workbench.monitor.api;

import java.time.Instant;
import java.util.Objects;

/**
 * {@code execution_success}: the prompt ran to its end.
 *
 * @param serverId        the server
 * @param receivedAt      when it arrived
 * @param promptId        the prompt
 * @param serverTimestamp the server's clock in epoch milliseconds, 0 when it sent none
 */
public record ExecutionSuccessEvent(String serverId, Instant receivedAt, String promptId, long serverTimestamp)
        implements MonitorEvent {

    public ExecutionSuccessEvent {
        Objects.requireNonNull(serverId, "serverId");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(promptId, "promptId");
    }

    @Override
    public EventType type() {
        return EventType.EXECUTION_SUCCESS;
    }
}
