package comfy.workbench.extensions.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.startlevel.FrameworkStartLevel;

import comfy.workbench.extensions.api.Extension;
import comfy.workbench.extensions.api.ExtensionState;
import comfy.workbench.extensions.tests.samples.HealthCheckActivator;
import comfy.workbench.extensions.tests.samples.ThrowingActivator;
import comfy.workbench.extensions.tests.samples.ThrowingComponent;
import comfy.workbench.manager.api.HealthCheck;
import comfy.workbench.manager.api.HealthResult;
import comfy.workbench.manager.api.HealthStatus;
import comfy.workbench.testing.osgi.Osgi;

/** The extensions folder reconciled with the running framework. */
class ExtensionInstallerTest {

    private static final String CHECK_IMPORTS = "org.osgi.framework;version=\"[1.8,2)\","
            + "comfy.workbench.manager.api;version=\"[0.1,0.2)\"";

    @TempDir
    Path temp;

    private final BundleContext context = Osgi.context();

    private Path folder() throws Exception {
        return Files.createDirectories(temp.resolve("extensions"));
    }

    /** As in the command line's framework, which has no UI (whatever this test framework has). */
    private ExtensionInstaller installer() {
        return installer(false);
    }

    private ExtensionInstaller installer(boolean workbenchUi) {
        return new ExtensionInstaller(context, temp.resolve("state").resolve("installed.properties"), workbenchUi);
    }

    private InstalledExtensions reconcile() throws Exception {
        ExtensionInstaller.Outcome outcome = installer().reconcile(folder());
        return new InstalledExtensions(context, folder(), outcome.entries());
    }

    private static Map<String, Extension> byFile(InstalledExtensions registry) {
        return registry.extensions().stream().collect(Collectors.toMap(Extension::file, Function.identity()));
    }

