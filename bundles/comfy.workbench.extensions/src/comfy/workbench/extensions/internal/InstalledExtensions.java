package comfy.workbench.extensions.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import comfy.workbench.extensions.api.Extension;
import comfy.workbench.extensions.api.ExtensionRegistry;
import comfy.workbench.extensions.api.ExtensionState;
import comfy.workbench.manager.api.HealthResult;

/**
 * The registry: the outcome of the reconciliation at start, with each bundle's state read when asked, and the start
 * failures the framework reported since (the platform starts the extensions when it reaches their start level, after
 * the reconciliation, so an activator that throws is heard of as a framework event).
 */
final class InstalledExtensions implements ExtensionRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(InstalledExtensions.class);

    private final BundleContext context;
    private final Path folder;
    private final List<ExtensionInstaller.Entry> entries;
    private final Map<Long, String> startFailures = new ConcurrentHashMap<>();

    InstalledExtensions(BundleContext context, Path folder, List<ExtensionInstaller.Entry> entries) {
        this.context = context;
        this.folder = folder;
        this.entries = List.copyOf(entries);
    }

    /** Remembers a start failure the framework reported for one of the extensions. */
    void frameworkEvent(FrameworkEvent event) {
        Bundle bundle = event.getBundle();
        if (event.getType() == FrameworkEvent.ERROR && bundle != null
                && bundle.getLocation().startsWith(ExtensionInstaller.LOCATION_PREFIX)) {
            String problem = "did not start: " + ExtensionInstaller.message(event.getThrowable());
            startFailures.put(bundle.getBundleId(), problem);
            // logged as the installer logs the problems it finds itself: by the jar's file name, which the user knows
            String file = entries.stream().filter(e -> e.bundleId() == bundle.getBundleId()).map(e -> e.jar().file())
                    .findFirst().orElse(bundle.getLocation());
            LOG.error("the extension {} ({} {}) {}", file, bundle.getSymbolicName(), bundle.getVersion(), problem);
        }
    }

    @Override
    public Path folder() {
        return folder;
    }

    @Override
    public List<Extension> extensions() {
        List<Extension> result = new ArrayList<>();
        for (ExtensionInstaller.Entry e : entries) {
            result.add(describe(e));
        }
        return List.copyOf(result);
    }

    private Extension describe(ExtensionInstaller.Entry e) {
        String file = e.jar().file();
        String version = e.jar().version() == null ? "" : e.jar().version().toString();
        if (e.bundleId() < 0) {
            return new Extension(file, e.jar().symbolicName(), version, ExtensionState.REJECTED, e.problem(), -1);
        }
        Bundle bundle = context.getBundle(e.bundleId());
        if (bundle == null || bundle.getState() == Bundle.UNINSTALLED) {
            return new Extension(file, e.jar().symbolicName(), version, ExtensionState.REJECTED,
                    "uninstalled since the platform started", e.bundleId());
        }
        // the framework's later start failure says more than the reconciliation knew, except for a requirement
        // nobody provides, which the reconciliation names more plainly than the resolver's report
        String failure = startFailures.getOrDefault(bundle.getBundleId(), e.problem());
        ExtensionState state;
        String problem = "";
        switch (bundle.getState()) {
        case Bundle.ACTIVE -> {
            // a bundle of Declarative Services components runs, yet does nothing when its component cannot activate
            String component = failedComponent(bundle);
            state = component.isEmpty() ? ExtensionState.ACTIVE : ExtensionState.FAILED;
            problem = component;
        }
        case Bundle.STARTING -> {
            if (bundle.getHeaders("").get(Constants.BUNDLE_ACTIVATIONPOLICY) != null) {
                state = ExtensionState.LAZY;
            } else if (!failure.isEmpty()) {
                // its activator runs again after failing (the framework's start-level thread starts a bundle marked
                // to start when its start level is set): failed until a start succeeds, not active while it tries
                state = ExtensionState.FAILED;
                problem = failure;
            } else {
                state = ExtensionState.ACTIVE;
            }
        }
        case Bundle.INSTALLED -> {
            if (e.workbenchOnly()) {
                return new Extension(file, bundle.getSymbolicName(), bundle.getVersion().toString(),
                        ExtensionState.WORKBENCH_ONLY, "", bundle.getBundleId());
            }
            state = ExtensionState.UNRESOLVED;
            problem = !e.problem().isEmpty() ? e.problem() : failure.isEmpty() ? "does not resolve" : failure;
        }
        default -> {
            if (!failure.isEmpty()) {
                state = ExtensionState.FAILED;
                problem = failure;
            } else if (waitingForStartLevel(bundle)) {
                state = ExtensionState.WAITING;
            } else {
                state = ExtensionState.STOPPED;
                problem = "stopped";
            }
        }
        }
        return new Extension(file, bundle.getSymbolicName(), bundle.getVersion().toString(), state, problem,
                bundle.getBundleId());
    }

    /** The first of the bundle's components whose activation failed, and why; empty when none did (or no SCR). */
    private String failedComponent(Bundle bundle) {
        ServiceReference<ServiceComponentRuntime> ref = context.getServiceReference(ServiceComponentRuntime.class);
        ServiceComponentRuntime scr = ref == null ? null : context.getService(ref);
        if (scr == null) {
            return "";
        }
        try {
            for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs(bundle)) {
                for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                    if (c.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
                        String failure = c.failure == null ? "" : c.failure.lines().findFirst().orElse("").strip();
                        return "its component " + d.name + " failed to activate" + (failure.isEmpty() ? "" : ": " + failure);
                    }
                }
            }
            return "";
        } finally {
            context.ungetService(ref);
        }
    }

    private boolean waitingForStartLevel(Bundle bundle) {
        BundleStartLevel level = bundle.adapt(BundleStartLevel.class);
        return level.isPersistentlyStarted()
                && level.getStartLevel() > context.getBundle(0).adapt(FrameworkStartLevel.class).getStartLevel();
    }

    /**
     * The health check "extensions": OK when every jar runs or is for the workbench only (listed apart), WARN naming
     * each that does not run and why.
     */
    HealthResult health() {
        List<Extension> all = extensions();
        if (all.isEmpty()) {
            return HealthResult.ok("no extensions (" + folder + ")");
        }
        List<Extension> running = all.stream().filter(Extension::running).toList();
        String names = running.stream().map(x -> x.symbolicName() + " " + x.version()
                + (x.state() == ExtensionState.WAITING ? " (waiting for its start level)" : ""))
                .collect(Collectors.joining(", "));
        String active = running.size() + (running.size() == 1 ? " extension" : " extensions") + " active"
                + (running.isEmpty() ? "" : ": " + names);
        List<Extension> workbench = all.stream().filter(x -> x.state() == ExtensionState.WORKBENCH_ONLY).toList();
        if (!workbench.isEmpty()) {
            active += "; " + workbench.size() + " for the workbench only: " + workbench.stream()
                    .map(x -> x.symbolicName() + " " + x.version()).collect(Collectors.joining(", "));
        }
        List<Extension> broken = all.stream()
                .filter(x -> !x.running() && x.state() != ExtensionState.WORKBENCH_ONLY).toList();
        if (broken.isEmpty()) {
            return HealthResult.ok(active);
        }
        return HealthResult.warn(broken.size() + " of " + all.size() + " extension jars in " + folder
                + " not running (fix or remove them and restart): "
                + broken.stream().map(x -> x.file() + " " + x.state() + ": " + x.problem()).collect(Collectors.joining("; "))
                + "; " + active);
    }
}
