package comfy.workbench.connection.api;

/** How a server is doing, as the last health probe found it. */
public enum HealthState {
    /** Not probed yet. */
    UNKNOWN,
    /** Answers {@code /system_stats} correctly and in time. */
    UP,
    /** Answers, but slowly, or part of the probe failed (e.g. {@code /features}): usable with care. */
    DEGRADED,
    /** Does not answer usefully: refused, timed out, unauthorized, failing with 5xx or garbage. */
    DOWN
}
