package comfy.workbench.monitor.api;

import java.time.Instant;
import java.util.Objects;

/**
 * {@code execution_interrupted}: the prompt was interrupted (by this or another client).
 *
 * @param serverId        the server
 * @param receivedAt      when it arrived
 * @param promptId        the prompt
 * @param failure         the node that was running and the nodes that had finished
 * @param serverTimestamp the server's clock in epoch milliseconds, 0 when it sent none
 */
public record ExecutionInterruptedEvent(String serverId, Instant receivedAt, String promptId, ExecutionFailure failure,
        long serverTimestamp) implements MonitorEvent {

    public ExecutionInterruptedEvent {
        Objects.requireNonNull(serverId, "serverId");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(promptId, "promptId");
        Objects.requireNonNull(failure, "failure");
    }

    @Override
    public EventType type() {
        return EventType.EXECUTION_INTERRUPTED;
    }
}
