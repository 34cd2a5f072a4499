package comfy.workbench.monitor.api;

/**
 * Event Admin topics and properties of the monitor. Every {@link MonitorEvent} is posted asynchronously on
 * {@code comfy/workbench/monitor/<EventType>} ({@link EventType#topic()}), except previews, which are posted only
 * when {@link #POST_PREVIEWS} is configured (they are large and frequent).
 */
public final class MonitorTopics {

    /** Prefix of every topic of the monitor. */
    public static final String PREFIX = "comfy/workbench/monitor/";

    /** Subscribe to this to receive every monitor topic. */
    public static final String ALL = PREFIX + "*";

    /** Event property: the server id (String). */
    public static final String SERVER_ID = "serverId";

    /** Event property: the prompt id (String), absent for events that belong to no prompt. */
    public static final String PROMPT_ID = "promptId";

    /** Event property: the {@link MonitorEvent} itself, for consumers that import this API. */
    public static final String EVENT = "event";

    /** Configuration property of the monitor ({@code comfy.workbench.monitor}) that turns preview posting on. */
    public static final String POST_PREVIEWS = "eventAdminPreviews";

    private MonitorTopics() {
    }
}