    @AfterEach
    void uninstallWhatTheTestInstalled() throws Exception {
        try (var files = Files.list(folder())) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        installer().reconcile(folder()); // uninstalls them all, and refreshes
        List<String> left = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            if (b.getLocation().startsWith(ExtensionInstaller.LOCATION_PREFIX)) {
                left.add(b.getLocation());
                b.uninstall();
            }
        }
        assertEquals(List.of(), left, "every extension bundle is uninstalled when its jar is gone");
    }

    @Test
    void aNewJarIsInstalledAtTheExtensionsStartLevelAndStarted() throws Exception {
        TestJars.bundle("test.extension.plain", "1.0.0").writeTo(folder().resolve("plain.jar"));
        TestJars.bundle("test.extension.check", "2.1.0").activator(HealthCheckActivator.class, CHECK_IMPORTS)
                .writeTo(folder().resolve("check.jar"));

        ExtensionInstaller.Outcome outcome = installer().reconcile(folder());

        assertEquals(List.of("check.jar", "plain.jar"), outcome.installed());
        Bundle plain = context.getBundle(outcome.entry("plain.jar").bundleId());
        assertEquals("comfy-extension:plain.jar", plain.getLocation());
        assertEquals(Bundle.ACTIVE, plain.getState());
        assertEquals(4, plain.adapt(BundleStartLevel.class).getStartLevel());
        assertTrue(plain.adapt(BundleStartLevel.class).isPersistentlyStarted(), "started persistently");
        // the activator ran and its whiteboard service is there, as a platform bundle's would be
        ServiceReference<?>[] checks = context.getServiceReferences(HealthCheck.class.getName(),
                "(" + HealthCheck.NAME + "=sample test.extension.check 2.1.0)");
        assertNotNull(checks, "the extension's health check is registered");
        assertEquals(outcome.entry("check.jar").bundleId(), checks[0].getBundle().getBundleId());

        InstalledExtensions registry = new InstalledExtensions(context, folder(), outcome.entries());
        Extension check = byFile(registry).get("check.jar");
        assertEquals(new Extension("check.jar", "test.extension.check", "2.1.0", ExtensionState.ACTIVE, "",
                outcome.entry("check.jar").bundleId()), check);
        HealthResult health = registry.health();
        assertEquals(HealthStatus.OK, health.status());
        assertEquals("2 extensions active: test.extension.check 2.1.0, test.extension.plain 1.0.0", health.message());
    }

    @Test
    void anUnchangedJarKeepsItsBundle() throws Exception {
        Path jar = TestJars.bundle("test.extension.kept", "1.0.0").writeTo(folder().resolve("kept.jar"));
        long id = installer().reconcile(folder()).entry("kept.jar").bundleId();
        long modified = context.getBundle(id).getLastModified();

        Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        ExtensionInstaller.Outcome again = installer().reconcile(folder());

        assertEquals(List.of(), again.installed());
        assertEquals(List.of(), again.updated());
        assertEquals(id, again.entry("kept.jar").bundleId(), "the same bundle");
        assertEquals(modified, context.getBundle(id).getLastModified(), "not updated: a newer file time is no change");
        assertEquals(Bundle.ACTIVE, context.getBundle(id).getState());
    }

    @Test
    void aChangedJarUpdatesItsBundleToTheNewVersion() throws Exception {
        TestJars.bundle("test.extension.changing", "1.0.0").writeTo(folder().resolve("changing.jar"));
        long id = installer().reconcile(folder()).entry("changing.jar").bundleId();

        TestJars.bundle("test.extension.changing", "1.1.0").activator(HealthCheckActivator.class, CHECK_IMPORTS)
                .writeTo(folder().resolve("changing.jar"));
        ExtensionInstaller.Outcome outcome = installer().reconcile(folder());

        assertEquals(List.of("changing.jar"), outcome.updated());
        assertEquals(List.of(), outcome.installed());
        Bundle bundle = context.getBundle(id);
        assertEquals(id, outcome.entry("changing.jar").bundleId(), "updated in place, not installed again");
        assertEquals("1.1.0", bundle.getVersion().toString());
        assertEquals(Bundle.ACTIVE, bundle.getState());
        assertNotNull(context.getServiceReferences(HealthCheck.class.getName(),
                "(" + HealthCheck.NAME + "=sample test.extension.changing 1.1.0)"), "the new content runs");
    }

    @Test
    void aRemovedJarsBundleIsUninstalled() throws Exception {
        TestJars.bundle("test.extension.leaving", "1.0.0").writeTo(folder().resolve("leaving.jar"));
        TestJars.bundle("test.extension.staying", "1.0.0").writeTo(folder().resolve("staying.jar"));
        ExtensionInstaller.Outcome first = installer().reconcile(folder());
        long leaving = first.entry("leaving.jar").bundleId();
        long staying = first.entry("staying.jar").bundleId();

        Files.delete(folder().resolve("leaving.jar"));
        ExtensionInstaller.Outcome outcome = installer().reconcile(folder());

        assertEquals(List.of("leaving.jar"), outcome.uninstalled());
        assertNull(context.getBundle(leaving), "uninstalled");
        assertEquals(Bundle.ACTIVE, context.getBundle(staying).getState());
        assertEquals(1, outcome.entries().size());
    }

    @Test
    void eachBadJarIsNamedWithWhatIsWrongAndTheGoodOnesStillStart() throws Exception {
        Files.writeString(folder().resolve("notes.jar"), "this is a text file, not a zip");
        TestJars.library().writeTo(folder().resolve("library.jar"));
        TestJars.bundle("test.extension.needy", "1.0.0")
                .header("Import-Package", "org.nobody.exports.this;version=\"[1.0,2.0)\"")
                .writeTo(folder().resolve("needy.jar"));
        TestJars.bundle("test.extension.throwing", "1.0.0").activator(ThrowingActivator.class,
                "org.osgi.framework;version=\"[1.8,2)\"").writeTo(folder().resolve("throwing.jar"));
        TestJars.bundle("test.extension.good", "1.0.0").writeTo(folder().resolve("a-good.jar"));
        TestJars.bundle("test.extension.good", "1.0.0").writeTo(folder().resolve("b-copy-of-good.jar"));
        TestJars.bundle("comfy.workbench.extensions", context.getBundle().getVersion().toString())
                .writeTo(folder().resolve("platform-copy.jar"));
        TestJars.bundle("test.extension.fragment", "1.0.0").header("Fragment-Host", "comfy.workbench.extensions")
                .writeTo(folder().resolve("fragment.jar"));
        TestJars.bundle("test.extension.later", "1.0.0").activator(HealthCheckActivator.class, CHECK_IMPORTS)
                .writeTo(folder().resolve("z-good.jar"));

        InstalledExtensions registry = reconcile();
        Map<String, Extension> e = byFile(registry);

        assertEquals(ExtensionState.ACTIVE, e.get("a-good.jar").state());
        assertEquals(ExtensionState.ACTIVE, e.get("z-good.jar").state(), "a bad jar before it stops nothing");
        assertState(e, "notes.jar", ExtensionState.REJECTED, "not a jar (zip) file");
        assertState(e, "library.jar", ExtensionState.REJECTED, "not a bundle: its manifest has no Bundle-SymbolicName");
        assertState(e, "needy.jar", ExtensionState.UNRESOLVED,
                "does not resolve: nothing provides Import-Package: org.nobody.exports.this version>=1.0.0 <2.0.0");
        assertState(e, "throwing.jar", ExtensionState.FAILED, "the sample's licence server is unreachable");
        assertState(e, "b-copy-of-good.jar", ExtensionState.REJECTED,
                "a duplicate: a-good.jar is the same bundle (test.extension.good 1.0.0)");
        assertState(e, "platform-copy.jar", ExtensionState.REJECTED,
                "a duplicate: the platform already has comfy.workbench.extensions");
        assertState(e, "fragment.jar", ExtensionState.REJECTED, "a fragment (Fragment-Host: comfy.workbench.extensions)");
        assertEquals(-1, e.get("notes.jar").bundleId(), "nothing installed from it");

        HealthResult health = registry.health();
        assertEquals(HealthStatus.WARN, health.status());
        for (String file : List.of("notes.jar", "library.jar", "needy.jar", "throwing.jar", "b-copy-of-good.jar",
                "platform-copy.jar", "fragment.jar")) {
            assertTrue(health.message().contains(file + " "), file + " named in: " + health.message());
        }
        assertTrue(health.message().startsWith("7 of 9 extension jars in " + folder() + " not running"), health.message());
        assertTrue(health.message().endsWith(
                "2 extensions active: test.extension.good 1.0.0, test.extension.later 1.0.0"), health.message());
    }

    @Test
    void aGoodJarReplacedByABadOneTakesItsBundleWithIt() throws Exception {
        TestJars.bundle("test.extension.spoiled", "1.0.0").writeTo(folder().resolve("spoiled.jar"));
        long id = installer().reconcile(folder()).entry("spoiled.jar").bundleId();

        Files.writeString(folder().resolve("spoiled.jar"), "truncated");
        ExtensionInstaller.Outcome outcome = installer().reconcile(folder());

        assertNull(context.getBundle(id), "the folder says what runs: the old version does not stay behind");
        assertEquals(List.of("spoiled.jar"), outcome.uninstalled());
        assertTrue(outcome.entry("spoiled.jar").problem().startsWith("not a jar (zip) file"),
                outcome.entry("spoiled.jar").problem());
    }

    @Test
    void aLazyBundleIsStartedAndWaitsForItsFirstUse() throws Exception {
        // an activator that throws: had it run, the extension would be FAILED
        TestJars.bundle("test.extension.lazy", "1.0.0").activator(ThrowingActivator.class,
                "org.osgi.framework;version=\"[1.8,2)\"").header("Bundle-ActivationPolicy", "lazy")
                .writeTo(folder().resolve("lazy.jar"));

        Extension lazy = byFile(reconcile()).get("lazy.jar");

        assertEquals(ExtensionState.LAZY, lazy.state(), lazy.toString());
        assertTrue(lazy.running());
    }

    @Test
    void anActiveBundleWhoseComponentFailsToActivateIsAFailedExtension() throws Exception {
        TestJars.bundle("test.extension.component", "1.0.0").component(ThrowingComponent.class)
                .writeTo(folder().resolve("component.jar"));

        ExtensionInstaller.Outcome outcome = installer().reconcile(folder());
        InstalledExtensions registry = new InstalledExtensions(context, folder(), outcome.entries());
        assertEquals(Bundle.ACTIVE, context.getBundle(outcome.entry("component.jar").bundleId()).getState());

        // Service Component Runtime activates it on its own thread
        Osgi.await("the component's failure reported", () -> byFile(registry).get("component.jar").state()
                == ExtensionState.FAILED);
        Extension failed = byFile(registry).get("component.jar");
        assertEquals("its component " + ThrowingComponent.class.getName() + " failed to activate: "
                + "java.lang.IllegalStateException: the sample component's share is not mounted", failed.problem());
        HealthResult health = registry.health();
        assertEquals(HealthStatus.WARN, health.status());
        assertTrue(health.message().contains("component.jar FAILED: its component"), health.message());
    }

    @Test
    void aStartFailureTheFrameworkReportsLaterMakesTheExtensionFailed() throws Exception {
        // in the product the framework starts the extensions at level 4, after the reconciliation: an activator that
        // throws then is heard of as a framework event
        TestJars.bundle("test.extension.late", "1.0.0").writeTo(folder().resolve("late.jar"));
        ExtensionInstaller.Outcome outcome = installer().reconcile(folder());
        InstalledExtensions registry = new InstalledExtensions(context, folder(), outcome.entries());
        Bundle bundle = context.getBundle(outcome.entry("late.jar").bundleId());
        // stopped for good, not transiently: a bundle still marked to start can be started again by the framework's
        // start-level thread at any moment (a clean-clone run caught it ACTIVE again a moment later)
        bundle.stop();
        assertEquals(ExtensionState.STOPPED, byFile(registry).get("late.jar").state());

        registry.frameworkEvent(new FrameworkEvent(FrameworkEvent.ERROR, bundle,
                new BundleException("Exception in Activator.start()", new IllegalStateException("no licence"))));
        registry.frameworkEvent(new FrameworkEvent(FrameworkEvent.ERROR, context.getBundle(0),
                new BundleException("not about an extension")));

        Extension late = byFile(registry).get("late.jar");
        assertEquals(ExtensionState.FAILED, late.state());
        assertEquals("did not start: Exception in Activator.start(): java.lang.IllegalStateException: no licence",
                late.problem());
        assertEquals(HealthStatus.WARN, registry.health().status());
    }

    @Test
    void anExtensionAboveTheFrameworksStartLevelIsWaiting() throws Exception {
        TestJars.bundle("test.extension.patient", "1.0.0").writeTo(folder().resolve("patient.jar"));
        ExtensionInstaller.Outcome outcome = installer().reconcile(folder());
        Bundle bundle = context.getBundle(outcome.entry("patient.jar").bundleId());
        int framework = context.getBundle(0).adapt(FrameworkStartLevel.class).getStartLevel();

        // as while the platform starts: the framework is below the extensions' level, which stops the bundle
        bundle.adapt(BundleStartLevel.class).setStartLevel(framework + 1);
        Osgi.await("the framework stops the bundle above its start level", () -> bundle.getState() == Bundle.RESOLVED);

        Extension patient = byFile(new InstalledExtensions(context, folder(), outcome.entries())).get("patient.jar");
        assertEquals(ExtensionState.WAITING, patient.state());
        assertTrue(patient.running(), "waiting is not a problem");
    }

    @Test
    void anExtensionMayUseAnotherAndLosesItWhenItsJarIsRemoved() throws Exception {
        // named so that the user comes before the provider: the order of the files is not the order of resolution
        TestJars.bundle("test.extension.provider", "1.0.0")
                .header("Export-Package", "test.extension.shared;version=\"1.0.0\"").writeTo(folder().resolve("b.jar"));
        TestJars.bundle("test.extension.user", "1.0.0")
                .header("Import-Package", "test.extension.shared;version=\"[1.0,2.0)\"").writeTo(folder().resolve("a.jar"));
        Map<String, Extension> both = byFile(reconcile());
        assertEquals(ExtensionState.ACTIVE, both.get("a.jar").state(), both.toString());
        assertEquals(ExtensionState.ACTIVE, both.get("b.jar").state(), both.toString());

        Files.delete(folder().resolve("b.jar"));
        Map<String, Extension> left = byFile(reconcile());

        // the refresh took the user's wiring to the provider away: it no longer resolves, and says what it misses
        assertState(left, "a.jar", ExtensionState.UNRESOLVED,
                "nothing provides Import-Package: test.extension.shared version>=1.0.0 <2.0.0");
        assertEquals(both.get("a.jar").bundleId(), left.get("a.jar").bundleId(), "the same bundle");
    }

    /**
     * A view for the workbench, as our own view bundles declare theirs; the versions are ones nothing provides, so
     * that it lacks the UI in this test framework too, whatever that has.
     */
    private static TestJars viewForTheWorkbench(String symbolicName) {
        return TestJars.bundle(symbolicName, "1.0.0")
                .header("Require-Bundle", "org.eclipse.swt;bundle-version=\"[99.0.0,100.0.0)\","
                        + "org.eclipse.jface;bundle-version=\"[99.0.0,100.0.0)\"")
                .header("Import-Package", "comfy.workbench.ui.common;version=\"[99.0.0,100.0.0)\","
                        + "jakarta.inject;version=\"[99.0.0,100.0.0)\",org.eclipse.e4.ui.di;version=\"[99.0.0,100.0.0)\","
                        + "org.eclipse.e4.core.di.extensions;version=\"[99.0.0,100.0.0)\","
                        + "org.osgi.framework;version=\"[1.8,2)\"");
    }

    @Test
    void aJarThatLacksOnlyTheWorkbenchsUiIsForTheWorkbenchWhereThereIsNoUi() throws Exception {
        viewForTheWorkbench("test.extension.view").writeTo(folder().resolve("view.jar"));
        TestJars.bundle("test.extension.plain", "1.0.0").writeTo(folder().resolve("plain.jar"));

        // where the UI is (the workbench), what it lacks is a problem: it is marked to start, and does not resolve
        ExtensionInstaller.Outcome withUi = installer(true).reconcile(folder());
        InstalledExtensions workbench = new InstalledExtensions(context, folder(), withUi.entries());
        assertState(byFile(workbench), "view.jar", ExtensionState.UNRESOLVED,
                "Require-Bundle: org.eclipse.swt bundle-version>=99.0.0 <100.0.0");
        assertEquals(HealthStatus.WARN, workbench.health().status());
        long id = withUi.entry("view.jar").bundleId();
        assertTrue(context.getBundle(id).adapt(BundleStartLevel.class).isPersistentlyStarted());

        // in the command line (no UI) the same bundle is for the workbench: no problem, not started, listed apart
        ExtensionInstaller.Outcome withoutUi = installer(false).reconcile(folder());
        InstalledExtensions commandLine = new InstalledExtensions(context, folder(), withoutUi.entries());
        Extension view = byFile(commandLine).get("view.jar");
        assertEquals(new Extension("view.jar", "test.extension.view", "1.0.0", ExtensionState.WORKBENCH_ONLY, "", id),
                view, "the same bundle, nothing wrong with it");
        assertEquals(Bundle.INSTALLED, context.getBundle(id).getState());
        assertTrue(!context.getBundle(id).adapt(BundleStartLevel.class).isPersistentlyStarted(),
                "the earlier mark to start is taken away: the framework does not try to resolve it at every start");
        assertTrue(!view.running());
        HealthResult health = commandLine.health();
        assertEquals(HealthStatus.OK, health.status(), health.message());
        assertEquals("1 extension active: test.extension.plain 1.0.0; 1 for the workbench only: test.extension.view 1.0.0",
                health.message());
    }

    @Test
    void aJarThatLacksMoreThanTheUiIsUnresolvedEvenWithoutUi() throws Exception {
        viewForTheWorkbench("test.extension.needy.view")
                .header("Import-Package", "jakarta.inject;version=\"[99.0.0,100.0.0)\","
                        + "org.nobody.exports.this;version=\"[1.0,2.0)\"")
                .writeTo(folder().resolve("needy-view.jar"));
        // a name that only looks like the UI's: SWTBot is no part of the workbench
        TestJars.bundle("test.extension.lookalike", "1.0.0")
                .header("Import-Package", "org.eclipse.swtbot.swt.finder;version=\"[99.0.0,100.0.0)\"")
                .writeTo(folder().resolve("lookalike.jar"));
        TestJars.bundle("test.extension.view", "1.0.0").writeTo(folder().resolve("view.jar"));

        InstalledExtensions registry = reconcile();
        Map<String, Extension> e = byFile(registry);

        assertState(e, "needy-view.jar", ExtensionState.UNRESOLVED,
                "Require-Bundle: org.eclipse.swt bundle-version>=99.0.0 <100.0.0");
        assertState(e, "needy-view.jar", ExtensionState.UNRESOLVED,
                "Import-Package: org.nobody.exports.this version>=1.0.0 <2.0.0");
        assertState(e, "lookalike.jar", ExtensionState.UNRESOLVED, "Import-Package: org.eclipse.swtbot.swt.finder");
        HealthResult health = registry.health();
        assertEquals(HealthStatus.WARN, health.status());
        assertTrue(health.message().startsWith("2 of 3 extension jars in " + folder() + " not running"), health.message());
    }

    @Test
    void whereTheUiIsAJarThatNeedsItResolvesAndStarts() throws Exception {
        // this test framework has SWT (the UI tests' harness needs it), as the workbench's has
        assertTrue(ExtensionsActivator.hasWorkbenchUi(context), "SWT in the test framework");
        TestJars.bundle("test.extension.swt", "1.0.0")
                .header("Require-Bundle", "org.eclipse.swt;bundle-version=\"[3.130.0,4.0.0)\"")
                .writeTo(folder().resolve("swt.jar"));

        ExtensionInstaller.Outcome outcome = new ExtensionInstaller(context,
                temp.resolve("state").resolve("installed.properties"), ExtensionsActivator.hasWorkbenchUi(context))
                .reconcile(folder());

        Extension swt = byFile(new InstalledExtensions(context, folder(), outcome.entries())).get("swt.jar");
        assertEquals(ExtensionState.ACTIVE, swt.state(), swt.toString());
    }

    @Test
    void theActivatorTellsTheFrameworksUiBySwt() {
        boolean swt = java.util.Arrays.stream(context.getBundles())
                .anyMatch(b -> b.getSymbolicName() != null && b.getSymbolicName().equals("org.eclipse.swt"));
        assertEquals(swt, ExtensionsActivator.hasWorkbenchUi(context));
    }

    @Test
    void noFolderMeansNoExtensions() throws Exception {
        ExtensionInstaller.Outcome outcome = installer().reconcile(temp.resolve("missing"));
        assertEquals(List.of(), outcome.entries());
        HealthResult health = new InstalledExtensions(context, temp.resolve("missing"), outcome.entries()).health();
        assertEquals(HealthStatus.OK, health.status());
        assertTrue(health.message().startsWith("no extensions"), health.message());
    }

    private static void assertState(Map<String, Extension> extensions, String file, ExtensionState state,
            String problem) {
        Extension e = extensions.get(file);
        assertNotNull(e, file + " listed in " + extensions.keySet());
        assertEquals(state, e.state(), e.toString());
        assertTrue(e.problem().contains(problem), file + ": \"" + problem + "\" in \"" + e.problem() + "\"");
    }
}
