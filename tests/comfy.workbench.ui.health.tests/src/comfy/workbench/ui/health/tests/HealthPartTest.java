package comfy.workbench.ui.health.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import org.eclipse.e4.core.contexts.ContextInjectionFactory;
import org.eclipse.e4.core.contexts.IEclipseContext;
import org.eclipse.e4.ui.di.UISynchronize;

import comfy.workbench.testing.ui.ViewHost;
import comfy.workbench.testing.ui.Ui;
import org.eclipse.swt.custom.CLabel;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableItem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.runtime.ServiceComponentRuntime;

import comfy.workbench.connection.api.ServerDescriptor;
import comfy.workbench.connection.api.ServerRegistry;
import comfy.workbench.cache.api.Cache;
import comfy.workbench.cache.api.CacheManager;
import comfy.workbench.cache.api.CachePolicy;
import comfy.workbench.cache.api.CacheSpec;
import comfy.workbench.manager.api.ComponentInfo;
import comfy.workbench.manager.api.ComponentState;
import comfy.workbench.manager.api.HealthCheck;
import comfy.workbench.manager.api.HealthResult;
import comfy.workbench.manager.api.HealthStatus;
import comfy.workbench.manager.api.PlatformManager;
import comfy.workbench.testing.osgi.Osgi;
import comfy.workbench.testing.osgi.TestPlatform;
import comfy.workbench.ui.health.internal.HealthPart;

/**
 * Drives the Platform Health view against the real service manager under Xvfb: the part is made by e4 DI in a context
 * backed by the OSGi services, exactly as the workbench makes it, and the assertions read the real widgets. The view's
 * poll is off, so that what changes on screen comes from the manager's events and the view's own actions.
 */
class HealthPartTest {

    /** Bundles whose services the view needs; the test runtime resolves them but starts only a few bundles. */
    private static final String[] SERVICE_BUNDLES = { "org.eclipse.equinox.event", "org.apache.felix.configadmin",
            "org.eclipse.e4.core.di", "org.eclipse.e4.core.di.extensions.supplier", "org.eclipse.e4.ui.di",
            "comfy.workbench.connection", "comfy.workbench.monitor", "comfy.workbench.queue",
            "comfy.workbench.manager", "comfy.workbench.ui.health" };

    private static final String QUEUE = "comfy.workbench.queue.internal.QueueComponent";
    private static final String SERVER_HEALTH = "comfy.workbench.connection.internal.ServerHealthComponent";
    private static final String MANAGER = "comfy.workbench.manager.internal.ManagerComponent";
    private static final List<String> BUILT_IN_CHECKS = List.of(
            "comfy.workbench.manager.internal.ServersReachableCheck",
            "comfy.workbench.manager.internal.MonitorConnectedCheck",
            "comfy.workbench.manager.internal.QueueHealthCheck", "comfy.workbench.manager.internal.DiskSpaceCheck",
            "comfy.workbench.manager.internal.CachesHealthCheck");

    // checks table
    private static final int STATUS = 0;
    private static final int CHECK = 1;
    private static final int MESSAGE = 2;
    private static final int TAGS = 3;
    private static final int CHECKED = 4;
    private static final int FAILING_SINCE = 5;
    // components table
    private static final int STATE = 0;
    private static final int COMPONENT = 1;
    private static final int BUNDLE = 2;
    private static final int SERVICES = 3;
    private static final int PROBLEM = 4;
    // history table
    private static final int CHANGE = 1;
    private static final int REASONS = 2;

    @TempDir
    static Path data;

    private static ViewHost host;
    private static Display display;
    private static IEclipseContext services;
    private static ServiceComponentRuntime scr;

    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
    private Shell shell;
    private IEclipseContext context;
    private HealthPart part;

