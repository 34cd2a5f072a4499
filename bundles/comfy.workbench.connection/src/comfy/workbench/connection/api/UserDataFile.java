package comfy.workbench.connection.api;

import java.util.Objects;

/**
 * A file of the user's data directory on the server ({@code GET /api/userdata?full_info=true}).
 *
 * @param path     path relative to the listed directory, with {@code /} separators
 * @param size     size in bytes
 * @param modified last modification, epoch milliseconds
 * @param created  creation, epoch milliseconds (0 when unknown)
 */
public record UserDataFile(String path, long size, long modified, long created) {

    public UserDataFile {
        Objects.requireNonNull(path, "path");
    }
}
