package comfy.workbench.connection.internal;

import java.net.URI;
import java.nio.file.Path;
import java.nio.file.Paths;

import org.osgi.framework.BundleContext;

/**
 * Where the workbench keeps its data: the framework/system property {@value #PROPERTY}, else the OSGi instance
 * location ({@code osgi.instance.area}, set by {@code -data}), else {@code ~/.comfy-workbench}.
 */
final class DataDirectory {

    static final String PROPERTY = "comfy.workbench.data";

    private DataDirectory() {
    }

    static Path resolve(BundleContext context, String configured) {
        if (configured != null && !configured.isBlank()) {
            return Paths.get(configured).toAbsolutePath();
        }
        String property = context.getProperty(PROPERTY);
        if (property != null && !property.isBlank()) {
            return Paths.get(property).toAbsolutePath();
        }
        String instance = context.getProperty("osgi.instance.area");
        if (instance != null && instance.startsWith("file:")) {
            try {
                return Paths.get(URI.create(instance.replace(" ", "%20"))).toAbsolutePath();
            } catch (IllegalArgumentException e) {
                // an instance area that is not a plain file URL: fall through to the default
            }
        }
        return Paths.get(System.getProperty("user.home"), ".comfy-workbench");
    }
}
