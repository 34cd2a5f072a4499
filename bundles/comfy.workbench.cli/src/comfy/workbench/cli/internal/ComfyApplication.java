package comfy.workbench.cli.internal;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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

import com.google.gson.JsonObject;

import comfy.workbench.model.api.ComfyJson;

/**
 * The {@code comfy} application: waits for the {@link Cli} service (it needs the queue, which needs the data folder)
 * and runs the command. When the services do not come up, it says why: most often another process holds the data
 * folder's job store.
 */
public final class ComfyApplication implements IApplication {

    private static final long SERVICE_WAIT_SECONDS = 20;
    /** How the data folder's and the job store's locks say another process holds them. */
    private static final String IN_USE = "in use by another process";

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
            String why = "the workbench services did not start: " + whyNot(bundles);
            if (List.of(args).contains("--json")) {
                JsonObject line = new JsonObject();
                line.addProperty("event", "error");
                line.addProperty("kind", why.contains(IN_USE) ? "data_folder_in_use" : "services");
                line.addProperty("message", why);
                out.println(ComfyJson.write(line));
            } else {
                err.println("comfy: " + why);
                if (err.checkError()) {
                    // the framework's log, unable to write its file (a full disk), fell back to the console and
                    // closed standard error behind it: the one line that says why must still be seen
                    out.println("comfy: " + why);
                }
            }
            return why.contains(IN_USE) ? Cli.EXIT_BUSY : Cli.EXIT_USAGE;
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
                if (ref == null && whyNot(context).contains(IN_USE)) {
                    return null;
                }
            }
            return ref == null ? null : context.getService(ref);
        } finally {
            context.removeServiceListener(listener);
        }
    }

    /** How the JDK says a disk is full. */
    private static final String NO_SPACE = "No space left on device";

    /** Marks a configuration made from a configuration file (the configuration files' bundle sets it). */
    private static final String CONFIGURATION_FILE = "comfy.workbench.config.file";

    /** The configuration files' folder, as that bundle finds it for the command line. */
    private static Path configurationFolder(BundleContext context) {
        String folder = context.getProperty("comfy.workbench.config");
        if (folder != null && !folder.isBlank()) {
            return Path.of(folder);
        }
        String data = context.getProperty("comfy.workbench.data");
        return data != null && !data.isBlank() ? Path.of(data, "config") : Path.of("config");
    }

    /** The failure of the queue component, or of any component that did not activate. */
    private static String whyNot(BundleContext context) {
        ServiceReference<ServiceComponentRuntime> ref = context.getServiceReference(ServiceComponentRuntime.class);
        if (ref == null) {
            return "Declarative Services is not running";
        }
        ServiceComponentRuntime scr = context.getService(ref);
        List<String> failures = new ArrayList<>();
        List<String> followers = new ArrayList<>();
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
            for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                if (c.state == ComponentConfigurationDTO.FAILED_ACTIVATION && c.failure != null) {
                    Optional<String> inUse = c.failure.lines().filter(l -> l.contains(IN_USE)).findFirst();
                    if (inUse.isPresent()) {
                        // the one failure that matters: the others only follow from it
                        String line = inUse.get().strip();
                        int message = line.lastIndexOf("Exception: ");
                        return (message < 0 ? line : line.substring(message + "Exception: ".length()))
                                + ": another comfy or workbench runs on it (one process at a time)";
                    }
                    if (c.failure.contains(NO_SPACE)) {
                        // the one cause to tell: the rest follows from it, and the log that would say more cannot
                        // be written either
                        String data = context.getProperty("comfy.workbench.data");
                        return "the disk of the data folder" + (data == null ? "" : " " + data) + " is full ("
                                + d.name.substring(d.name.lastIndexOf('.') + 1) + " cannot write: " + NO_SPACE
                                + "): free some space and run the command again; nothing stored was lost";
                    }
                    // the first line is the InvocationTargetException around the activation's own failure
                    String cause = c.failure.lines().filter(l -> l.startsWith("Caused by: ")).findFirst()
                            .map(l -> l.substring("Caused by: ".length()))
                            .orElse(c.failure.lines().filter(l -> !l.isBlank()).findFirst().orElse(c.failure)).strip();
                    String failure = d.name + ": " + cause;
                    // a value of a configuration file the component refused (a range): say which file to fix
                    if (c.properties != null && c.properties.get(CONFIGURATION_FILE) instanceof String file) {
                        failure += " (its configuration is from the file " + configurationFolder(context).resolve(file)
                                + ": fix or remove it)";
                    }
                    // a component that failed only for want of another's service follows from that one's failure
                    (cause.contains("Unable to get service for reference") ? followers : failures).add(failure);
                }
            }
        }
        List<String> shown = failures.isEmpty() ? followers : failures;
        return shown.isEmpty() ? "no component reported a failure (see the log)" : String.join("; ", shown);
    }


}
