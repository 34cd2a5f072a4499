package comfy.workbench.monitor.api;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * {@code progress_state}: the state of every node of the prompt that has started (pending nodes are omitted).
 *
 * @param serverId   the server
 * @param receivedAt when it arrived
 * @param promptId   the prompt
 * @param nodes      node id → progress
 */
public record ProgressStateEvent(String serverId, Instant receivedAt, String promptId, Map<String, NodeProgress> nodes)
        implements MonitorEvent {

    public ProgressStateEvent {
        Objects.requireNonNull(serverId, "serverId");
        Objects.requireNonNull(receivedAt, "receivedAt");
        nodes = Map.copyOf(nodes);
    }

    @Override
    public EventType type() {
        return EventType.PROGRESS_STATE;
    }
}
