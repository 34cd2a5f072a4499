package comfy.workbench.extensions.internal;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Hashtable;
import java.util.List;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.ServiceRegistration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import comfy.workbench.extensions.api.ExtensionRegistry;
import comfy.workbench.manager.api.HealthCheck;
import comfy.workbench.manager.api.HealthResult;

/**
 * Reconciles the extensions folder with the framework when this bundle starts, and registers what came of it: the
 * {@link ExtensionRegistry} and the health check "extensions". A bundle activator, not a component, for the reason
 * the configuration files have one: the product starts this bundle at start level 3, synchronously, so that the
 * extensions are installed before the platform's components (level 4) and before the command line or the workbench
 * runs.
 */
public final class ExtensionsActivator implements BundleActivator {

    private static final Logger LOG = LoggerFactory.getLogger(ExtensionsActivator.class);

    /** A framework property naming the extensions folder (default: {@code extensions} in the data folder). */
    static final String FOLDER_PROPERTY = "comfy.workbench.extensions";
    /** In this bundle's data area: the SHA-256 of each jar installed (kept with the bundles, in the framework's storage). */
    private static final String STATE_FILE = "installed-extensions.properties";

    private FrameworkListener failures;
    private ServiceRegistration<ExtensionRegistry> registry;
    private ServiceRegistration<HealthCheck> check;

    @Override
    public void start(BundleContext context) {
        Path folder = folder(context);
        File state = context.getDataFile(STATE_FILE);
        InstalledExtensions extensions;
        HealthCheck health;
        long started = System.nanoTime();
        try {
            ExtensionInstaller.Outcome outcome = new ExtensionInstaller(context, state == null ? null : state.toPath(),
                    hasWorkbenchUi(context)).reconcile(folder);
            if (!outcome.installed().isEmpty() || !outcome.updated().isEmpty() || !outcome.uninstalled().isEmpty()) {
                LOG.info("extensions in {}: installed {}, updated {}, uninstalled {}", folder, outcome.installed(),
                        outcome.updated(), outcome.uninstalled());
            }
            // start-up time is a budget (docs/benchmarks.md): what this costs is one debug line away
            LOG.debug("{} extension jar(s) in {} reconciled in {} ms", outcome.entries().size(), folder,
                    (System.nanoTime() - started) / 1_000_000);
            InstalledExtensions installed = new InstalledExtensions(context, folder, outcome.entries());
            // the platform starts them when it reaches their start level, after this returns
            failures = installed::frameworkEvent;
            context.addFrameworkListener(failures);
            extensions = installed;
            health = installed::health;
        } catch (IOException | RuntimeException e) {
            // never stops the platform: it starts without extensions, and says why
            LOG.error("the extensions in {} cannot be read: {}", folder, e.toString());
            extensions = new InstalledExtensions(context, folder, List.of());
            HealthResult result = HealthResult.warn("the extensions in " + folder + " cannot be read: " + e);
            health = () -> result;
        }
        registry = context.registerService(ExtensionRegistry.class, extensions, null);
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(HealthCheck.NAME, "extensions");
        properties.put(HealthCheck.TAGS, "extensions");
        check = context.registerService(HealthCheck.class, health, properties);
    }

    @Override
    public void stop(BundleContext context) {
        if (failures != null) {
            context.removeFrameworkListener(failures);
        }
        check.unregister();
        registry.unregister(); // the extensions stay installed: the next start reconciles them
    }

    /**
     * Whether this framework runs the workbench's UI: it has SWT. The command line's framework leaves the UI bundles
     * out; there a jar that needs only them is for the workbench.
     */
    static boolean hasWorkbenchUi(BundleContext context) {
        for (Bundle b : context.getBundles()) {
            if ("org.eclipse.swt".equals(b.getSymbolicName()) && b.getState() != Bundle.UNINSTALLED) {
                return true;
            }
        }
        return false;
    }

    /**
     * The folder: the framework property {@value #FOLDER_PROPERTY}, else {@code extensions} in the data folder, found
     * as the configuration files' bundle finds it ({@code comfy.workbench.data}, else the instance area, else
     * {@code ~/.comfy-workbench}).
     */
    static Path folder(BundleContext context) {
        String folder = context.getProperty(FOLDER_PROPERTY);
        if (folder != null && !folder.isBlank()) {
            return Paths.get(folder).toAbsolutePath();
        }
        String data = context.getProperty("comfy.workbench.data");
        if (data != null && !data.isBlank()) {
            return Paths.get(data).toAbsolutePath().resolve("extensions");
        }
        String instance = context.getProperty("osgi.instance.area");
        if (instance != null && instance.startsWith("file:")) {
            try {
                return Paths.get(URI.create(instance.replace(" ", "%20"))).toAbsolutePath().resolve("extensions");
            } catch (IllegalArgumentException e) {
                // not a plain file URL: the default below
            }
        }
        return Paths.get(System.getProperty("user.home"), ".comfy-workbench", "extensions");
    }
}
