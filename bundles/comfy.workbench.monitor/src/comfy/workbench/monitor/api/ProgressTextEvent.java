package comfy.workbench.monitor.api;

import java.time.Instant;
import java.util.Objects;

/**
 * Binary frame 3: a text a node reports while it runs ({@code progress_text}).
 *
 * @param serverId   the server
 * @param receivedAt when it arrived
 * @param promptId   the prompt, when the server sent the prompt-id form, else null
 * @param nodeId     the node
 * @param text       the text
 */
public record ProgressTextEvent(String serverId, Instant receivedAt, String promptId, String nodeId, String text)
        implements MonitorEvent {

    public ProgressTextEvent {
        Objects.requireNonNull(serverId, "serverId");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(text, "text");
    }

    @Override
    public EventType type() {
        return EventType.PROGRESS_TEXT;
    }
}