    @BeforeAll
    static void startPlatform() throws Exception {
        Bundle self = FrameworkUtil.getBundle(HealthPart.class);
        self.start(Bundle.START_TRANSIENT);
        BundleContext bundleContext = self.getBundleContext();
        Osgi.start(SERVICE_BUNDLES);
        // the platform under a private data folder, the manager configured for quick tests (as the manager's tests)
        TestPlatform.configure(data);
        Osgi.configure("comfy.workbench.queue", QUEUE, Map.of("perServerLimit", 2, "tickMillis", 50L,
                "reconcileRetryMillis", 200L, "fixture", UUID.randomUUID().toString()));
        Osgi.configure("comfy.workbench.manager", MANAGER, Map.of("initialDelayMillis", 0L,
                "recoveryInitialMillis", 50L, "recoveryMaxMillis", 400L, "fixture", UUID.randomUUID().toString()));
        Osgi.service(ServerRegistry.class).remove(ServerDescriptor.DEFAULT_ID);
        // only the tests' own checks make the platform's health
        scr = Osgi.service(ServiceComponentRuntime.class);
        for (String check : BUILT_IN_CHECKS) {
            scr.disableComponent(Osgi.component(check)).getValue();
        }
        Osgi.await("no check left", () -> Osgi.service(PlatformManager.class).health().checks().isEmpty());
        Osgi.await("status OK", () -> Osgi.service(PlatformManager.class).health().status() == HealthStatus.OK);

        // the objects behind @UIEventTopic take their UISynchronize from the default context, as in the workbench
        host = ViewHost.open(bundleContext, "health view test");
        display = host.display();
        services = host.services();
    }

    @AfterAll
    static void stopPlatform() throws Exception {
        for (String check : BUILT_IN_CHECKS) {
            scr.enableComponent(Osgi.component(check)).getValue();
        }
        host.close();
    }

    @BeforeEach
    void openView() {
        Composite parent = ViewHost.shell(display, "Platform Health view test", 1180, 560);
        shell = parent.getShell();
        context = services.createChild("health view");
        context.set(Composite.class, parent);
        context.set(HealthPart.POLL_MILLIS_KEY, 0L);
        part = ContextInjectionFactory.make(HealthPart.class, context);
        shell.open();
    }

    @AfterEach
    void closeView() {
        registrations.forEach(ServiceRegistration::unregister);
        context.dispose(); // runs the part's @PreDestroy: its threads end
        shell.dispose();
    }

    @Test
    void showsTheRealComponentsWithTheirStatesBundlesAndServices() {
        TableItem manager = waitForComponent(MANAGER, r -> r.getText(STATE).equals("ACTIVE"));
        assertEquals("comfy.workbench.manager", manager.getText(BUNDLE));
        assertEquals("PlatformManager", manager.getText(SERVICES));
        assertEquals("\u2014", manager.getText(PROBLEM));
        assertNotNull(manager.getImage());
        TableItem queue = waitForComponent(QUEUE, r -> r.getText(STATE).equals("ACTIVE"));
        assertEquals("comfy.workbench.queue", queue.getText(BUNDLE));
        assertEquals("JobQueue", queue.getText(SERVICES));

        assertTrue(header().getText().startsWith("Platform health: OK"), header().getText());
        String summary = Ui.get(shell, "health.summary", Label.class).getText();
        assertTrue(summary.matches("\\d+ components: .*\\d+ active.*"), summary);

        part.select(MANAGER);
        assertEquals(MANAGER, part.selection().map(ComponentInfo::name).orElse(""));
        assertFalse(part.canRestartSelection(), "the manager does not restart itself");
    }

    @Test
    void showsEveryCacheWithItsHitRateRequestsAndEntries() {
        Cache<String, String> cache = Osgi.service(CacheManager.class)
                .create(CacheSpec.<String, String>of("test-view-cache", CachePolicy.entries(100)));
        cache.invalidateAll();
        cache.get("a", k -> "A"); // a miss and a load
        cache.get("a", k -> "A");
        cache.get("a", k -> "A");
        try {
            part.refresh();
            Table caches = Ui.get(shell, "health.caches", Table.class);
            // the view's own periodic refresh may have shown the cache before its requests: wait for this refresh's
            // (a clean-clone run read the earlier row, "–")
            Ui.waitUntil(display, "the cache's row with its requests", () -> Ui.row(caches, 0, "test-view-cache")
                    .filter(r -> r.getText(2).equals("2 / 1")).isPresent(), () -> Ui.dump(caches));
            TableItem row = Ui.row(caches, 0, "test-view-cache").orElseThrow();
            assertEquals("66.7 %", row.getText(1));
            assertEquals("2 / 1", row.getText(2));
            assertEquals("1", row.getText(4));
            assertNotNull(row.getImage(), "its health is shown");
        } finally {
            Osgi.service(CacheManager.class).remove("test-view-cache");
        }
    }

