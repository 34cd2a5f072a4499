package comfy.workbench.manager.api;

/**
 * Event Admin topics of the service manager. Health events carry {@code status}, {@code previous} (names of
 * {@link HealthStatus}), {@code reasons} ({@code String[]}) and {@code change} (the {@link HealthChange}).
 */
public final class ManagerTopics {

    /** Every topic of the manager. */
    public static final String ALL = "comfy/workbench/manager/*";
    /** The aggregated health status changed. */
    public static final String HEALTH_CHANGED = "comfy/workbench/manager/HEALTH_CHANGED";
    /** A recovery was attempted for a failing check ({@code check}, {@code action}). */
    public static final String RECOVERY = "comfy/workbench/manager/RECOVERY";

    private ManagerTopics() {
    }
}
