package comfy.workbench.queue.api;

import java.time.Duration;

/**
 * Limits on a job's attempt; {@link Duration#ZERO} means none. A timed-out attempt is removed from the server
 * (deleted from its queue, or interrupted by prompt id) and retried as a transient fault.
 *
 * @param toStart     from sending until the server starts it
 * @param idlePerNode without any progress while it runs
 * @param total       from sending until it ends
 */
public record Timeouts(Duration toStart, Duration idlePerNode, Duration total) {

    public static final Timeouts NONE = new Timeouts(Duration.ZERO, Duration.ZERO, Duration.ZERO);

    public Timeouts {
        toStart = toStart == null ? Duration.ZERO : toStart;
        idlePerNode = idlePerNode == null ? Duration.ZERO : idlePerNode;
        total = total == null ? Duration.ZERO : total;
    }
}
