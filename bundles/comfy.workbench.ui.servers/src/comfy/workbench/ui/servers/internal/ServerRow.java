package comfy.workbench.ui.servers.internal;

import java.util.Objects;
import java.util.Optional;

import comfy.workbench.connection.api.QueueSnapshot;
import comfy.workbench.connection.api.ServerDescriptor;
import comfy.workbench.connection.api.ServerHealth;
import comfy.workbench.monitor.api.MonitorStats;

/**
 * One row of the Servers view: what the registry, the health service and the last queue poll know about a server.
 *
 * @param server the server as configured
 * @param health its last known health
 * @param queue  its queue at the last poll; empty while unknown (not polled yet, or the server is not up)
 * @param events the monitor's statistics of its event stream; empty without a monitor
 */
record ServerRow(ServerDescriptor server, ServerHealth health, Optional<QueueSnapshot> queue,
        Optional<MonitorStats> events) {

    ServerRow {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(events, "events");
    }

    String id() {
        return server.id();
    }
}
