package comfy.workbench.workflows.api;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A workflow the ComfyUI frontend saved on a server ({@code /userdata} {@code workflows/*.json}).
 *
 * @param serverId the server
 * @param path     its path below {@code workflows/}, e.g. {@code portraits/face.json}
 * @param size     its size in bytes
 * @param modified its last modification on the server
 * @param localId  the library workflow it was last pulled into or pushed from, or {@code null}
 */
public record RemoteWorkflow(String serverId, String path, long size, Instant modified, String localId) {

    public RemoteWorkflow {
        Objects.requireNonNull(serverId, "serverId");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(modified, "modified");
    }

    /** The library workflow linked to it, if any. */
    public Optional<String> linked() {
        return Optional.ofNullable(localId);
    }
}
