package comfy.workbench.queue.api;

/** How urgent a job is. A job is sent only when no job of a higher priority could take the same server slot. */
public enum Priority {
    CRITICAL, HIGH, NORMAL, LOW
}
