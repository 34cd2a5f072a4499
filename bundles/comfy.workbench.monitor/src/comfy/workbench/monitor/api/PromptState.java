package comfy.workbench.monitor.api;

/** Where a tracked prompt stands. The last four are terminal. */
public enum PromptState {
    /** Accepted by the server, not started yet (as far as the monitor saw). */
    QUEUED,
    /** The server started it. */
    RUNNING,
    /** Ran to its end. */
    SUCCEEDED,
    /** A node raised an error. */
    FAILED,
    /** Interrupted. */
    INTERRUPTED,
    /**
     * Neither queued, running nor in the history when the monitor reconciled: the server lost it (typically a
     * restart). Whoever submitted it decides whether to submit it again.
     */
    LOST;

    /** Whether no further state follows. */
    public boolean terminal() {
        return ordinal() >= SUCCEEDED.ordinal();
    }
}
