package comfy.workbench.example.renderlog.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.eclipse.e4.core.contexts.ContextInjectionFactory;
import org.eclipse.e4.core.contexts.IEclipseContext;
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
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

import comfy.workbench.connection.api.ServerDescriptor;
import comfy.workbench.connection.api.ServerRegistry;
import comfy.workbench.example.renderlog.api.RenderLog;
import comfy.workbench.example.renderlog.ui.internal.RenderLogPart;
import comfy.workbench.model.api.PromptGraph;
import comfy.workbench.queue.api.Job;
import comfy.workbench.queue.api.JobQueue;
import comfy.workbench.queue.api.JobRequest;
import comfy.workbench.queue.api.JobState;
import comfy.workbench.queue.api.QueueTopics;
import comfy.workbench.testing.fake.FakeComfyServer;
import comfy.workbench.testing.fake.TestPrompts;
import comfy.workbench.testing.osgi.Osgi;
import comfy.workbench.testing.osgi.TestPlatform;
import comfy.workbench.testing.ui.ViewHost;
import comfy.workbench.testing.ui.Ui;

/**
 * Drives the Render Log view against the real job queue, the example's real render log and a fake ComfyUI server
 * under Xvfb: the part is made by e4 DI in a context backed by the OSGi services, as the workbench makes it, and the
 * assertions read the real widgets. The view's poll is off, so that what changes on screen comes from the queue's
 * events (or the test's own event on the queue's topic).
 */
class RenderLogPartTest {

    /** Bundles whose services the view needs; the test runtime resolves them but starts only a few bundles. */
    private static final String[] SERVICE_BUNDLES = { "org.eclipse.equinox.event", "org.apache.felix.configadmin",
            "org.eclipse.e4.core.di", "org.eclipse.e4.core.di.extensions.supplier", "org.eclipse.e4.ui.di",
            "comfy.workbench.connection", "comfy.workbench.monitor", "comfy.workbench.queue",
            "comfy.workbench.example.renderlog", "comfy.workbench.example.renderlog.ui" };

    private static final String QUEUE = "comfy.workbench.queue.internal.QueueComponent";

    // the table's columns
    private static final int ENDED = 0;
    private static final int NAME = 1;
    private static final int STATE = 2;
    private static final int SERVER = 3;
    private static final int SECONDS = 4;
    private static final int ERROR = 5;

    @TempDir
    static Path data;

    private static ViewHost host;
    private static Display display;
    private static IEclipseContext services;
    private static FakeComfyServer fake;
    private static String serverId;

    private Shell shell;
    private IEclipseContext context;
    private RenderLogPart part;

    @BeforeAll
    static void startPlatform() throws Exception {
        Bundle self = FrameworkUtil.getBundle(RenderLogPart.class);
        self.start(Bundle.START_TRANSIENT);
        BundleContext bundleContext = self.getBundleContext();
        Osgi.start(SERVICE_BUNDLES);
        TestPlatform.configure(data);
        Osgi.configure("comfy.workbench.queue", QUEUE, Map.of("perServerLimit", 2, "tickMillis", 50L,
                "reconcileRetryMillis", 200L, "fixture", UUID.randomUUID().toString()));
        ServerRegistry registry = Osgi.service(ServerRegistry.class);
        registry.remove(ServerDescriptor.DEFAULT_ID);
        fake = FakeComfyServer.builder().start();
        serverId = "fake-render-log-view";
        registry.add(new ServerDescriptor(serverId, "Fake " + fake.port(), fake.baseUri(), null));
        // the render log writes into this test's data folder once the data location has moved there
        Osgi.await("the render log in " + data, () -> Osgi.service(RenderLog.class).file().startsWith(data));

        host = ViewHost.open(bundleContext, "render log view test");
        display = host.display();
        services = host.services();
    }

    @AfterAll
    static void stopPlatform() {
        Osgi.service(ServerRegistry.class).remove(serverId);
        fake.close();
        host.close();
    }

    @BeforeEach
    void openView() throws Exception {
        Files.deleteIfExists(logFile()); // each test starts from an empty log
        Composite parent = ViewHost.shell(display, "Render Log view test", 1000, 360);
        shell = parent.getShell();
        context = services.createChild("render log view");
        context.set(Composite.class, parent);
        context.set(RenderLogPart.POLL_MILLIS_KEY, 0L);
        part = ContextInjectionFactory.make(RenderLogPart.class, context);
        shell.open();
    }

    @AfterEach
    void closeView() {
        context.dispose(); // runs the part's @PreDestroy: its thread ends
        shell.dispose();
    }

