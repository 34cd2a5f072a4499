package comfy.workbench.ui.health.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

import comfy.workbench.cache.api.CacheHealth;
import comfy.workbench.cache.api.CacheManager;
import comfy.workbench.manager.api.ComponentInfo;
import comfy.workbench.manager.api.HealthChange;
import comfy.workbench.manager.api.HealthReport;
import comfy.workbench.manager.api.PlatformManager;

/**
 * What the view shows, read from the service manager off the UI thread, in the order the view shows it.
 *
 * @param health     the latest aggregated health
 * @param components every component, problems first
 * @param history    the changes of the aggregated status, newest first
 * @param caches     every cache with its statistics and health (empty without a cache manager)
 */
record Snapshot(HealthReport health, List<ComponentInfo> components, List<HealthChange> history,
        List<CacheRow> caches) {

    Snapshot {
        Objects.requireNonNull(health, "health");
        components = List.copyOf(components);
        history = List.copyOf(history);
        caches = List.copyOf(caches);
    }

    /** Reads what the manager knows now; it does not run the checks. */
    static Snapshot of(PlatformManager manager, CacheManager cacheManager) {
        List<ComponentInfo> components = new ArrayList<>(manager.components());
        components.sort(ComponentTable.PROBLEMS_FIRST); // stable: the manager's order within each rank
        List<HealthChange> history = new ArrayList<>(manager.history());
        Collections.reverse(history);
        List<CacheRow> caches = new ArrayList<>();
        if (cacheManager != null) {
            List<CacheHealth> health = cacheManager.health();
            cacheManager.statistics().forEach(stats -> caches.add(CacheRow.of(stats, health)));
        }
        return new Snapshot(manager.health(), components, history, caches);
    }
}
