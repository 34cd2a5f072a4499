package comfy.workbench.ui.servers.internal;

import java.util.Objects;
import java.util.Optional;

import comfy.workbench.connection.api.QueueSnapshot;
import comfy.workbench.connection.api.ServerDescriptor;
import comfy.workbench.connection.api.ServerHealth;

/**
 * One row of the Servers view: what the registry, the health service and the last queue poll know about a server.
 *
 * @param server the server as configured
 * @param health its last known health
 * @param queue  its queue at the last poll; empty while unknown (not polled yet, or the server is not up)
 */
record ServerRow(ServerDescriptor server, ServerHealth health, Optional<QueueSnapshot> queue) {

    ServerRow {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(queue, "queue");
    }

    String id() {
        return server.id();
    }
}
