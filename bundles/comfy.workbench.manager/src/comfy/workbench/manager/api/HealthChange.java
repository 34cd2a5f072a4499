package comfy.workbench.manager.api;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A change of the platform's aggregated health status.
 *
 * @param at       when it changed
 * @param previous the status before
 * @param status   the status now
 * @param reasons  why (the reasons of the report that changed it; empty when it became OK)
 */
public record HealthChange(Instant at, HealthStatus previous, HealthStatus status, List<String> reasons) {

    public HealthChange {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(previous, "previous");
        Objects.requireNonNull(status, "status");
        reasons = List.copyOf(reasons);
    }
}
