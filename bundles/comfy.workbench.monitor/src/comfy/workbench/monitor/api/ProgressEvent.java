package comfy.workbench.monitor.api;

import java.time.Instant;
import java.util.Objects;

/**
 * {@code progress}: step progress of the running node (sampler steps and the like).
 *
 * @param serverId   the server
 * @param receivedAt when it arrived
 * @param promptId   the prompt, or {@code null} when the server did not say
 * @param node       the node, or {@code null} when the server did not say
 * @param value      the current step
 * @param max        the number of steps
 */
public record ProgressEvent(String serverId, Instant receivedAt, String promptId, String node, double value,
        double max) implements MonitorEvent {

    public ProgressEvent {
        Objects.requireNonNull(serverId, "serverId");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }

    @Override
    public EventType type() {
        return EventType.PROGRESS;
    }

    /** {@code value / max} in [0, 1]; 0 when {@code max} is not positive. */
    public double fraction() {
        return NodeProgress.fraction(value, max);
    }
}
