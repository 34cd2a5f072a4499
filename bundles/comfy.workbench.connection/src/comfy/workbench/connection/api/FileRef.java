package comfy.workbench.connection.api;

import java.util.Objects;

/**
 * A file in one of the server's folders, as history outputs and uploads name it:
 * {@code {filename, subfolder, type}}.
 *
 * @param filename  the file name
 * @param subfolder the subfolder below the typed folder, {@code ""} for none
 * @param type      {@code output}, {@code input} or {@code temp}
 */
public record FileRef(String filename, String subfolder, String type) {

    public FileRef {
        Objects.requireNonNull(filename, "filename");
        if (filename.isEmpty()) {
            throw new IllegalArgumentException("filename must not be empty");
        }
        subfolder = subfolder == null ? "" : subfolder;
        type = type == null || type.isEmpty() ? "output" : type;
    }

    public static FileRef output(String filename) {
        return new FileRef(filename, "", "output");
    }

    public static FileRef input(String filename) {
        return new FileRef(filename, "", "input");
    }
}
