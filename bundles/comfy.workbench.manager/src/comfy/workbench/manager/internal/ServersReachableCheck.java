package comfy.workbench.manager.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import comfy.workbench.connection.api.HealthState;
import comfy.workbench.connection.api.ServerHealth;
import comfy.workbench.connection.api.ServerHealthService;
import comfy.workbench.connection.api.ServerRegistry;
import comfy.workbench.manager.api.HealthCheck;
import comfy.workbench.manager.api.HealthResult;

/** Every configured server answers: WARN when some do not, CRITICAL when none does. */
@Component(service = HealthCheck.class, property = { HealthCheck.NAME + "=servers reachable",
        HealthCheck.TAGS + "=server", HealthCheck.INTERVAL + ":Long=30000", HealthCheck.TIMEOUT + ":Long=15000" })
public final class ServersReachableCheck implements HealthCheck {

    private final ServerRegistry registry;
    private final ServerHealthService health;

    @Activate
    public ServersReachableCheck(@Reference ServerRegistry registry, @Reference ServerHealthService health) {
        this.registry = registry;
        this.health = health;
    }

    @Override
    public HealthResult check() throws Exception {
        if (registry.servers().isEmpty()) {
            return HealthResult.warn("no server is configured");
        }
        List<ServerHealth> all = health.refreshAll().get(12, TimeUnit.SECONDS);
        List<String> down = new ArrayList<>();
        int up = 0;
        for (ServerHealth h : all) {
            if (h.state() == HealthState.UP || h.state() == HealthState.DEGRADED) {
                up++;
            } else {
                String url = registry.server(h.serverId()).map(s -> " (" + s.baseUrl() + ")").orElse("");
                down.add(h.serverId() + url + ": " + h.reason());
            }
        }
        if (down.isEmpty()) {
            return HealthResult.ok(up + " of " + all.size() + " servers reachable");
        }
        String message = "unreachable: " + String.join("; ", down);
        return up == 0 ? HealthResult.critical(message) : HealthResult.warn(message);
    }
}
