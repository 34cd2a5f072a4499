package comfy.workbench.extensions.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.Version;
import org.osgi.framework.namespace.BundleNamespace;
import org.osgi.framework.namespace.ExecutionEnvironmentNamespace;
import org.osgi.framework.namespace.HostNamespace;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.resource.Namespace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles the framework's installed bundles with a folder of jars: a new jar is installed, a jar whose content
 * changed is updated, the bundle of a jar that is gone is uninstalled, then they are refreshed, resolved and started
 * (persistently, at {@link #START_LEVEL}). The framework keeps installed bundles across restarts, which is why this
 * is a reconciliation and not an install: an unchanged jar keeps its bundle (and its bundle id and data).
 *
 * <p>A jar that cannot be used never stops the others: it is reported with what is wrong in the
 * {@link Outcome}. The bundles this installed are told apart by their location ({@link #LOCATION_PREFIX} and the file
 * name); the SHA-256 of the content each was installed from is kept in a small state file.
 */
final class ExtensionInstaller {

    private static final Logger LOG = LoggerFactory.getLogger(ExtensionInstaller.class);

    /** The location of a bundle installed from the folder: this prefix and the jar's file name. */
    static final String LOCATION_PREFIX = "comfy-extension:";
    /** The platform's own components start at this level; extensions start with them. */
    static final int START_LEVEL = 4;
    /** A refresh of a few bundles takes milliseconds; one that takes this long is stuck, and start-up goes on. */
    private static final Duration REFRESH_TIMEOUT = Duration.ofSeconds(60);

    /**
     * The names (package or bundle, and what is under them) that only the workbench's UI provides: what our own view
     * bundles require, and what the command line's framework leaves out with them (see the product's {@code comfy}
     * script). A jar that lacks nothing else is made for the workbench.
     */
    static final List<String> WORKBENCH_UI = List.of("org.eclipse.swt", "org.eclipse.jface", "org.eclipse.e4",
            "org.eclipse.emf", "org.eclipse.core.commands", "org.eclipse.core.expressions",
            "org.eclipse.core.databinding", "jakarta.inject", "jakarta.annotation", "comfy.workbench.ui",
            "comfy.workbench.app");

    /**
     * What a jar became.
     *
     * @param jar           what was read from it
     * @param bundleId      the bundle installed from it, or -1
     * @param problem       what is wrong (rejected, unresolved, failed to start); empty when nothing is
     * @param workbenchOnly it needs only the workbench's UI, which this framework does not have: left unstarted here,
     *                      and no problem
     */
    record Entry(ExtensionJar jar, long bundleId, String problem, boolean workbenchOnly) {

        Entry(ExtensionJar jar, long bundleId, String problem) {
            this(jar, bundleId, problem, false);
        }
    }

    /** What one reconciliation did: every jar's entry, in file name order, and the files installed, updated, removed. */
    record Outcome(List<Entry> entries, List<String> installed, List<String> updated, List<String> uninstalled) {

        Entry entry(String file) {
            return entries.stream().filter(e -> e.jar().file().equals(file)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no jar " + file + " in " + entries));
        }
    }

    private final BundleContext context;
    private final Path stateFile;
    private final boolean workbenchUi;

    /**
     * @param context     the context to install bundles with
     * @param stateFile   where the SHA-256 of each installed jar is kept (in the framework's storage, which keeps the
     *                    bundles: the two go together)
     * @param workbenchUi whether this framework runs the workbench's UI (it has SWT); when it does not (the command
     *                    line), a jar that lacks only the UI is for the workbench, not a problem
     */
    ExtensionInstaller(BundleContext context, Path stateFile, boolean workbenchUi) {
        this.context = context;
        this.stateFile = stateFile;
        this.workbenchUi = workbenchUi;
    }

    static String location(String file) {
        return LOCATION_PREFIX + file;
    }

    Outcome reconcile(Path folder) throws IOException {
        Map<String, Bundle> ours = new HashMap<>();
        for (Bundle b : context.getBundles()) {
            if (b.getLocation().startsWith(LOCATION_PREFIX)) {
                ours.put(b.getLocation(), b);
            }
        }
        List<Path> jars = jars(folder);
        List<String> present = jars.stream().map(j -> location(j.getFileName().toString())).toList();
        Changes changes = new Changes(load());
        // the bundles of jars that are gone go first, so that a jar renamed is not a duplicate of its old bundle
        for (Map.Entry<String, Bundle> e : Map.copyOf(ours).entrySet()) {
            if (!present.contains(e.getKey())) {
                changes.uninstall(e.getValue(), "its jar is no longer in " + folder);
                ours.remove(e.getKey());
            }
        }
        List<Entry> entries = new ArrayList<>();
        Map<String, String> accepted = new HashMap<>(); // symbolic name and version -> file
        for (Path jar : jars) {
            entries.add(place(jar, ours.get(location(jar.getFileName().toString())), accepted, changes));
        }
        save(changes.hashes);
        refresh(changes.toRefresh);
        return new Outcome(start(entries), changes.installed, changes.updated, changes.uninstalled);
    }

    /** What one reconciliation changed, and the SHA-256 of each jar installed, by location, as they become. */
    private static final class Changes {
        final Properties hashes;
        final List<String> installed = new ArrayList<>();
        final List<String> updated = new ArrayList<>();
        final List<String> uninstalled = new ArrayList<>();
        final List<Bundle> toRefresh = new ArrayList<>();

        Changes(Properties hashes) {
            this.hashes = hashes;
        }

        void uninstall(Bundle bundle, String why) {
            String location = bundle.getLocation();
            try {
                bundle.uninstall();
                toRefresh.add(bundle);
                LOG.info("uninstalled the extension bundle {} ({}): {}", bundle.getSymbolicName(), location, why);
            } catch (BundleException | IllegalStateException e) {
                LOG.error("the extension bundle {} cannot be uninstalled: {}", location, message(e));
            }
            uninstalled.add(location.substring(LOCATION_PREFIX.length()));
            hashes.remove(location);
        }
    }

    /** Installs, updates or keeps the bundle of one jar, or says why it cannot; before anything is started. */
    private Entry place(Path path, Bundle existing, Map<String, String> accepted, Changes changes) {
        String file = path.getFileName().toString();
        String location = location(file);
        ExtensionJar jar;
        try {
            jar = ExtensionJar.read(path);
        } catch (IOException e) {
            jar = new ExtensionJar(file, "", "", null, "cannot be read: " + e);
        }
        String problem = jar.usable() ? duplicate(jar, location, accepted) : jar.problem();
        if (!problem.isEmpty()) {
            LOG.error("the extension {} is not installed: {}", path, problem);
            if (existing != null) {
                // the folder says what runs: an earlier, good version of the jar does not stay behind
                changes.uninstall(existing, "its jar is now unusable");
            }
            return new Entry(jar, -1, problem);
        }
        accepted.put(key(jar.symbolicName(), jar.version()), file);
        try {
            Bundle bundle = existing;
            if (existing == null) {
                try (InputStream in = Files.newInputStream(path)) {
                    bundle = context.installBundle(location, in);
                }
                changes.installed.add(file);
                LOG.info("installed the extension {} ({} {})", file, jar.symbolicName(), jar.version());
            } else if (!jar.sha256().equals(changes.hashes.getProperty(location))) {
                try (InputStream in = Files.newInputStream(path)) {
                    bundle.update(in);
                }
                changes.toRefresh.add(bundle);
                changes.updated.add(file);
                LOG.info("updated the extension {} ({} {})", file, jar.symbolicName(), jar.version());
            }
            changes.hashes.setProperty(location, jar.sha256());
            return new Entry(jar, bundle.getBundleId(), "");
        } catch (BundleException | IOException | RuntimeException e) {
            String why = "the framework refused it: " + message(e);
            LOG.error("the extension {} is not installed: {}", path, why);
            if (existing != null && existing.getState() != Bundle.UNINSTALLED) {
                changes.uninstall(existing, "its new content was refused");
            }
            changes.hashes.remove(location);
            return new Entry(jar, -1, why);
        }
    }

    /** Why the jar duplicates a bundle already there, or empty. */
    private String duplicate(ExtensionJar jar, String location, Map<String, String> accepted) {
        String key = key(jar.symbolicName(), jar.version());
        if (accepted.containsKey(key)) {
            return "a duplicate: " + accepted.get(key) + " is the same bundle (" + key + ")";
        }
        for (Bundle b : context.getBundles()) {
            if (b.getState() != Bundle.UNINSTALLED && !b.getLocation().equals(location)
                    && jar.symbolicName().equals(b.getSymbolicName()) && jar.version().equals(b.getVersion())) {
                return "a duplicate: the platform already has " + key + (b.getLocation().startsWith(LOCATION_PREFIX)
                        ? " from " + b.getLocation().substring(LOCATION_PREFIX.length()) : " (bundle " + b.getBundleId() + ")");
            }
        }
        return "";
    }

    private static String key(String symbolicName, Version version) {
        return symbolicName + " " + version;
    }

    /**
     * Refreshes the bundles updated or uninstalled (and those wired to them), waiting for the framework to say it is
     * done: until then the old revisions are still in use.
     */
    private void refresh(Collection<Bundle> bundles) {
        if (bundles.isEmpty()) {
            return;
        }
        CountDownLatch done = new CountDownLatch(1);
        FrameworkListener listener = event -> {
            if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED) {
                done.countDown();
            } else if (event.getType() == FrameworkEvent.ERROR) {
                LOG.error("refreshing the extensions: {}", message(event.getThrowable()));
            }
        };
        context.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(bundles, listener);
        try {
            if (!done.await(REFRESH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.error("the framework did not finish refreshing the extensions within {}; going on", REFRESH_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Resolves the installed bundles and starts them; the entries with what went wrong. */
    private List<Entry> start(List<Entry> entries) {
        List<Bundle> bundles = entries.stream().filter(e -> e.bundleId() >= 0).map(e -> context.getBundle(e.bundleId()))
                .toList();
        if (!bundles.isEmpty()) {
            context.getBundle(0).adapt(FrameworkWiring.class).resolveBundles(bundles);
        }
        List<Entry> result = new ArrayList<>();
        for (Entry e : entries) {
            Bundle bundle = e.bundleId() < 0 ? null : context.getBundle(e.bundleId());
            if (bundle == null) {
                result.add(e);
                continue;
            }
            String problem = "";
            try {
                bundle.adapt(BundleStartLevel.class).setStartLevel(START_LEVEL);
                if (bundle.getState() == Bundle.INSTALLED) {
                    List<BundleRequirement> missing = missing(bundle);
                    if (!workbenchUi && !missing.isEmpty()
                            && missing.stream().allMatch(ExtensionInstaller::onlyTheWorkbenchProvides)) {
                        // the command line has no UI: not started here (the framework would only fail to resolve it
                        // at every start), and a mark to start from an earlier run is taken away
                        bundle.stop();
                        LOG.info("the extension {} ({} {}) is for the workbench: not started without its UI ({})",
                                e.jar().file(), bundle.getSymbolicName(), bundle.getVersion(),
                                missing.stream().map(ExtensionInstaller::describe).collect(Collectors.joining(", ")));
                        result.add(new Entry(e.jar(), e.bundleId(), "", true));
                        continue;
                    }
                    problem = unresolved(missing);
                    // marked to start all the same (below): it starts once what it needs is there
                }
                // below its start level (while the platform starts) this only marks it; the framework starts it at 4
                bundle.start(Bundle.START_ACTIVATION_POLICY);
            } catch (BundleException | IllegalStateException e2) {
                if (problem.isEmpty()) {
                    problem = "did not start: " + message(e2);
                }
            }
            if (!problem.isEmpty()) {
                LOG.error("the extension {} ({} {}) {}", e.jar().file(), bundle.getSymbolicName(), bundle.getVersion(),
                        problem);
            }
            result.add(new Entry(e.jar(), e.bundleId(), problem));
        }
        return result;
    }

    /** The requirements of an unresolved bundle that nothing in the framework provides. */
    private List<BundleRequirement> missing(Bundle bundle) {
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        FrameworkWiring wiring = context.getBundle(0).adapt(FrameworkWiring.class);
        List<BundleRequirement> missing = new ArrayList<>();
        for (BundleRequirement r : revision.getDeclaredRequirements(null)) {
            String resolution = r.getDirectives().get(Namespace.REQUIREMENT_RESOLUTION_DIRECTIVE);
            String effective = r.getDirectives().get(Namespace.REQUIREMENT_EFFECTIVE_DIRECTIVE);
            if (Namespace.RESOLUTION_OPTIONAL.equals(resolution)
                    || (effective != null && !Namespace.EFFECTIVE_RESOLVE.equals(effective))
                    || PackageNamespace.RESOLUTION_DYNAMIC.equals(resolution)) {
                continue;
            }
            if (wiring.findProviders(r).isEmpty()) {
                missing.add(r);
            }
        }
        return missing;
    }

    /**
     * Names the requirements of an unresolved bundle that nothing in the framework provides; when each has a
     * provider, one of those does not resolve itself or a uses constraint conflicts.
     */
    private static String unresolved(List<BundleRequirement> missing) {
        if (missing.isEmpty()) {
            return "does not resolve: what it requires is installed but does not resolve itself, or its uses "
                    + "constraints conflict (the framework's log says which)";
        }
        return "does not resolve: nothing provides "
                + missing.stream().map(ExtensionInstaller::describe).collect(Collectors.joining(", "));
    }

    /** Whether a requirement is of a package or bundle that only the workbench's UI provides ({@link #WORKBENCH_UI}). */
    static boolean onlyTheWorkbenchProvides(BundleRequirement r) {
        if (!r.getNamespace().equals(PackageNamespace.PACKAGE_NAMESPACE)
                && !r.getNamespace().equals(BundleNamespace.BUNDLE_NAMESPACE)) {
            return false;
        }
        String name = name(r);
        return WORKBENCH_UI.stream().anyMatch(ui -> name.equals(ui) || name.startsWith(ui + "."));
    }

    /** The name a requirement asks for (its namespace's attribute in its filter), or empty. */
    private static String name(BundleRequirement r) {
        String filter = r.getDirectives().getOrDefault(Namespace.REQUIREMENT_FILTER_DIRECTIVE, "");
        Matcher name = Pattern.compile("\\(" + Pattern.quote(r.getNamespace()) + "=([^)]*)\\)").matcher(filter);
        return name.find() ? name.group(1) : "";
    }

    /** A requirement as its manifest header would say it, e.g. {@code Import-Package: org.example version>=1.0.0 <2.0.0}. */
    static String describe(BundleRequirement r) {
        String header = switch (r.getNamespace()) {
        case PackageNamespace.PACKAGE_NAMESPACE -> "Import-Package";
        case BundleNamespace.BUNDLE_NAMESPACE -> "Require-Bundle";
        case HostNamespace.HOST_NAMESPACE -> "Fragment-Host";
        case ExecutionEnvironmentNamespace.EXECUTION_ENVIRONMENT_NAMESPACE -> "Bundle-RequiredExecutionEnvironment";
        default -> "Require-Capability " + r.getNamespace();
        };
        String filter = r.getDirectives().getOrDefault(Namespace.REQUIREMENT_FILTER_DIRECTIVE, "");
        String name = name(r);
        if (name.isEmpty()) {
            return header + ": " + filter;
        }
        // (&(osgi.wiring.package=org.example)(version>=1.0.0)(!(version>=2.0.0))) reads as the name and its bounds
        StringBuilder text = new StringBuilder(header).append(": ").append(name);
        Matcher bound = Pattern.compile("(\\(!)?\\(((?:bundle-)?version)(>=|<=|=)([^)]*)\\)").matcher(filter);
        String attribute = "";
        while (bound.find()) {
            String op = bound.group(1) == null ? bound.group(3)
                    : switch (bound.group(3)) { case ">=" -> "<"; case "<=" -> ">"; default -> "!="; };
            text.append(' ').append(bound.group(2).equals(attribute) ? "" : bound.group(2)).append(op).append(bound.group(4));
            attribute = bound.group(2);
        }
        return text.toString();
    }

    static String message(Throwable e) {
        if (e == null) {
            return "";
        }
        String text = e.getMessage() == null ? e.toString() : e.getMessage().strip();
        Throwable cause = e.getCause();
        if (cause != null && cause != e) {
            // Equinox ends its sentence ("… of bundle x.") before the cause follows
            text = (text.endsWith(".") ? text.substring(0, text.length() - 1) : text) + ": " + cause;
        }
        // one line: the resolver's report spans several, and the message goes into a health check and a JSON line
        return text.replaceAll("\\s*\\R\\s*", "; ");
    }

    private static List<Path> jars(Path folder) throws IOException {
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(folder, "*.jar")) {
            for (Path p : dir) {
                if (Files.isRegularFile(p)) {
                    jars.add(p);
                }
            }
        } catch (NoSuchFileException e) {
            // no folder, no extensions (and those installed from it before are uninstalled)
        }
        jars.sort(null);
        return jars;
    }

    private Properties load() {
        Properties p = new Properties();
        if (stateFile != null && Files.isRegularFile(stateFile)) {
            try (InputStream in = Files.newInputStream(stateFile)) {
                p.load(in);
            } catch (IOException | IllegalArgumentException e) {
                // without the hashes every jar counts as changed: updated once, no harm
                LOG.warn("the extensions' state {} cannot be read ({}); every jar is updated", stateFile, e.toString());
                p.clear();
            }
        }
        return p;
    }

    private void save(Properties hashes) throws IOException {
        if (stateFile == null) {
            return;
        }
        Files.createDirectories(stateFile.getParent());
        Path temp = stateFile.resolveSibling(stateFile.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(temp)) {
            hashes.store(out, "SHA-256 of the jar each extension bundle was installed from, by bundle location");
        }
        try {
            Files.move(temp, stateFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, stateFile, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
