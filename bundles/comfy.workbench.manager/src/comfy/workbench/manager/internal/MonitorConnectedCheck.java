package comfy.workbench.manager.internal;

import java.util.ArrayList;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import comfy.workbench.connection.api.HealthState;
import comfy.workbench.connection.api.ServerDescriptor;
import comfy.workbench.connection.api.ServerHealthService;
import comfy.workbench.connection.api.ServerRegistry;
import comfy.workbench.manager.api.HealthCheck;
import comfy.workbench.manager.api.HealthResult;
import comfy.workbench.monitor.api.ConnectionState;
import comfy.workbench.monitor.api.ExecutionMonitor;

/**
 * The monitor's socket to every server is open: without it no execution event arrives. WARN when some are closed or
 * only servers that are down have theirs closed, CRITICAL when none is open and a server that answers is among them;
 * recovery reconnects the sockets to servers that answer.
 */
@Component(service = HealthCheck.class, property = { HealthCheck.NAME + "=monitor connected",
        HealthCheck.TAGS + "=monitor", HealthCheck.INTERVAL + ":Long=15000" })
public final class MonitorConnectedCheck implements HealthCheck {

    private static final long CONNECTING_GRACE_NANOS = 3_000_000_000L;
    private final ServerRegistry registry;
    private final ExecutionMonitor monitor;
    private final ServerHealthService health;

    @Activate
    public MonitorConnectedCheck(@Reference ServerRegistry registry, @Reference ExecutionMonitor monitor,
            @Reference ServerHealthService health) {
        this.health = health;
        this.registry = registry;
        this.monitor = monitor;
    }

    @Override
    public HealthResult check() throws InterruptedException {
        List<ServerDescriptor> servers = registry.servers();
        if (servers.isEmpty()) {
            return HealthResult.ok("no server is configured");
        }
        // a socket being opened (just after start-up, or a server just added) is given a moment to settle
        long end = System.nanoTime() + CONNECTING_GRACE_NANOS;
        while (servers.stream().anyMatch(s -> monitor.connectionState(s.id()) == ConnectionState.CONNECTING)
                && System.nanoTime() < end) {
            Thread.sleep(50);
        }
        List<String> closed = new ArrayList<>();
        int closedToReachable = 0;
        for (ServerDescriptor s : servers) {
            ConnectionState state = monitor.connectionState(s.id());
            if (state != ConnectionState.CONNECTED) {
                boolean reachable = reachable(s.id());
                closedToReachable += reachable ? 1 : 0;
                closed.add(s.id() + " (" + state.name().toLowerCase(java.util.Locale.ROOT)
                        + (reachable ? "" : ", server down") + ")");
            }
        }
        if (closed.isEmpty()) {
            return HealthResult.ok("connected to " + servers.size() + " servers");
        }
        String message = "no event stream from " + String.join(", ", closed);
        // a socket to a server that is down is the servers check's news; one to a server that answers is this one's
        return closedToReachable > 0 && closed.size() == servers.size() ? HealthResult.critical(message)
                : HealthResult.warn(message);
    }

    private boolean reachable(String serverId) {
        HealthState state = health.health(serverId).state();
        return state == HealthState.UP || state == HealthState.DEGRADED;
    }

    /** Reconnects the sockets to servers that answer (the monitor's own backoff keeps trying the others). */
    @Override
    public String recover() {
        List<String> reconnected = new ArrayList<>();
        for (ServerDescriptor s : registry.servers()) {
            if (monitor.connectionState(s.id()) != ConnectionState.CONNECTED && reachable(s.id())) {
                monitor.reconnect(s.id());
                reconnected.add(s.id());
            }
        }
        return reconnected.isEmpty() ? "" : "reconnected the event stream of " + String.join(", ", reconnected);
    }
}
