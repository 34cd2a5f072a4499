package comfy.workbench.extensions.tests.samples;

import java.util.Hashtable;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

import comfy.workbench.manager.api.HealthCheck;
import comfy.workbench.manager.api.HealthResult;

/** An extension's activator that plugs in as the platform's bundles do: a health check named after its bundle. */
public final class HealthCheckActivator implements BundleActivator {

    @Override
    public void start(BundleContext context) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(HealthCheck.NAME, "sample " + context.getBundle().getSymbolicName() + " "
                + context.getBundle().getVersion());
        context.registerService(HealthCheck.class, () -> HealthResult.ok("fine"), properties);
    }

    @Override
    public void stop(BundleContext context) {
        // its service goes with it
    }
}
