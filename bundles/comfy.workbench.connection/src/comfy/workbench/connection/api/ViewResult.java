package comfy.workbench.connection.api;

/**
 * A finished download from {@code /api/view}.
 *
 * @param bytes       how many bytes were written
 * @param contentType the server's {@code Content-Type}, {@code ""} when absent
 */
public record ViewResult(long bytes, String contentType) {

    public ViewResult {
        contentType = contentType == null ? "" : contentType;
    }
}
