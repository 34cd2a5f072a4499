package comfy.workbench.monitor.api;

import java.time.Instant;
import java.util.Objects;

/**
 * A tracked prompt reached its end. Sent exactly once per tracked prompt, whether the end came over the socket or
 * was found in the server's history after a gap ({@link PromptExecution#reconciled()}), or the server lost it.
 *
 * @param serverId   the server
 * @param receivedAt when the monitor learned of the end
 * @param execution  the final snapshot: state, outputs, failure
 */
public record PromptFinishedEvent(String serverId, Instant receivedAt, PromptExecution execution)
        implements MonitorEvent {

    public PromptFinishedEvent {
        Objects.requireNonNull(serverId, "serverId");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(execution, "execution");
        if (!execution.terminal()) {
            throw new IllegalArgumentException("not a terminal state: " + execution.state());
        }
    }

    @Override
    public String promptId() {
        return execution.promptId();
    }

    /** The terminal state. */
    public PromptState state() {
        return execution.state();
    }

    @Override
    public EventType type() {
        return EventType.PROMPT_FINISHED;
    }
}
