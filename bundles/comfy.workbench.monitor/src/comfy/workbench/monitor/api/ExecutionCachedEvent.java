package comfy.workbench.monitor.api;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * {@code execution_cached}: the nodes the server will not run because their outputs are in its cache. Cached
 * output nodes send no {@code executed}; their outputs are in the server's history.
 *
 * @param serverId        the server
 * @param receivedAt      when it arrived
 * @param promptId        the prompt
 * @param nodes           the cached node ids
 * @param serverTimestamp the server's clock in epoch milliseconds, 0 when it sent none
 */
public record ExecutionCachedEvent(String serverId, Instant receivedAt, String promptId, List<String> nodes,
        long serverTimestamp) implements MonitorEvent {

    public ExecutionCachedEvent {
        Objects.requireNonNull(serverId, "serverId");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(promptId, "promptId");
        nodes = List.copyOf(nodes);
    }

    @Override
    public EventType type() {
        return EventType.EXECUTION_CACHED;
    }
}