    @Test
    void aFailingCheckTurnsTheHeaderAndItsRowCriticalAndOkAgainWhenItPasses() {
        AtomicReference<HealthResult> answer = new AtomicReference<>(HealthResult.critical("disk on fire"));
        register("test-switch", 100, answer::get, "reset the disk");

        Ui.waitUntil(display, "a CRITICAL header", () -> header().getText().startsWith("Platform health: CRITICAL"),
                () -> header().getText() + "; " + Ui.dump(checks()));
        assertTrue(header().getText().contains("test-switch: disk on fire"), header().getText());
        TableItem row = waitForCheck("test-switch", r -> r.getText(STATUS).equals("CRITICAL"));
        assertEquals("test-switch", checks().getItem(0).getText(CHECK), "a failing check comes first, above the fold");
        assertEquals("disk on fire", row.getText(MESSAGE));
        assertEquals("test", row.getText(TAGS));
        assertNotEquals("\u2014", row.getText(CHECKED));
        assertNotEquals("\u2014", row.getText(FAILING_SINCE));
        TableItem change = history().getItem(0);
        assertEquals("OK \u2192 CRITICAL", change.getText(CHANGE));
        assertEquals("test-switch: disk on fire", change.getText(REASONS));
        CLabel message = Ui.get(shell, "health.message", CLabel.class);
        Ui.waitUntil(display, "the recovery reported", () -> "Recovering test-switch: reset the disk".equals(
                message.getText()), message::getText);
        Ui.screenshot(shell, Path.of("target", "screenshots", "health-view-critical.png"));

        answer.set(HealthResult.ok("disk is fine"));
        Ui.waitUntil(display, "an OK header", () -> header().getText().startsWith("Platform health: OK"),
                () -> header().getText() + "; " + Ui.dump(checks()));
        row = waitForCheck("test-switch", r -> r.getText(STATUS).equals("OK"));
        assertEquals("disk is fine", row.getText(MESSAGE));
        assertEquals("\u2014", row.getText(FAILING_SINCE));
        assertEquals("CRITICAL \u2192 OK", history().getItem(0).getText(CHANGE));
    }

    @Test
    void runChecksNowRunsTheChecksAndUpdatesTheirRows() {
        AtomicInteger runs = new AtomicInteger();
        // an hour between runs: only the first run and "Run Checks Now" run it
        register("test-counter", 3_600_000, () -> HealthResult.ok("run " + runs.incrementAndGet()), "");
        Osgi.await("the first run", () -> Osgi.service(PlatformManager.class).health().checks().stream()
                .anyMatch(c -> c.name().equals("test-counter")));
        part.refresh();
        waitForCheck("test-counter", r -> r.getText(MESSAGE).equals("run 1"));

        part.runChecks();
        waitForCheck("test-counter", r -> r.getText(MESSAGE).equals("run 2") && r.getText(STATUS).equals("OK"));
        CLabel message = Ui.get(shell, "health.message", CLabel.class);
        Ui.waitUntil(display, "the outcome", () -> message.getText().startsWith("Checks run at "), message::getText);
        assertTrue(message.getText().endsWith(": OK, 1 check"), message.getText());
        assertEquals(2, runs.get());
    }

    @Test
    void restartingTheSelectedComponentActivatesItAfreshAndItStaysActive() {
        waitForComponent(QUEUE, r -> r.getText(STATE).equals("ACTIVE"));
        part.select(QUEUE);
        ComponentInfo before = part.selection().orElseThrow();
        assertEquals(QUEUE, before.name());
        assertTrue(part.canRestartSelection());

        part.restart(before.name());
        CLabel message = Ui.get(shell, "health.message", CLabel.class);
        Ui.waitUntil(display, "the restart", () -> message.getText().startsWith("Restarted QueueComponent"),
                message::getText);
        assertEquals("Restarted QueueComponent: ACTIVE", message.getText());
        // the queue takes a configuration and has no modified method: restarted through a counter in it
        Object restarts = Osgi.activeConfiguration(QUEUE).properties.get("comfy.workbench.restart");
        assertTrue(restarts instanceof Number n && n.longValue() > 0, String.valueOf(restarts));
        waitForComponent(QUEUE, r -> r.getText(STATE).equals("ACTIVE"));
        assertEquals(QUEUE, part.selection().map(ComponentInfo::name).orElse(null), "still selected");
        assertTrue(part.canRestartSelection(), "the restart is over");
    }

