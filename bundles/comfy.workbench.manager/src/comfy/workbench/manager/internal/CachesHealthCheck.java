package comfy.workbench.manager.internal;

import java.util.ArrayList;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import comfy.workbench.cache.api.CacheHealth;
import comfy.workbench.cache.api.CacheManager;
import comfy.workbench.manager.api.HealthCheck;
import comfy.workbench.manager.api.HealthResult;
import comfy.workbench.manager.api.HealthStatus;

/** The caches' own health, with their advice (for example: raise the size of a cache that evicts what it needs). */
@Component(service = HealthCheck.class, property = { HealthCheck.NAME + "=caches", HealthCheck.TAGS + "=cache",
        HealthCheck.TAGS + "=storage", HealthCheck.INTERVAL + ":Long=60000" })
public final class CachesHealthCheck implements HealthCheck {

    private final CacheManager caches;

    @Activate
    public CachesHealthCheck(@Reference CacheManager caches) {
        this.caches = caches;
    }

    @Override
    public HealthResult check() {
        List<CacheHealth> all = caches.health();
        HealthStatus worst = HealthStatus.OK;
        List<String> problems = new ArrayList<>();
        for (CacheHealth h : all) {
            HealthStatus status = HealthStatus.valueOf(h.status().name());
            worst = worst.worst(status);
            if (status != HealthStatus.OK) {
                problems.add(h.name() + ": " + String.join("; ", h.advice()));
            }
        }
        String message = problems.isEmpty() ? all.size() + " caches healthy" : String.join(" | ", problems);
        return new HealthResult(worst, message);
    }
}
