package comfy.workbench.connection.api;

/**
 * Event Admin topics and event properties of the connection bundle. Events are posted asynchronously and carry
 * only strings and numbers, so that any bundle can consume them without depending on this API.
 */
public final class ConnectionTopics {

    /** Prefix of every topic of this bundle. */
    public static final String PREFIX = "comfy/workbench/connection/";

    /** Subscribe to this to receive every topic of this bundle. */
    public static final String ALL = PREFIX + "*";

    /** A server was added, changed or removed. Properties: {@link #SERVER_ID}, {@link #CHANGE}. */
    public static final String SERVERS = PREFIX + "SERVERS";

    /**
     * A server's health changed. Properties: {@link #SERVER_ID}, {@link #STATE}, {@link #PREVIOUS_STATE},
     * {@link #REASON}, {@link #LATENCY_MILLIS} (absent when the server did not answer).
     */
    public static final String HEALTH = PREFIX + "HEALTH";

    /** Event property: the server id (String). */
    public static final String SERVER_ID = "serverId";

    /** Event property: {@link ServerChange.Type} name (String). */
    public static final String CHANGE = "change";

    /** Event property: {@link HealthState} name (String). */
    public static final String STATE = "state";

    /** Event property: the previous {@link HealthState} name (String). */
    public static final String PREVIOUS_STATE = "previousState";

    /** Event property: why the server is in its state (String). */
    public static final String REASON = "reason";

    /** Event property: round-trip time of the health probe in milliseconds (Long). */
    public static final String LATENCY_MILLIS = "latencyMillis";

    private ConnectionTopics() {
    }
}
