package comfy.workbench.workflows.api;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

import comfy.workbench.connection.api.ComfyException;

/**
 * Exchanges workflows between the {@link WorkflowLibrary} and the workflows a ComfyUI server's frontend saved
 * ({@code /api/userdata}, directory {@code workflows}). A pulled workflow remembers the server and path it came
 * from, so pulling it again updates it instead of making a copy; a pushed one remembers where it went.
 */
@ProviderType
public interface WorkflowSync {

    /** The server's saved workflows, linked to library workflows where known. */
    List<RemoteWorkflow> list(String serverId) throws ComfyException;

    /**
     * Copies a saved workflow into the library (UI JSON is converted with the server's node schema), creating an
     * entry or updating the one linked to it.
     *
     * @param path the path below {@code workflows/}
     * @throws WorkflowException when the file is not a workflow
     */
    LibraryEntry pull(String serverId, String path) throws ComfyException;

    /**
     * Saves a library workflow on the server as {@code workflows/<path>}: its UI JSON when known (what the frontend
     * opens), else its API JSON.
     *
     * @param path      the path below {@code workflows/}; {@code null} for the linked path or else the name
     * @param overwrite whether to replace a file that exists (else the server answers 409, a {@code ComfyException})
     * @return the path written
     */
    String push(String serverId, String id, String path, boolean overwrite) throws ComfyException;
}
