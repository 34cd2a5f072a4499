package comfy.workbench.manager.api;

import java.util.Objects;

/**
 * The outcome of one run of a {@link HealthCheck}.
 *
 * @param status  how healthy
 * @param message what was found, in words a user can act on (for a failure: what is wrong and, where known, what to do)
 */
public record HealthResult(HealthStatus status, String message) {

    public HealthResult {
        Objects.requireNonNull(status, "status");
        message = message == null ? "" : message;
    }

    public static HealthResult ok(String message) {
        return new HealthResult(HealthStatus.OK, message);
    }

    public static HealthResult warn(String message) {
        return new HealthResult(HealthStatus.WARN, message);
    }

    public static HealthResult critical(String message) {
        return new HealthResult(HealthStatus.CRITICAL, message);
    }
}
