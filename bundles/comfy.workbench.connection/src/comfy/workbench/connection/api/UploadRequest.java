package comfy.workbench.connection.api;

import java.nio.file.Path;
import java.util.Objects;

/**
 * An image to upload with {@code POST /api/upload/image} (or {@code /upload/mask}). The file is streamed, not
 * read into memory.
 *
 * @param source    the local file
 * @param filename  the name to give it on the server; defaults to the source's file name
 * @param type      target folder: {@code input} (default), {@code temp} or {@code output}
 * @param subfolder subfolder below it, {@code ""} for none
 * @param overwrite replace a file of the same name; otherwise the server reuses an identical file or renames
 *                  (use the returned {@link UploadResult#name()})
 */
public record UploadRequest(Path source, String filename, String type, String subfolder, boolean overwrite) {

    public UploadRequest {
        Objects.requireNonNull(source, "source");
        filename = filename == null || filename.isBlank() ? String.valueOf(source.getFileName()) : filename;
        if (filename.indexOf('"') >= 0 || filename.indexOf('\r') >= 0 || filename.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("file name cannot contain quotes or line breaks: " + filename);
        }
        type = type == null || type.isBlank() ? "input" : type;
        subfolder = subfolder == null ? "" : subfolder;
    }

    /** Upload a file into {@code input/} under its own name without overwriting. */
    public static UploadRequest of(Path source) {
        return new UploadRequest(source, null, "input", "", false);
    }

    public UploadRequest withOverwrite(boolean replace) {
        return new UploadRequest(source, filename, type, subfolder, replace);
    }

    public UploadRequest withSubfolder(String folder) {
        return new UploadRequest(source, filename, type, folder, overwrite);
    }
}
