package comfy.workbench.connection.internal;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import comfy.workbench.connection.api.DataLocation;

/**
 * The {@link DataLocation} service. Immediate, so that the data folder is taken when the framework starts and held
 * until it stops, not only while some component happens to use it.
 */
@Component(configurationPid = DataLocationComponent.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
@Designate(ocd = DataLocationComponent.Config.class)
public final class DataLocationComponent implements DataLocation {

    static final String PID = "comfy.workbench.data";

    /** Configuration of the data location. */
    @ObjectClassDefinition(name = "Comfy Workbench data", description = "Where the workbench keeps its user data")
    public @interface Config {
        @AttributeDefinition(name = "Directory", description = "Empty for the comfy.workbench.data property, "
                + "the instance location or ~/.comfy-workbench")
        String directory() default "";
    }

    private Path root;
    private DataFolderLock lock;

    /** Takes the data folder, or fails (naming the process that holds it) so that nothing starts on it. */
    @Activate
    void activate(BundleContext context, Config config) throws IOException {
        root = DataDirectory.resolve(context, config.directory());
        lock = DataFolderLock.acquire(root);
    }

    @Deactivate
    void deactivate() throws IOException {
        lock.close();
    }

    @Override
    public Path root() {
        return root;
    }

    @Override
    public Path area(String name) throws IOException {
        if (name == null || name.isEmpty() || !name.equals(Path.of(name).getFileName().toString()) || name.startsWith(".")) {
            throw new IllegalArgumentException("not a simple folder name: " + name);
        }
        Path area = root.resolve(name);
        try {
            PrivateFiles.createDirectory(area);
        } catch (FileAlreadyExistsException e) {
            // another thread or process made it first; fine if it is a folder
            if (!Files.isDirectory(area)) {
                throw e;
            }
        }
        return area;
    }
}
