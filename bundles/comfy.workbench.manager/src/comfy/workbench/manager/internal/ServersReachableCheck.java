package comfy.workbench.manager.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import comfy.workbench.connection.api.HealthState;
import comfy.workbench.connection.api.ServerDescriptor;
import comfy.workbench.connection.api.ServerHealth;
import comfy.workbench.connection.api.ServerHealthService;
import comfy.workbench.connection.api.ServerRegistry;
import comfy.workbench.manager.api.HealthCheck;
import comfy.workbench.manager.api.HealthResult;

/** Every configured server answers: WARN when some do not, CRITICAL when none does. */
@Component(service = HealthCheck.class, property = { HealthCheck.NAME + "=servers reachable",
        HealthCheck.TAGS + "=server", HealthCheck.INTERVAL + ":Long=30000", HealthCheck.TIMEOUT + ":Long=15000" })
public final class ServersReachableCheck implements HealthCheck {

    /** How long a probe may take: within the check's timeout, so that the check names the servers that did not answer. */
    private static final long ANSWER_SECONDS = 12;

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
        // each server on its own: one that does not answer (a frozen process, a partition) is named as such, and the
        // others' answers still count
        List<ServerDescriptor> servers = registry.servers();
        List<CompletableFuture<ServerHealth>> probes = servers.stream().map(s -> health.refresh(s.id())).toList();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ANSWER_SECONDS);
        List<String> down = new ArrayList<>();
        int up = 0;
        for (int i = 0; i < servers.size(); i++) {
            ServerDescriptor server = servers.get(i);
            String named = server.id() + " (" + server.baseUrl() + ")";
            ServerHealth h;
            try {
                h = probes.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                down.add(named + ": no answer within " + ANSWER_SECONDS + " s (a frozen server or a network problem)");
                continue;
            } catch (ExecutionException e) {
                down.add(named + ": its probe failed: " + e.getCause());
                continue;
            }
            if (h.state() == HealthState.UP || h.state() == HealthState.DEGRADED) {
                up++;
            } else {
                down.add(named + ": " + h.reason());
            }
        }
        if (down.isEmpty()) {
            return HealthResult.ok(up + " of " + servers.size() + " servers reachable");
        }
        String message = "unreachable: " + String.join("; ", down);
        return up == 0 ? HealthResult.critical(message) : HealthResult.warn(message);
    }
}
