package comfy.workbench.ui.common;

import java.util.ArrayList;
import java.util.List;

import comfy.workbench.connection.api.ComfyException;
import comfy.workbench.connection.api.ServerDescriptor;
import comfy.workbench.connection.api.ServerRegistry;
import comfy.workbench.model.api.NodeSchema;
import comfy.workbench.monitor.api.NodeSchemas;

/**
 * A server's node schema with the server it came from: what a view validates, previews and runs against.
 *
 * @param server the server
 * @param schema its node schema
 * @since 0.2.0
 */
public record ServerSchema(ServerDescriptor server, NodeSchema schema) {

    /**
     * The node schema of the first registered server that gives one, the server {@code comfy} picks too; the
     * schemas service caches it, so only the first call per server costs a request.
     *
     * @throws Refusal naming why each server gave none
     */
    public static ServerSchema first(ServerRegistry registry, NodeSchemas schemas) {
        List<String> down = new ArrayList<>();
        for (ServerDescriptor server : registry.servers()) {
            try {
                return new ServerSchema(server, schemas.schema(server.id()));
            } catch (ComfyException | IllegalArgumentException e) {
                // IllegalArgumentException: removed from the registry meanwhile
                down.add(server.label() + ": " + e.getMessage());
            }
        }
        throw new Refusal(down.isEmpty() ? "no server is configured to read a node schema from (add one in the Servers view)"
                : "no server is reachable to read a node schema from: " + String.join("; ", down));
    }
}
