package comfy.workbench.monitor.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The monitor's WebSocket to a server changed state.
 *
 * @param serverId   the server
 * @param receivedAt when it changed
 * @param state      the new state
 * @param clientId   the client id the monitor connects with (the same across reconnects and restarts)
 * @param detail     why (the error of a failed attempt or lost socket), may be null
 * @param retryIn    for {@link ConnectionState#DISCONNECTED}: when the next attempt is due, else null
 */
public record ConnectionEvent(String serverId, Instant receivedAt, ConnectionState state, String clientId,
        String detail, Duration retryIn) implements MonitorEvent {

    public ConnectionEvent {
        Objects.requireNonNull(serverId, "serverId");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(clientId, "clientId");
    }

    @Override
    public EventType type() {
        return EventType.CONNECTION;
    }

    @Override
    public String promptId() {
        return null;
    }
}
