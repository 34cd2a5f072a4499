package comfy.workbench.monitor.internal;

/**
 * A frame the decoder could not make sense of. {@link #reason()} is a short, stable category used as the key of
 * the bad-frame statistics ("not JSON", "binary frame too short", ...); the message adds the detail.
 */
public final class BadFrameException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String reason;

    public BadFrameException(String reason, String detail) {
        // no stack trace: bad frames are expected input, counted, not debugged
        super(detail == null ? reason : reason + ": " + detail, null, false, false);
        this.reason = reason;
    }

    /** The category of the failure. */
    public String reason() {
        return reason;
    }
}
