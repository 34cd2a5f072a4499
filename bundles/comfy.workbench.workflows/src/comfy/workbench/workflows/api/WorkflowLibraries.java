package comfy.workbench.workflows.api;

import java.nio.file.Path;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Opens {@link WorkflowLibrary libraries} on folders other than the user's workflow library (the
 * {@code WorkflowLibrary} service, at {@code workflows/} under the data folder): the template library keeps its
 * templates in one, a test or a tool may open a scratch folder.
 */
@ProviderType
public interface WorkflowLibraries {

    /**
     * A library on a folder, created if missing. Two calls for the same folder give libraries that see each
     * other's changes after {@link WorkflowLibrary#refresh()}, as two processes would.
     *
     * @throws LibraryException {@code IO} if the folder cannot be created or read
     */
    WorkflowLibrary open(Path folder);
}
