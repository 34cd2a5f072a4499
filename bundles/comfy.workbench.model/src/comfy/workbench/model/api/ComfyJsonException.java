package comfy.workbench.model.api;

/**
 * Thrown when text is not the JSON, or not the shape of JSON, that ComfyUI's protocol calls for. The
 * message names what was wrong and where.
 */
public final class ComfyJsonException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ComfyJsonException(String message) {
        super(message);
    }

    public ComfyJsonException(String message, Throwable cause) {
        super(message, cause);
    }
}
