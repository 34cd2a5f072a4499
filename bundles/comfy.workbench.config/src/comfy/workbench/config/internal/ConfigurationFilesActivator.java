package comfy.workbench.config.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.nio.file.Paths;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the configuration files when this bundle starts. A bundle activator, not a component: the product starts
 * this bundle at a start level below the platform's components, so that they activate with their configuration
 * instead of being restarted when it arrives.
 */
public final class ConfigurationFilesActivator implements BundleActivator {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigurationFilesActivator.class);

    /** A framework property naming the folder of configuration files (default: {@code config} in the data folder). */
    static final String FOLDER_PROPERTY = "comfy.workbench.config";

    @Override
    public void start(BundleContext context) {
        Path folder = folder(context);
        ServiceReference<ConfigurationAdmin> reference = context.getServiceReference(ConfigurationAdmin.class);
        if (reference == null) {
            LOG.warn("no Configuration Admin is running: the configuration files in {} are not applied", folder);
            return;
        }
        ConfigurationAdmin admin = context.getService(reference);
        try {
            ConfigurationFiles.Outcome outcome = ConfigurationFiles.apply(folder, admin);
            outcome.problems().forEach((file, problem) -> LOG.error("the configuration file {} is not applied: {}",
                    folder.resolve(file), problem));
            if (!outcome.applied().isEmpty() || !outcome.removed().isEmpty()) {
                LOG.info("configuration files in {}: applied {}, removed {}", folder, outcome.applied(),
                        outcome.removed());
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("the configuration files in {} cannot be read: {}", folder, e.toString());
        } finally {
            context.ungetService(reference);
        }
    }

    @Override
    public void stop(BundleContext context) {
        // configurations stay with Configuration Admin
    }

    /**
     * The folder: the framework property {@value #FOLDER_PROPERTY}, else {@code config} in the data folder, which is
     * found the way the connection bundle's data location finds it ({@code comfy.workbench.data}, else the instance
     * area, else {@code ~/.comfy-workbench}).
     */
    static Path folder(BundleContext context) {
        String folder = context.getProperty(FOLDER_PROPERTY);
        if (folder != null && !folder.isBlank()) {
            return Paths.get(folder).toAbsolutePath();
        }
        String data = context.getProperty("comfy.workbench.data");
        if (data != null && !data.isBlank()) {
            return Paths.get(data).toAbsolutePath().resolve("config");
        }
        String instance = context.getProperty("osgi.instance.area");
        if (instance != null && instance.startsWith("file:")) {
            try {
                return Paths.get(URI.create(instance.replace(" ", "%20"))).toAbsolutePath().resolve("config");
            } catch (IllegalArgumentException e) {
                // not a plain file URL: the default below
            }
        }
        return Paths.get(System.getProperty("user.home"), ".comfy-workbench", "config");
    }
}
