package comfy.workbench.connection.api;

import java.util.Objects;

/**
 * Where an upload ended up: {@code {name, subfolder, type}}. The name can differ from the requested one (the
 * server renames on conflict), so always refer to the file by this.
 *
 * @param name      the file name on the server
 * @param subfolder its subfolder, {@code ""} for none
 * @param type      its folder type
 */
public record UploadResult(String name, String subfolder, String type) {

    public UploadResult {
        Objects.requireNonNull(name, "name");
        subfolder = subfolder == null ? "" : subfolder;
        type = type == null ? "input" : type;
    }

    /** The file as a reference for {@code /view} or a {@code LoadImage} input. */
    public FileRef ref() {
        return new FileRef(name, subfolder, type);
    }

    /** The value a {@code LoadImage} node's {@code image} input takes: {@code subfolder/name}. */
    public String loadImageValue() {
        return subfolder.isEmpty() ? name : subfolder + "/" + name;
    }
}
