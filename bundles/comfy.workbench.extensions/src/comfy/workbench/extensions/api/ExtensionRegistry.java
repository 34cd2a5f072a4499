package comfy.workbench.extensions.api;

import java.nio.file.Path;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What the platform made of its extensions folder when it started: a service, registered before the platform's
 * components start, for the command line and the workbench to show.
 */
@ProviderType
public interface ExtensionRegistry {

    /** The folder the jars were read from (it may not exist: then there are no extensions). */
    Path folder();

    /**
     * Every jar of the folder, in file name order, with its state as it is now (an extension whose activator threw
     * after this list was first made, as the platform reached its start level, is {@link ExtensionState#FAILED}).
     */
    List<Extension> extensions();
}
