package comfy.workbench.monitor.api;

import java.time.Instant;
import java.util.Objects;

/**
 * {@code executing}: a node started running; with {@code node == null} the prompt is done (sent after
 * {@code execution_success}/{@code _error}/{@code _interrupted}). Right after a reconnect the server replays the
 * running node of this client's prompt in a short form that has no prompt id.
 *
 * @param serverId    the server
 * @param receivedAt  when it arrived
 * @param promptId    the prompt, or {@code null} in the reconnect replay form
 * @param node        the node that started, or {@code null} when the prompt is done
 * @param displayNode the node to show as running (differs for nodes expanded from a subgraph), may be null
 */
public record ExecutingEvent(String serverId, Instant receivedAt, String promptId, String node, String displayNode)
        implements MonitorEvent {

    public ExecutingEvent {
        Objects.requireNonNull(serverId, "serverId");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }

    @Override
    public EventType type() {
        return EventType.EXECUTING;
    }

    /** Whether this is the end-of-prompt form ({@code node: null} with a prompt id). */
    public boolean promptDone() {
        return node == null && promptId != null;
    }

    /** Whether this is the reconnect replay form (a node but no prompt id). */
    public boolean replay() {
        return promptId == null && node != null;
    }
}
