package comfy.workbench.monitor.api;

import java.time.Instant;
import java.util.Objects;

import com.google.gson.JsonObject;

/**
 * {@code executed}: a node with UI output finished. Only such nodes send it, and not when they came from the
 * server's cache; the server's history has every output.
 *
 * @param serverId    the server
 * @param receivedAt  when it arrived
 * @param promptId    the prompt
 * @param node        the node
 * @param displayNode the node to show it on, may be null
 * @param output      the node's UI output as the server sent it ({@code images}, {@code gifs}, {@code video},
 *                    {@code audio}, {@code text}, {@code animated}, {@code latents}, ...; a copy)
 */
public record ExecutedEvent(String serverId, Instant receivedAt, String promptId, String node, String displayNode,
        JsonObject output) implements MonitorEvent {

    public ExecutedEvent {
        Objects.requireNonNull(serverId, "serverId");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(node, "node");
        output = output == null ? new JsonObject() : output.deepCopy();
    }

    @Override
    public JsonObject output() {
        return output.deepCopy();
    }

    @Override
    public EventType type() {
        return EventType.EXECUTED;
    }
}
