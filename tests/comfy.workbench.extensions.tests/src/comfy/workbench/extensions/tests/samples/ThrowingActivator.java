package comfy.workbench.extensions.tests.samples;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/** An extension's activator that fails, as one does that cannot find what it needs. */
public final class ThrowingActivator implements BundleActivator {

    @Override
    public void start(BundleContext context) {
        throw new IllegalStateException("the sample's licence server is unreachable");
    }

    @Override
    public void stop(BundleContext context) {
        // never started
    }
}
