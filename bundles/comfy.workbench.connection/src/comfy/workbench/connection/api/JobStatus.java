package comfy.workbench.connection.api;

import java.util.Locale;

/** A job's status in the jobs API ({@code /api/jobs}). */
public enum JobStatus {
    PENDING, IN_PROGRESS, COMPLETED, FAILED, CANCELLED;

    /** The protocol's spelling, e.g. {@code in_progress}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Reads the protocol's spelling; throws {@link IllegalArgumentException} for anything else. */
    public static JobStatus fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
