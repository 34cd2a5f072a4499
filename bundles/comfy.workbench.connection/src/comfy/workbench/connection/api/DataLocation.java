package comfy.workbench.connection.api;

import java.io.IOException;
import java.nio.file.Path;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Where the workbench keeps its user data: the configured folder, else the framework property
 * {@code comfy.workbench.data}, else the OSGi instance location ({@code -data}), else {@code ~/.comfy-workbench}.
 * Every subsystem keeps its files in an area of its own below it ({@code connection/}, {@code monitor/}, ...).
 */
@ProviderType
public interface DataLocation {

    /** The data folder (it may not exist yet). */
    Path root();

    /**
     * A subsystem's folder below {@link #root()}, created (owner-only where the file system allows) if missing.
     *
     * @param name a simple folder name such as {@code monitor}
     * @throws IOException if the folder cannot be created
     */
    Path area(String name) throws IOException;
}
