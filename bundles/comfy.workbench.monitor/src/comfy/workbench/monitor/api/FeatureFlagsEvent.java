package comfy.workbench.monitor.api;

import java.time.Instant;
import java.util.Objects;

import comfy.workbench.connection.api.FeatureFlags;

/**
 * {@code feature_flags}: the server's answer to the monitor's handshake.
 *
 * @param serverId   the server
 * @param receivedAt when it arrived
 * @param flags      the server's flags
 */
public record FeatureFlagsEvent(String serverId, Instant receivedAt, FeatureFlags flags) implements MonitorEvent {

    public FeatureFlagsEvent {
        Objects.requireNonNull(serverId, "serverId");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(flags, "flags");
    }

    @Override
    public EventType type() {
        return EventType.FEATURE_FLAGS;
    }

    @Override
    public String promptId() {
        return null;
    }
}
