package comfy.workbench.ui.common;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import comfy.workbench.connection.api.ComfyException;
import comfy.workbench.connection.api.ServerDescriptor;
import comfy.workbench.connection.api.ServerRegistry;
import comfy.workbench.model.api.NodeSchema;
import comfy.workbench.monitor.api.NodeSchemas;

/**
 * A server's node schema with the server it came from: what a view validates, previews and runs against.
 *
 * @param server    the server
 * @param schema    its node schema
 * @param lastKnown whether it is the schema the server last gave, because no server gives one now
 *                  ({@link NodeSchemas#lastKnown(String)}); a job checked against it waits in the queue for a server
 *                  (since 0.3.0, with the canonical constructor; the two-argument one is 0.2.0's)
 * @since 0.2.0
 */
public record ServerSchema(ServerDescriptor server, NodeSchema schema, boolean lastKnown) {

    /** A schema the server gave now. */
    public ServerSchema(ServerDescriptor server, NodeSchema schema) {
        this(server, schema, false);
    }

    /**
     * The node schema of the first registered server that gives one, the server {@code comfy} picks too; the
     * schemas service caches it, so only the first call per server costs a request. When none answers, the schema
     * the first of them last gave ({@linkplain #lastKnown() last known}): a server restarting does not stop the user
     * from checking and queueing work (a server that answers with an error gives none either).
     *
     * @throws Refusal naming why each server gave none, when none ever gave one either
     */
    public static ServerSchema first(ServerRegistry registry, NodeSchemas schemas) {
        List<String> down = new ArrayList<>();
        List<ServerDescriptor> servers = registry.servers();
        for (ServerDescriptor server : servers) {
            try {
                return new ServerSchema(server, schemas.schema(server.id()));
            } catch (ComfyException | IllegalArgumentException e) {
                // IllegalArgumentException: removed from the registry meanwhile
                down.add(server.label() + ": " + e.getMessage());
            }
        }
        for (ServerDescriptor server : servers) {
            Optional<NodeSchema> last = schemas.lastKnown(server.id());
            if (last.isPresent()) {
                return new ServerSchema(server, last.get(), true);
            }
        }
        throw new Refusal(down.isEmpty() ? "no server is configured to read a node schema from (add one in the Servers view)"
                : "no server is reachable to read a node schema from: " + String.join("; ", down));
    }

    /**
     * The server, for a status line: its label, and when the schema is the {@linkplain #lastKnown() last known} one,
     * that it is.
     *
     * @since 0.3.0
     */
    public String source() {
        return lastKnown ? server.label() + " (the node schema it last gave: no server gives one now)" : server.label();
    }

    /**
     * What to add to the status line's "Submitted ..." of jobs checked against this schema: nothing, or for the
     * {@linkplain #lastKnown() last known} schema that the jobs wait for a server.
     *
     * @since 0.3.0
     */
    public String submittedNote() {
        return lastKnown ? "; checked against the node schema " + server.label() + " last gave (no server gives one "
                + "now): queued until a server answers" : "";
    }
}
