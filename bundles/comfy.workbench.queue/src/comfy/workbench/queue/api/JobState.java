package comfy.workbench.queue.api;

/** Where a job stands. */
public enum JobState {
    /** Waiting for a server slot. */
    QUEUED,
    /** Waiting because the queue is paused. */
    PAUSED,
    /** Sent; in the server's queue. */
    DISPATCHED,
    /** The server is executing it. */
    RUNNING,
    /** A transient fault (connection, 5xx, a server that lost it): waiting out the backoff before it is queued again. */
    RETRY_WAIT,
    /** Done; its outputs are on disk. */
    SUCCEEDED,
    /** Given up: validation or execution error, timeout, or retries exhausted; see {@link Job#error()}. */
    FAILED,
    /** Cancelled by a user. */
    CANCELLED;

    /** Whether the job is over. */
    public boolean terminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }

    /** Whether the job is waiting on this client, not on a server. */
    public boolean waiting() {
        return this == QUEUED || this == PAUSED || this == RETRY_WAIT;
    }
}
