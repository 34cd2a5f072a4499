package comfy.workbench.connection.api;

import java.util.Objects;
import java.util.Optional;

/**
 * A file to fetch with {@code GET /api/view}.
 *
 * @param file    the file
 * @param preview a server-side re-encoding such as {@code webp;90} or {@code jpeg;80}, or empty for the file itself
 * @param channel {@code rgb}, {@code a} or {@code rgba}, or empty for the file as stored
 */
public record ViewRequest(FileRef file, Optional<String> preview, Optional<String> channel) {

    public ViewRequest {
        Objects.requireNonNull(file, "file");
        preview = preview == null ? Optional.empty() : preview;
        channel = channel == null ? Optional.empty() : channel;
    }

    public static ViewRequest of(FileRef file) {
        return new ViewRequest(file, Optional.empty(), Optional.empty());
    }

    public ViewRequest withPreview(String format) {
        return new ViewRequest(file, Optional.ofNullable(format), channel);
    }

    public ViewRequest withChannel(String channelName) {
        return new ViewRequest(file, preview, Optional.ofNullable(channelName));
    }
}