    @Test
    void componentsMissingAServiceAreListedFirstWithWhatTheyMiss() throws Exception {
        PlatformManager manager = Osgi.service(PlatformManager.class);
        scr.disableComponent(Osgi.component(SERVER_HEALTH)).getValue();
        try {
            Osgi.await("the queue unsatisfied", () -> manager.component(QUEUE).stream()
                    .anyMatch(c -> c.state() == ComponentState.UNSATISFIED_REFERENCE));
            part.refresh();
            TableItem queue = waitForComponent(QUEUE, r -> r.getText(STATE).equals("UNSATISFIED_REFERENCE"));
            assertTrue(queue.getText(PROBLEM).startsWith("missing: "), queue.getText(PROBLEM));
            assertTrue(queue.getText(PROBLEM).contains("(comfy.workbench.connection.api.ServerHealthService)"),
                    queue.getText(PROBLEM));
            assertEquals("disabled", waitForComponent(SERVER_HEALTH, r -> true).getText(PROBLEM));
            // problems first: no row that needs attention comes after one that does not
            TableItem[] rows = components().getItems();
            boolean seenFine = false;
            for (TableItem row : rows) {
                boolean problem = row.getText(STATE).startsWith("UNSATISFIED") || row.getText(STATE).equals("FAILED");
                assertFalse(problem && seenFine, "problems first: " + Ui.dump(components()));
                seenFine |= !problem;
            }
            assertTrue(Ui.get(shell, "health.summary", Label.class).getText().contains("attention (listed first)"));
            Ui.screenshot(shell, Path.of("target", "screenshots", "health-view-unsatisfied.png"));
        } finally {
            scr.enableComponent(Osgi.component(SERVER_HEALTH)).getValue();
        }
        Osgi.await("the queue active", () -> manager.component(QUEUE).stream()
                .anyMatch(c -> c.state() == ComponentState.ACTIVE));
        part.refresh();
        waitForComponent(QUEUE, r -> r.getText(STATE).equals("ACTIVE"));
    }

    @Test
    void saysSoWhenTheServiceManagerIsNotRunningAndShowsItAgainWhenItIs() throws Exception {
        waitForComponent(MANAGER, r -> r.getText(STATE).equals("ACTIVE"));
        scr.disableComponent(Osgi.component(MANAGER)).getValue();
        try {
            Ui.waitUntil(display, "the manager gone", () -> header().getText().startsWith(
                    "Service manager not running"), () -> header().getText());
            assertEquals(0, components().getItemCount());
            assertEquals(0, checks().getItemCount());
            assertFalse(part.hasManager());
        } finally {
            scr.enableComponent(Osgi.component(MANAGER)).getValue();
        }
        Ui.waitUntil(display, "the manager back", () -> header().getText().startsWith("Platform health: "),
                () -> header().getText());
        waitForComponent(MANAGER, r -> r.getText(STATE).equals("ACTIVE"));
        assertTrue(part.hasManager());
    }

    // ----

    /** Registers a health check with the documented service properties; unregistered after the test. */
    private void register(String name, long intervalMillis, java.util.function.Supplier<HealthResult> check,
            String recovery) {
        HealthCheck hc = new HealthCheck() {
            @Override
            public HealthResult check() {
                return check.get();
            }

            @Override
            public String recover() {
                return recovery;
            }
        };
        registrations.add(Osgi.context().registerService(HealthCheck.class, hc, new Hashtable<>(Map.of(
                HealthCheck.NAME, name, HealthCheck.TAGS, new String[] { "test" }, HealthCheck.INTERVAL,
                intervalMillis, HealthCheck.TIMEOUT, 5_000L))));
    }

    private CLabel header() {
        return Ui.get(shell, "health.header", CLabel.class);
    }

    private Table checks() {
        return Ui.get(shell, "health.checks", Table.class);
    }

    private Table components() {
        return Ui.get(shell, "health.components", Table.class);
    }

    private Table history() {
        return Ui.get(shell, "health.history", Table.class);
    }

    private TableItem waitForCheck(String name, Predicate<TableItem> condition) {
        Ui.waitUntil(display, "check " + name, () -> Ui.row(checks(), CHECK, name).filter(condition).isPresent(),
                () -> "checks: " + Ui.dump(checks()));
        return Ui.row(checks(), CHECK, name).orElseThrow();
    }

    private TableItem waitForComponent(String name, Predicate<TableItem> condition) {
        Ui.waitUntil(display, "component " + name, () -> Ui.row(components(), COMPONENT, name).filter(condition)
                .isPresent(), () -> "component " + name + ": " + Ui.row(components(), COMPONENT, name)
                        .map(r -> r.getText(STATE) + " " + r.getText(PROBLEM)).orElse("no row"));
        return Ui.row(components(), COMPONENT, name).orElseThrow();
    }
}
