package comfy.workbench.monitor.api;

/**
 * The kind of a {@link MonitorEvent}. The first group mirrors the server's WebSocket messages one to one; the
 * last three are the monitor's own: the socket's state, a prompt reaching its end, and anything the server sent that
 * this version does not know.
 */
public enum EventType {
    /** {@code status}: the server's queue changed. */
    STATUS,
    /** {@code feature_flags}: the server's answer to the handshake. */
    FEATURE_FLAGS,
    /** {@code execution_start}. */
    EXECUTION_START,
    /** {@code execution_cached}: nodes whose outputs the server took from its cache. */
    EXECUTION_CACHED,
    /** {@code executing}: a node started, or ({@code node: null}) the prompt is done. */
    EXECUTING,
    /** {@code progress}: step progress of the running node. */
    PROGRESS,
    /** {@code progress_state}: the state of every started node. */
    PROGRESS_STATE,
    /** {@code executed}: a node with UI output finished. */
    EXECUTED,
    /** {@code execution_success}. */
    EXECUTION_SUCCESS,
    /** {@code execution_error}. */
    EXECUTION_ERROR,
    /** {@code execution_interrupted}. */
    EXECUTION_INTERRUPTED,
    /** {@code logs}: server log lines (after a logs subscription). */
    LOGS,
    /** Binary frames 1 and 4: a preview image. The only kind that may be dropped under pressure. */
    PREVIEW,
    /** Binary frame 3: progress text of a node. */
    PROGRESS_TEXT,
    /** The WebSocket connected, disconnected or is retrying. */
    CONNECTION,
    /** A tracked prompt reached its end: exactly once per prompt, from the socket or from reconciliation. */
    PROMPT_FINISHED,
    /** A message of a type this version does not decode, passed through as it came. */
    UNKNOWN;

    /** The Event Admin topic events of this type are posted on. */
    public String topic() {
        return MonitorTopics.PREFIX + name();
    }
}
