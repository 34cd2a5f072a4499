package comfy.workbench.queue.api;

import java.util.Set;

/**
 * Which servers may run a job.
 *
 * @param kind    any server, one of the named ones, or those whose node schema has every class the graph uses
 * @param servers the servers for {@link Kind#NAMED} (at least one), else empty
 */
public record ServerPolicy(Kind kind, Set<String> servers) {

    /** The kinds of policy. */
    public enum Kind {
        ANY, NAMED, CAPABLE
    }

    public ServerPolicy {
        if (kind == null) {
            throw new IllegalArgumentException("kind");
        }
        servers = servers == null ? Set.of() : Set.copyOf(servers);
        if ((kind == Kind.NAMED) == servers.isEmpty()) {
            throw new IllegalArgumentException("server ids go with NAMED, and NAMED needs at least one");
        }
    }

    public static ServerPolicy any() {
        return new ServerPolicy(Kind.ANY, null);
    }

    /** One of these servers (a pool). */
    public static ServerPolicy named(String... serverIds) {
        return new ServerPolicy(Kind.NAMED, Set.of(serverIds));
    }

    public static ServerPolicy capable() {
        return new ServerPolicy(Kind.CAPABLE, null);
    }
}
