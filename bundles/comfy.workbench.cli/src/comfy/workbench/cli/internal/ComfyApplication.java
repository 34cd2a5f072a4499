package comfy.workbench.cli.internal;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.eclipse.equinox.app.IApplication;
import org.eclipse.equinox.app.IApplicationContext;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * The {@code comfy} application: waits for the {@link Cli} service (it needs the queue, which needs the data folder)
 * and runs the command. When the services do not come up, it says why: most often another process holds the data
 * folder's job store.
 */
public final class ComfyApplication implements IApplication {

    private static final long SERVICE_WAIT_SECONDS = 20;

    @Override
    public Object start(IApplicationContext context) throws Exception {
        String[] args = (String[]) context.getArguments().getOrDefault(IApplicationContext.APPLICATION_ARGS,
                new String[0]);
        context.applicationRunning();
        BundleContext bundles = FrameworkUtil.getBundle(getClass()).getBundleContext();
        PrintStream out = System.out;
        PrintStream err = System.err;
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help")) {
            out.println(Cli.USAGE);
            return args.length == 0 ? Cli.EXIT_USAGE : IApplication.EXIT_OK;
        }
        Cli cli = await(bundles, Cli.class);
        if (cli == null) {
            err.println("comfy: the workbench services did not start: " + whyNot(bundles));
            return Cli.EXIT_USAGE;
        }
        try (BufferedStdout buffered = new BufferedStdout()) {
            return cli.run(args, buffered.stream(), err);
        }
    }

    @Override
    public void stop() {
        // the command ends by itself; nothing to interrupt
    }

    private static <T> T await(BundleContext context, Class<T> type) throws InterruptedException {
        CountDownLatch registered = new CountDownLatch(1);
        ServiceListener listener = event -> {
            if (event.getType() == ServiceEvent.REGISTERED) {
                registered.countDown();
            }
        };
        try {
            context.addServiceListener(listener, "(objectClass=" + type.getName() + ")");
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SERVICE_WAIT_SECONDS);
            ServiceReference<T> ref = context.getServiceReference(type);
            while (ref == null && System.nanoTime() < deadline) {
                // wake on the registration, or every so often to see whether a component failed for good
                registered.await(250, TimeUnit.MILLISECONDS);
                ref = context.getServiceReference(type);
                if (ref == null && whyNot(context).contains("in use by another process")) {
                    return null;
                }
            }
            return ref == null ? null : context.getService(ref);
        } finally {
            context.removeServiceListener(listener);
        }
    }

    /** The failure of the queue component, or of any component that did not activate. */
    private static String whyNot(BundleContext context) {
        ServiceReference<ServiceComponentRuntime> ref = context.getServiceReference(ServiceComponentRuntime.class);
        if (ref == null) {
            return "Declarative Services is not running";
        }
        ServiceComponentRuntime scr = context.getService(ref);
        StringBuilder why = new StringBuilder();
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
            for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                if (c.state == ComponentConfigurationDTO.FAILED_ACTIVATION && c.failure != null) {
                    // the cause's message is deeper in the trace than the first line
                    String first = c.failure.lines().filter(l -> l.contains("in use by another process")).findFirst()
                            .orElse(c.failure.lines().filter(l -> !l.isBlank()).findFirst().orElse(c.failure)).strip();
                    why.append(why.length() == 0 ? "" : "; ").append(d.name).append(": ").append(first);
                }
            }
        }
        if (why.indexOf("in use by another process") >= 0) {
            return "the data folder is in use by another comfy or workbench process (" + why + ")";
        }
        return why.length() == 0 ? "no component reported a failure (see the log)" : why.toString();
    }


}
