package comfy.workbench.monitor.api;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Objects;

/**
 * A message this version does not decode (a custom node's type such as {@code crystools.monitor}, a newer
 * message, a binary event type it does not know), passed through as it came rather than dropped.
 *
 * @param serverId   the server
 * @param receivedAt when it arrived
 * @param name       the message's {@code type}, or {@code binary:<n>} for binary event type n
 * @param json       the whole text message, or {@code null} for a binary one
 * @param binary     the binary frame's payload after its type word (read-only), or {@code null} for a text one
 */
public record UnknownEvent(String serverId, Instant receivedAt, String name, String json, ByteBuffer binary)
        implements MonitorEvent {

    public UnknownEvent {
        Objects.requireNonNull(serverId, "serverId");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(name, "name");
        binary = binary == null ? null : binary.slice().asReadOnlyBuffer();
    }

    @Override
    public ByteBuffer binary() {
        return binary == null ? null : binary.duplicate();
    }

    @Override
    public EventType type() {
        return EventType.UNKNOWN;
    }

    @Override
    public String promptId() {
        return null;
    }
}