    @Test
    void showsEachJobThatEndsThroughTheQueueNewestFirst() throws Exception {
        waitForSummary(s -> s.startsWith("No render log yet: " + logFile()));

        Job first = run("render one");
        TableItem row = waitForRow("render one", r -> r.getText(STATE).equals("SUCCEEDED"));
        assertEquals(serverId, row.getText(SERVER));
        assertTrue(row.getText(SECONDS).matches("\\d+\\.\\d"), row.getText(SECONDS));
        assertTrue(row.getText(ENDED).matches("\\d\\d:\\d\\d:\\d\\d|\\d{4}-.*"), row.getText(ENDED));
        assertEquals("", row.getText(ERROR));
        assertEquals(JobState.SUCCEEDED, first.state());

        // no poll: the queue's event of the second job's end is what brings its line
        run("render two");
        Ui.waitUntil(display, "the second job on top", () -> table().getItemCount() == 2
                && table().getItem(0).getText(NAME).equals("render two"), () -> Ui.dump(table()));
        assertEquals("render one", table().getItem(1).getText(NAME));
        assertTrue(summary().startsWith("2 jobs in " + logFile() + ", newest first"), summary());
        Ui.screenshot(shell, Path.of("target", "screenshots", "render-log-view.png"));
    }

    @Test
    void aBadLineIsSkippedAndCountedAndAFailureShowsWhy() throws Exception {
        Files.createDirectories(logFile().getParent());
        Files.writeString(logFile(), "{\"ended\":\"2026-11-29T10:00:00Z\",\"job\":\"j-1\",\"name\":\"by hand\","
                + "\"state\":\"FAILED\",\"server\":\"farm-a\",\"attempts\":3,\"tags\":[],\"secondsSinceSubmitted\":12.25,"
                + "\"error\":\"out of memory\",\"outputs\":[]}\n" + "this line is not JSON\n" + "{\"job\":\"j-2\"}\n",
                StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);

        // what the queue posts when a job changes: the view reads the file again
        Osgi.service(EventAdmin.class).postEvent(new Event(QueueTopics.JOB_STATE, Map.of()));

        TableItem row = waitForRow("by hand", r -> true);
        assertEquals("FAILED", row.getText(STATE));
        assertEquals("farm-a", row.getText(SERVER));
        assertEquals("12.3", row.getText(SECONDS));
        assertEquals("out of memory", row.getText(ERROR));
        waitForSummary(s -> s.equals("1 job in " + logFile() + ", newest first; 2 malformed lines skipped"));
        assertEquals(1, table().getItemCount());
    }

    @Test
    void saysSoWhenTheRenderLogIsNotRunningAndShowsItsLinesWhenItIsAgain() throws Exception {
        run("before the stop");
        waitForRow("before the stop", r -> true);
        Bundle renderLog = java.util.Arrays.stream(Osgi.context().getBundles())
                .filter(b -> "comfy.workbench.example.renderlog".equals(b.getSymbolicName())).findFirst().orElseThrow();
        renderLog.stop(Bundle.STOP_TRANSIENT);
        try {
            waitForSummary(s -> s.startsWith("Render log not running: its bundle (comfy.workbench.example.renderlog)"));
            assertEquals(0, table().getItemCount());
        } finally {
            renderLog.start(Bundle.START_TRANSIENT);
        }
        waitForRow("before the stop", r -> true);
    }

    // ----

    private static Path logFile() {
        return Osgi.service(RenderLog.class).file();
    }

    private static Job run(String name) throws Exception {
        JobQueue queue = Osgi.service(JobQueue.class);
        JobRequest request = JobRequest.of(PromptGraph.parse(TestPrompts.quick(900 + name.length(), "rlv"), name))
                .withName(name);
        return queue.completion(queue.submit(request).id()).toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private Table table() {
        return Ui.get(shell, "renderlog.table", Table.class);
    }

    private String summary() {
        return Ui.get(shell, "renderlog.summary", Label.class).getText();
    }

    private void waitForSummary(Predicate<String> condition) {
        Ui.waitUntil(display, "the summary", () -> condition.test(summary()), this::summary);
    }

    private TableItem waitForRow(String name, Predicate<TableItem> condition) {
        Ui.waitUntil(display, "row " + name, () -> Ui.row(table(), NAME, name).filter(condition).isPresent(),
                () -> summary() + "; " + Ui.dump(table()));
        return Ui.row(table(), NAME, name).orElseThrow();
    }
}
