package comfy.workbench.manager.api;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The aggregated health of the platform: the worst status of its checks and, for each check that is not OK, a reason.
 *
 * @param status  the worst status of all checks (OK when there are none)
 * @param reasons {@code "<check>: <message>"} for each check that is not OK, worst first
 * @param checks  every check's latest result, by name
 * @param at      when this report was made
 */
public record HealthReport(HealthStatus status, List<String> reasons, List<CheckResult> checks, Instant at) {

    public HealthReport {
        Objects.requireNonNull(status, "status");
        reasons = List.copyOf(reasons);
        checks = List.copyOf(checks);
        Objects.requireNonNull(at, "at");
    }
}
