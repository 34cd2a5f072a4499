package comfy.workbench.queue.api;

import java.util.Objects;

import com.google.gson.JsonObject;

/**
 * Why a job failed (or why its last attempt did).
 *
 * @param kind     the kind
 * @param message  what happened, in words
 * @param nodeId   the node at fault, or {@code null}
 * @param nodeType its class, or {@code null}
 * @param details  the server's own account: {@code node_errors} of a validation failure, the exception of an
 *                 execution error; empty when none
 */
public record JobError(Kind kind, String message, String nodeId, String nodeType, JsonObject details) {

    /** What kind of failure it is; the first four are transient (retried). */
    public enum Kind {
        /** The server could not be reached or answered 5xx. */
        CONNECTION,
        /** The server lost the job (restarted) before it ended. */
        LOST,
        /** An attempt ran out of time. */
        TIMEOUT,
        /** No server can run it (none registered, or none with the node classes it needs) — retried while it waits. */
        NO_SERVER,
        /** The server refused the graph ({@code node_errors}). */
        VALIDATION,
        /** A node raised while executing. */
        EXECUTION,
        /** Interrupted on the server by someone else. */
        INTERRUPTED,
        /** Its outputs could not be downloaded or stored. */
        OUTPUT
    }

    public JobError {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
        details = details == null ? new JsonObject() : details.deepCopy();
    }

    public JobError(Kind kind, String message) {
        this(kind, message, null, null, null);
    }

    @Override
    public JsonObject details() {
        return details.deepCopy();
    }

    /** Whether an attempt that failed this way is tried again (within the retry policy). */
    public boolean transientFault() {
        return kind == Kind.CONNECTION || kind == Kind.LOST || kind == Kind.TIMEOUT || kind == Kind.NO_SERVER;
    }
}
