package comfy.workbench.connection.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of one health probe of a server.
 *
 * @param serverId     the server
 * @param state        its state
 * @param reason       why, in words ({@code "ok"} when UP); for DOWN the failure's message
 * @param failure      the failure's kind when DOWN or DEGRADED because of an error
 * @param latency      round trip of {@code /system_stats}, empty when it did not answer
 * @param checkedAt    when the probe finished
 * @param capabilities what the probe found out, when the server answered
 */
public record ServerHealth(String serverId, HealthState state, String reason,
        Optional<ComfyException.Kind> failure, Optional<Duration> latency, Instant checkedAt,
        Optional<ServerCapabilities> capabilities) {

    public ServerHealth {
        Objects.requireNonNull(serverId, "serverId");
        Objects.requireNonNull(state, "state");
        reason = reason == null ? "" : reason;
        Objects.requireNonNull(failure, "failure");
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(checkedAt, "checkedAt");
        Objects.requireNonNull(capabilities, "capabilities");
    }

    /** The health of a server not probed yet. */
    public static ServerHealth unknown(String serverId) {
        return new ServerHealth(serverId, HealthState.UNKNOWN, "not checked yet", Optional.empty(),
                Optional.empty(), Instant.EPOCH, Optional.empty());
    }
}
