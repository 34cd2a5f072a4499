package comfy.workbench.manager.api;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The latest result of one health check.
 *
 * @param name             the check's name
 * @param tags             its tags
 * @param result           its latest result
 * @param checkedAt        when that result came ({@link Instant#EPOCH} before the first run)
 * @param took             how long the run took
 * @param failingSince     since when it has not been OK, or null when OK
 * @param recoveryAttempts recoveries tried since it last was OK
 * @param lastRecovery     what the last recovery tried, or an empty string
 */
public record CheckResult(String name, List<String> tags, HealthResult result, Instant checkedAt, Duration took,
        Instant failingSince, int recoveryAttempts, String lastRecovery) {

    public CheckResult {
        Objects.requireNonNull(name, "name");
        tags = List.copyOf(tags);
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(checkedAt, "checkedAt");
        Objects.requireNonNull(took, "took");
        lastRecovery = lastRecovery == null ? "" : lastRecovery;
    }

    public HealthStatus status() {
        return result.status();
    }
}
