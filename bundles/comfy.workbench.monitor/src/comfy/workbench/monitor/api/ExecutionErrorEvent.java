package comfy.workbench.monitor.api;

import java.time.Instant;
import java.util.Objects;

/**
 * {@code execution_error}: a node raised an exception and the prompt stopped.
 *
 * @param serverId        the server
 * @param receivedAt      when it arrived
 * @param promptId        the prompt
 * @param failure         the failing node and exception
 * @param serverTimestamp the server's clock in epoch milliseconds, 0 when it sent none
 */
public record ExecutionErrorEvent(String serverId, Instant receivedAt, String promptId, ExecutionFailure failure,
        long serverTimestamp) implements MonitorEvent {

    public ExecutionErrorEvent {
        Objects.requireNonNull(serverId, "serverId");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(promptId, "promptId");
        Objects.requireNonNull(failure, "failure");
    }

    @Override
    public EventType type() {
        return EventType.EXECUTION_ERROR;
    }
}
