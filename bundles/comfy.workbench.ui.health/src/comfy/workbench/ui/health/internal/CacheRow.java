package comfy.workbench.ui.health.internal;

import java.util.List;
import java.util.Objects;

import comfy.workbench.cache.api.CacheHealth;
import comfy.workbench.cache.api.CacheStats;
import comfy.workbench.manager.api.HealthStatus;

/**
 * One cache as the view shows it: its statistics and its own health with advice.
 *
 * @param stats  the cache's statistics
 * @param status its health
 * @param advice what to change, when it is not OK
 */
record CacheRow(CacheStats stats, HealthStatus status, List<String> advice) {

    CacheRow {
        Objects.requireNonNull(stats, "stats");
        Objects.requireNonNull(status, "status");
        advice = List.copyOf(advice);
    }

    static CacheRow of(CacheStats stats, List<CacheHealth> health) {
        return health.stream().filter(h -> h.name().equals(stats.name())).findFirst()
                .map(h -> new CacheRow(stats, HealthStatus.valueOf(h.status().name()), h.advice()))
                .orElseGet(() -> new CacheRow(stats, HealthStatus.OK, List.of()));
    }

    String name() {
        return stats.name();
    }
}
