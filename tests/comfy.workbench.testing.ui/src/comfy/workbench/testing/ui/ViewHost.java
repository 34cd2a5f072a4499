package comfy.workbench.testing.ui;

import org.eclipse.e4.core.contexts.ContextInjectionFactory;
import org.eclipse.e4.core.contexts.EclipseContextFactory;
import org.eclipse.e4.core.contexts.IEclipseContext;
import org.eclipse.e4.ui.di.UISynchronize;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.osgi.framework.BundleContext;

/**
 * What a view test makes its part in, as the workbench would give it: a display, an Eclipse context over the OSGi
 * services with that display's {@link DisplaySynchronize}, made the default for injection, and a shell per test to
 * hold the part. Closing disposes them and clears the default.
 */
public final class ViewHost implements AutoCloseable {

    private final Display display;
    private final DisplaySynchronize sync;
    private final IEclipseContext services;

    private ViewHost(Display display, DisplaySynchronize sync, IEclipseContext services) {
        this.display = display;
        this.sync = sync;
        this.services = services;
    }

    /** Opens a display and a context named so over the services of the test bundle's context. */
    public static ViewHost open(BundleContext bundleContext, String name) {
        Display display = new Display();
        DisplaySynchronize sync = new DisplaySynchronize(display);
        IEclipseContext services = EclipseContextFactory.getServiceContext(bundleContext).createChild(name);
        services.set(UISynchronize.class, sync);
        ContextInjectionFactory.setDefault(services);
        return new ViewHost(display, sync, services);
    }

    public Display display() {
        return display;
    }

    public DisplaySynchronize sync() {
        return sync;
    }

    public IEclipseContext services() {
        return services;
    }

    /** A new shell of this title and size, filled by the composite returned for the part (not yet open). */
    public static Composite shell(Display display, String title, int width, int height) {
        Shell shell = new Shell(display);
        shell.setText(title);
        shell.setLayout(new FillLayout());
        shell.setSize(width, height);
        return new Composite(shell, SWT.NONE);
    }

    @Override
    public void close() {
        ContextInjectionFactory.setDefault(null);
        services.dispose();
        display.dispose();
    }
}
