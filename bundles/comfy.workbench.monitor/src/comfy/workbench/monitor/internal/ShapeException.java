package comfy.workbench.monitor.internal;

/**
 * Thrown inside the decoder when well-formed JSON does not have the shape its type requires (a field missing or of
 * the wrong kind). {@link FrameDecoder} turns it into a {@link BadFrameException} naming the message type; it never
 * leaves the decoder.
 */
final class ShapeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    ShapeException(String detail) {
        // no stack trace: this is expected input, reported by its detail
        super(detail, null, false, false);
    }
}
