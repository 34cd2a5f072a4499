package comfy.workbench.config.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Hashtable;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import comfy.workbench.manager.api.HealthCheck;
import comfy.workbench.manager.api.HealthResult;

/**
 * Applies the configuration files when this bundle starts, and registers a health check ("configuration files") that
 * reports what was wrong with them, so that a malformed file shows in the platform's health, not only in the log. A
 * bundle activator, not a component: the product starts this bundle at a start level below the platform's components,
 * so that they activate with their configuration instead of being restarted when it arrives.
 */
public final class ConfigurationFilesActivator implements BundleActivator {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigurationFilesActivator.class);

    /** A framework property naming the folder of configuration files (default: {@code config} in the data folder). */
    static final String FOLDER_PROPERTY = "comfy.workbench.config";

    private ServiceRegistration<HealthCheck> check;

    @Override
    public void start(BundleContext context) {
        HealthResult result = apply(folder(context), context);
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(HealthCheck.NAME, "configuration files");
        properties.put(HealthCheck.TAGS, "configuration");
        check = context.registerService(HealthCheck.class, () -> result, properties);
    }

    static HealthResult apply(Path folder, BundleContext context) {
        ServiceReference<ConfigurationAdmin> reference = context.getServiceReference(ConfigurationAdmin.class);
        if (reference == null) {
            LOG.warn("no Configuration Admin is running: the configuration files in {} are not applied", folder);
            return HealthResult.warn("no Configuration Admin is running: the configuration files in " + folder
                    + " are not applied");
        }
        ConfigurationAdmin admin = context.getService(reference);
        try {
            ConfigurationFiles.Outcome outcome = ConfigurationFiles.apply(folder, admin,
                    () -> DeclaredProperties.of(context.getBundles())::of);
            outcome.problems().forEach((file, problem) -> LOG.error("the configuration file {} is not applied: {}",
                    folder.resolve(file), problem));
            if (!outcome.applied().isEmpty() || !outcome.removed().isEmpty()) {
                LOG.info("configuration files in {}: applied {}, removed {}", folder, outcome.applied(),
                        outcome.removed());
            }
            return outcome.problems().isEmpty() ? HealthResult.ok("read at start from " + folder)
                    : HealthResult.warn(outcome.problems().size() + " configuration file(s) in " + folder
                            + " not applied (fix them and restart): " + outcome.problems());
        } catch (IOException | RuntimeException e) {
            LOG.error("the configuration files in {} cannot be read: {}", folder, e.toString());
            return HealthResult.warn("the configuration files in " + folder + " cannot be read: " + e);
        } finally {
            context.ungetService(reference);
        }
    }

    @Override
    public void stop(BundleContext context) {
        check.unregister(); // configurations stay with Configuration Admin
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
