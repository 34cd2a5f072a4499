package comfy.workbench.queue.api;

/**
 * Which servers may run a job.
 *
 * @param kind     any server, a named one, or those whose node schema has every class the graph uses
 * @param serverId the server for {@link Kind#NAMED}, else {@code null}
 */
public record ServerPolicy(Kind kind, String serverId) {

    /** The kinds of policy. */
    public enum Kind {
        ANY, NAMED, CAPABLE
    }

    public ServerPolicy {
        if (kind == null) {
            throw new IllegalArgumentException("kind");
        }
        if ((kind == Kind.NAMED) != (serverId != null)) {
            throw new IllegalArgumentException("a server id goes with NAMED and only with it");
        }
    }

    public static ServerPolicy any() {
        return new ServerPolicy(Kind.ANY, null);
    }

    public static ServerPolicy named(String serverId) {
        return new ServerPolicy(Kind.NAMED, serverId);
    }

    public static ServerPolicy capable() {
        return new ServerPolicy(Kind.CAPABLE, null);
    }
}
