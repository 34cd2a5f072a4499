package comfy.workbench.ui.queue.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.eclipse.e4.core.contexts.ContextInjectionFactory;
import org.eclipse.e4.core.contexts.IEclipseContext;
import org.eclipse.e4.core.di.annotations.CanExecute;
import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.ui.model.application.ui.basic.MBasicFactory;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.e4.ui.model.application.ui.menu.MItem;
import org.eclipse.e4.ui.model.application.ui.menu.MMenuFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.PaletteData;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.Text;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;

import comfy.workbench.cache.api.CacheManager;
import comfy.workbench.cache.api.CacheStats;
import comfy.workbench.connection.api.HealthState;
import comfy.workbench.connection.api.ServerDescriptor;
import comfy.workbench.connection.api.ServerHealthService;
import comfy.workbench.connection.api.ServerRegistry;
import comfy.workbench.model.api.PromptGraph;
import comfy.workbench.monitor.api.ExecutionMonitor;
import comfy.workbench.queue.api.Job;
import comfy.workbench.queue.api.JobQueue;
import comfy.workbench.queue.api.JobRequest;
import comfy.workbench.queue.api.JobState;
import comfy.workbench.queue.api.Priority;
import comfy.workbench.testing.fake.FakeComfyServer;
import comfy.workbench.testing.fake.Stall;
import comfy.workbench.testing.fake.TestPrompts;
import comfy.workbench.testing.osgi.Osgi;
import comfy.workbench.testing.osgi.TestPlatform;
import comfy.workbench.testing.ui.DisplaySynchronize;
import comfy.workbench.testing.ui.ViewHost;
import comfy.workbench.testing.ui.Ui;
import comfy.workbench.ui.queue.internal.CancelJobsHandler;
import comfy.workbench.ui.queue.internal.ClearEndedJobsHandler;
import comfy.workbench.ui.queue.internal.RetryJobsHandler;
import comfy.workbench.ui.queue.internal.JobsPart;
import comfy.workbench.ui.queue.internal.LowerPriorityHandler;
import comfy.workbench.ui.queue.internal.PauseResumeHandler;
import comfy.workbench.ui.queue.internal.RaisePriorityHandler;

/**
 * Drives the Jobs view against the real job queue and a fake ComfyUI server under Xvfb: the part is made by e4 DI in
 * a context backed by the OSGi services, exactly as the workbench makes it; the toolbar's handlers are invoked by DI
 * with the part's model element, as the workbench invokes them; the assertions read the real widgets and the queue.
 * The view's poll is off, so that what changes on screen comes from the queue's events and the view's own actions.
 */
class JobsPartTest {

    /** Bundles whose services the view needs; the test runtime resolves them but starts only a few bundles. */
    private static final String[] SERVICE_BUNDLES = { "org.eclipse.equinox.event", "org.apache.felix.configadmin",
            "org.eclipse.e4.core.di", "org.eclipse.e4.core.di.extensions.supplier", "org.eclipse.e4.ui.di",
            "comfy.workbench.connection", "comfy.workbench.monitor", "comfy.workbench.cache", "comfy.workbench.queue",
            "comfy.workbench.ui.queue" };

    private static final String QUEUE = "comfy.workbench.queue.internal.QueueComponent";

    // the table's columns
    private static final int NAME = 0;
    private static final int STATE = 1;
    private static final int PROGRESS = 2;
    private static final int PRIORITY = 3;
    private static final int SERVER = 4;
    private static final int ATTEMPTS = 5;
    private static final int BATCH = 6;
    private static final int OUTPUTS = 9;
    private static final int ERROR = 10;

    @TempDir
    static Path data;

    private static ViewHost host;
    private static Display display;
    private static DisplaySynchronize sync;
    private static IEclipseContext services;
    private static FakeComfyServer fake;
    private static String serverId;

    private Shell shell;
    private IEclipseContext context;
    private JobsPart part;
    private MPart model;

    @BeforeAll
    static void startPlatform() throws Exception {
        Bundle self = FrameworkUtil.getBundle(JobsPart.class);
        self.start(Bundle.START_TRANSIENT);
        BundleContext bundleContext = self.getBundleContext();
        Osgi.start(SERVICE_BUNDLES);
        // the queue under a private data folder, configured for quick tests (as the queue's own tests); one job at a
        // time on the server, so that a held job keeps the next one waiting on this client
        TestPlatform.configure(data);
        Osgi.configure("comfy.workbench.queue", QUEUE, Map.of("perServerLimit", 1, "tickMillis", 50L,
                "reconcileRetryMillis", 200L, "lostServerGraceMillis", 60_000L, "fixture",
                UUID.randomUUID().toString()));
        ServerRegistry registry = Osgi.service(ServerRegistry.class);
        registry.remove(ServerDescriptor.DEFAULT_ID);
        fake = FakeComfyServer.builder().start();
        serverId = "fake-jobs-view";
        registry.add(new ServerDescriptor(serverId, "Fake " + fake.port(), fake.baseUri(), null));

        host = ViewHost.open(bundleContext, "jobs view test");
        display = host.display();
        sync = host.sync();
        services = host.services();
    }

    @AfterAll
    static void stopPlatform() {
        Osgi.service(ServerRegistry.class).remove(serverId);
        fake.close();
        host.close();
    }

    @BeforeEach
    void openView() {
        queue().resume();
        Composite parent = ViewHost.shell(display, "Jobs view test", 1180, 420);
        shell = parent.getShell();
        context = services.createChild("jobs view");
        context.set(Composite.class, parent);
        context.set(JobsPart.POLL_MILLIS_KEY, 0L);
        part = ContextInjectionFactory.make(JobsPart.class, context);
        model = MBasicFactory.INSTANCE.createPart();
        model.setElementId("comfy.workbench.ui.queue.part");
        model.setObject(part);
        shell.open();
    }

    @AfterEach
    void closeView() {
        // nothing a test left waiting runs into the next one
        queue().jobs(List.of()).stream().filter(j -> !j.state().terminal()).forEach(j -> queue().cancel(j.id()));
        queue().resume();
        context.dispose(); // runs the part's @PreDestroy: its threads end
        shell.dispose();
    }

    @Test
    void showsASubmittedJobGoingThroughItsStatesUntilItSucceeds() throws Exception {
        Job job;
        try (Stall hold = fake.holdNode(TestPrompts.SLOW_NODE)) {
            job = queue().submit(slow(501, "view-runs").withBatch("batch-501"));
            // held at its second node of three: the first is done, the monitor's progress shows where it stands
            TableItem row = waitForRow("view-runs", r -> r.getText(STATE).equals("RUNNING")
                    && r.getText(PROGRESS).equals("33 % \u00b7 ImageBlur"));
            assertEquals("NORMAL", row.getText(PRIORITY));
            assertEquals(serverId, row.getText(SERVER));
            assertEquals("1", row.getText(ATTEMPTS));
            assertEquals("batch-501", row.getText(BATCH));
            assertEquals("0", row.getText(OUTPUTS));
            assertTrue(summary().contains("1 running"), summary());
            Ui.screenshot(shell, Path.of("target", "screenshots", "jobs-view-running.png"));
        }
        TableItem row = waitForRow("view-runs", r -> r.getText(STATE).equals("SUCCEEDED"));
        assertEquals("", row.getText(PROGRESS), "progress is shown only while a job runs");
        Job done = queue().job(job.id()).orElseThrow();
        assertEquals(JobState.SUCCEEDED, done.state());
        assertEquals(Integer.toString(done.outputs().size()), row.getText(OUTPUTS));
        assertFalse(done.outputs().isEmpty());
        assertEquals("", row.getText(ERROR));
        assertTrue(summary().matches("Queue running \u2014 \\d+ jobs?: .*succeeded.*"), summary());
        Ui.screenshot(shell, Path.of("target", "screenshots", "jobs-view-succeeded.png"));
    }

    @Test
    void theSelectedRunningJobShowsTheNewestPreviewTheServerSentOfIt() throws Exception {
        String clientId = Osgi.service(ExecutionMonitor.class).clientId(serverId);
        Job job;
        try (Stall hold = fake.holdNode(TestPrompts.SLOW_NODE)) {
            job = queue().submit(slow(541, "view-live"));
            waitForRow("view-live", r -> r.getText(STATE).equals("RUNNING"));
            part.select(job.id());
            // through the fake server's socket and the real monitor (which previews belong to which job: LivePreviewTest)
            fake.sendBinaryFrame(clientId, preview(job.id(), 64, 48));
            waitForLivePreview(64, 48);
            Ui.screenshot(shell, Path.of("target", "screenshots", "jobs-view-live-preview.png"));
            // a legacy preview names none: it is of the prompt the server runs
            fake.sendBinaryFrame(clientId, ByteBuffer.allocate(8 + png(40, 30).length).putInt(1).putInt(2)
                    .put(png(40, 30)).array());
            waitForLivePreview(40, 30);
            // a larger one is scaled down to fit the view's preview edge, keeping its proportions
            fake.sendBinaryFrame(clientId, preview(job.id(), 1024, 512));
            waitForLivePreview(256, 128);

            part.select();
            Ui.waitUntil(display, "the live preview hidden once the job is no longer selected",
                    () -> !live().getVisible(), () -> "");
            part.select(job.id());
        }
        waitForRow("view-live", r -> r.getText(STATE).equals("SUCCEEDED"));
        Ui.waitUntil(display, "the live preview hidden once the job ended", () -> !live().getVisible(), () -> "");
        assertEquals(JobState.SUCCEEDED, queue().job(job.id()).orElseThrow().state());
    }

    @Test
    void theSelectedJobsOutputsAreShownAsThumbnailsCachedByTheCacheManager() throws Exception {
        Job job = queue().submit(JobRequest.of(PromptGraph.parse(TestPrompts.quick(0x336699, "view-thumbs"), "thumbs"))
                .withName("view-thumbs"));
        waitForRow("view-thumbs", r -> r.getText(STATE).equals("SUCCEEDED"));
        List<Path> outputs = queue().job(job.id()).orElseThrow().outputs();
        assertFalse(outputs.isEmpty());
        long missesBefore = thumbnailStats().map(CacheStats::misses).orElse(0L);

        part.select(job.id());
        List<Label> shown = waitForThumbnails(outputs.size());
        for (int i = 0; i < shown.size(); i++) {
            assertTrue(shown.get(i).getToolTipText().startsWith(outputs.get(i).toString()), shown.get(i).getToolTipText());
            Rectangle bounds = shown.get(i).getImage().getBounds();
            assertTrue(bounds.width > 0 && bounds.width <= 96 && bounds.height <= 96, bounds.toString());
        }
        // what to do with the file: open it, its folder, or copy its path
        org.eclipse.swt.widgets.Menu menu = shown.get(0).getMenu();
        assertEquals(List.of("Open", "Open Folder", "Copy Path"), Arrays.stream(menu.getItems())
                .map(org.eclipse.swt.widgets.MenuItem::getText).toList());
        menu.getItems()[2].notifyListeners(SWT.Selection, new org.eclipse.swt.widgets.Event());
        org.eclipse.swt.dnd.Clipboard clipboard = new org.eclipse.swt.dnd.Clipboard(display);
        try {
            assertEquals(outputs.get(0).toString(), clipboard.getContents(org.eclipse.swt.dnd.TextTransfer.getInstance()));
        } finally {
            clipboard.dispose();
        }
        CacheStats first = thumbnailStats().orElseThrow();
        assertEquals(missesBefore + outputs.size(), first.misses(), first.toString());

        part.select();
        Ui.waitUntil(display, "the preview hidden", () -> previewLabels().isEmpty(),
                () -> "");
        part.select(job.id());
        waitForThumbnails(outputs.size());
        CacheStats again = thumbnailStats().orElseThrow();
        assertEquals(first.misses(), again.misses(), "read from the cache: " + again);
        assertEquals(first.hits() + outputs.size(), again.hits(), again.toString());
    }

    @Test
    void aJobWithoutANameIsShownByItsIdAndAFailedOneWithItsError() throws Exception {
        fake.failNodeClass("EmptyImage", "RuntimeError", "out of paint");
        try {
            Job job = queue().submit(JobRequest.of(PromptGraph.parse(TestPrompts.quick(502, "q502"), "unnamed")));
            TableItem row = waitForRow(job.id(), r -> r.getText(STATE).equals("FAILED"));
            assertTrue(row.getText(ERROR).contains("out of paint"), row.getText(ERROR));
        } finally {
            fake.clearNodeFailure("EmptyImage");
        }
    }

    @Test
    void retryQueuesAFailedJobAgainAsANewJobAndKeepsTheFailedOne() throws Exception {
        Job failed;
        fake.failNodeClass("EmptyImage", "RuntimeError", "out of paint");
        try {
            failed = queue().submit(JobRequest.of(PromptGraph.parse(TestPrompts.quick(0x5a5a01, "view-retry"), "retry"))
                    .withName("view-to-retry").withPriority(Priority.HIGH));
            waitForRow("view-to-retry", r -> r.getText(STATE).equals("FAILED"));
        } finally {
            fake.clearNodeFailure("EmptyImage");
        }
        part.select(failed.id());
        assertTrue(canExecute(new RetryJobsHandler()));

        execute(new RetryJobsHandler());

        Osgi.await("a second job of that name succeeded", () -> named("view-to-retry").stream()
                .anyMatch(j -> j.state() == JobState.SUCCEEDED));
        List<Job> both = named("view-to-retry");
        assertEquals(2, both.size(), both.toString());
        Job again = both.stream().filter(j -> !j.id().equals(failed.id())).findFirst().orElseThrow();
        assertEquals(failed.request().prompt(), again.request().prompt(), "the same graph");
        assertEquals(Priority.HIGH, again.priority(), "the same priority");
        assertEquals(JobState.FAILED, queue().job(failed.id()).orElseThrow().state(), "the failed job stays as it was");
        Ui.waitUntil(display, "both rows shown", () -> Arrays.stream(table().getItems())
                .filter(r -> r.getText(NAME).equals("view-to-retry")).count() == 2, () -> "rows: " + Ui.dump(table()));
        Ui.waitUntil(display, "the outcome in the status line", () -> message().equals("Queued 1 job again"),
                this::message);

        part.select(again.id());
        assertFalse(canExecute(new RetryJobsHandler()), "a succeeded job is not run again");
        part.select(failed.id());
        assertFalse(canExecute(new RetryJobsHandler()), "a job retried already is not retried twice");
    }

    private static List<Job> named(String name) {
        return queue().jobs(EnumSet.allOf(JobState.class)).stream().filter(j -> name.equals(j.request().name())).toList();
    }

    @Test
    void theFilterShowsTheJobsWithEveryWordTypedAndSaysHowManyOfAll() throws Exception {
        Job fox = queue().submit(JobRequest.of(PromptGraph.parse(TestPrompts.quick(0x6a6a01, "fox"), "fox"))
                .withName("view-filter red fox"));
        Job owl = queue().submit(JobRequest.of(PromptGraph.parse(TestPrompts.quick(0x6a6a02, "owl"), "owl"))
                .withName("view-filter snowy owl"));
        waitForRow("view-filter red fox", r -> r.getText(STATE).equals("SUCCEEDED"));
        waitForRow("view-filter snowy owl", r -> r.getText(STATE).equals("SUCCEEDED"));
        Text filter = Ui.get(shell, "jobs.filter", Text.class);

        filter.setText("VIEW-FILTER owl succeeded");
        Ui.waitUntil(display, "only the owl", () -> Ui.row(table(), NAME, "view-filter red fox").isEmpty()
                && Ui.row(table(), NAME, "view-filter snowy owl").isPresent(), () -> "rows: " + Ui.dump(table()));
        assertTrue(summary().contains("showing 1 of "), summary());
        filter.setText(fox.id().substring(0, 8));
        Ui.waitUntil(display, "the fox by its id", () -> table().getItemCount() == 1
                && Ui.row(table(), NAME, "view-filter red fox").isPresent(), () -> "rows: " + Ui.dump(table()));

        filter.setText("");
        Ui.waitUntil(display, "every job again", () -> Ui.row(table(), NAME, "view-filter red fox").isPresent()
                && Ui.row(table(), NAME, "view-filter snowy owl").isPresent(), () -> "rows: " + Ui.dump(table()));
        assertFalse(summary().contains("showing"), summary());
        assertTrue(queue().job(owl.id()).isPresent());
    }

    @Test
    void aClickOnAHeaderSortsByThatColumnAndAThirdGivesTheQueuesOrderBack() throws Exception {
        queue().submit(JobRequest.of(PromptGraph.parse(TestPrompts.quick(0x6b6b01, "sortb"), "b")).withName("view-sort b"));
        queue().submit(JobRequest.of(PromptGraph.parse(TestPrompts.quick(0x6b6b02, "sorta"), "a")).withName("view-sort a"));
        waitForRow("view-sort a", r -> r.getText(STATE).equals("SUCCEEDED"));
        waitForRow("view-sort b", r -> r.getText(STATE).equals("SUCCEEDED"));
        Ui.get(shell, "jobs.filter", Text.class).setText("view-sort");
        Ui.waitUntil(display, "the two jobs", () -> table().getItemCount() == 2, () -> "rows: " + Ui.dump(table()));
        List<String> queueOrder = names();
        org.eclipse.swt.widgets.TableColumn name = table().getColumn(NAME);

        name.notifyListeners(SWT.Selection, new Event());
        assertEquals(List.of("view-sort a", "view-sort b"), names());
        assertEquals(SWT.UP, table().getSortDirection());
        name.notifyListeners(SWT.Selection, new Event());
        assertEquals(List.of("view-sort b", "view-sort a"), names());
        name.notifyListeners(SWT.Selection, new Event());
        assertEquals(queueOrder, names(), "the queue's order again");
        assertEquals(SWT.NONE, table().getSortDirection());
        Ui.get(shell, "jobs.filter", Text.class).setText("");
    }

    private List<String> names() {
        return Arrays.stream(table().getItems()).map(r -> r.getText(NAME)).toList();
    }

    @Test
    void clearEndedRemovesTheEndedJobsFromTheListAndKeepsTheirFiles() throws Exception {
        Job done = queue().submit(JobRequest.of(PromptGraph.parse(TestPrompts.quick(0x445566, "view-clear"), "clear"))
                .withName("view-to-clear"));
        waitForRow("view-to-clear", r -> r.getText(STATE).equals("SUCCEEDED"));
        Path output = queue().job(done.id()).orElseThrow().outputs().get(0);
        assertTrue(canExecute(new ClearEndedJobsHandler()));

        execute(new ClearEndedJobsHandler());

        Ui.waitUntil(display, "the ended job gone from the list", () -> Ui.row(table(), NAME, "view-to-clear").isEmpty(),
                () -> "rows: " + Ui.dump(table()));
        assertTrue(queue().job(done.id()).isEmpty(), "forgotten by the queue");
        assertTrue(Files.isRegularFile(output), "its file stays");
        assertFalse(canExecute(new ClearEndedJobsHandler()), "nothing left to clear");
    }

    @Test
    void cancellingTheSelectedQueuedJobCancelsItInTheQueueAndTheTable() throws Exception {
        try (Stall hold = fake.holdNode(TestPrompts.SLOW_NODE)) {
            Job running = queue().submit(slow(511, "view-holds-the-slot"));
            Job waiting = queue().submit(slow(512, "view-to-cancel"));
            waitForRow("view-holds-the-slot", r -> r.getText(STATE).equals("RUNNING"));
            waitForRow("view-to-cancel", r -> r.getText(STATE).equals("QUEUED"));

            part.select(waiting.id());
            assertTrue(canExecute(new CancelJobsHandler()));
            execute(new CancelJobsHandler());

            Osgi.await("the job cancelled", () -> queue().job(waiting.id()).orElseThrow().state() == JobState.CANCELLED);
            waitForRow("view-to-cancel", r -> r.getText(STATE).equals("CANCELLED"));
            assertEquals(JobState.RUNNING, queue().job(running.id()).orElseThrow().state(), "the other job goes on");
            assertFalse(canExecute(new CancelJobsHandler()), "a cancelled job cannot be cancelled again");
            Ui.screenshot(shell, Path.of("target", "screenshots", "jobs-view-cancelled.png"));
        }
    }

    @Test
    void pauseAndResumeThroughTheViewPauseAndResumeTheQueue() throws Exception {
        MItem item = MMenuFactory.INSTANCE.createHandledToolItem();
        assertTrue(canExecute(new PauseResumeHandler(), item));
        assertFalse(item.isSelected());

        execute(new PauseResumeHandler());
        Osgi.await("the queue paused", () -> queue().paused());
        Ui.waitUntil(display, "the view showing the pause", () -> summary().startsWith("Queue paused"), this::summary);
        assertTrue(part.paused());
        canExecute(new PauseResumeHandler(), item);
        assertTrue(item.isSelected(), "the tool item is pressed while the queue is paused");

        // a job submitted now waits
        Job job = queue().submit(slow(521, "view-paused"));
        waitForRow("view-paused", r -> r.getText(STATE).equals("PAUSED"));

        execute(new PauseResumeHandler());
        Osgi.await("the queue resumed", () -> !queue().paused());
        Ui.waitUntil(display, "the view showing the queue running", () -> summary().startsWith("Queue running"),
                this::summary);
        waitForRow("view-paused", r -> r.getText(STATE).equals("SUCCEEDED"));
        assertEquals(JobState.SUCCEEDED, queue().job(job.id()).orElseThrow().state());
        canExecute(new PauseResumeHandler(), item);
        assertFalse(item.isSelected());
    }

    @Test
    void aRunningJobWhoseServerIsDownSaysSoInsteadOfItsLastProgress() throws Exception {
        ServerHealthService health = Osgi.service(ServerHealthService.class);
        queue().submit(JobRequest.of(PromptGraph.parse(TestPrompts.quick(552, "view-ended"), "view-ended"))
                .withName("view-ended"));
        waitForRow("view-ended", r -> r.getText(STATE).equals("SUCCEEDED"));
        try (Stall hold = fake.holdNode(TestPrompts.SLOW_NODE)) {
            queue().submit(slow(551, "view-server-down"));
            waitForRow("view-server-down", r -> r.getText(PROGRESS).equals("33 % \u00b7 ImageBlur"));
            fake.refuseConnections(true);
            try {
                assertEquals(HealthState.DOWN, health.refresh(serverId).get(10, TimeUnit.SECONDS).state());
                TableItem row = waitForRow("view-server-down",
                        r -> r.getText(PROGRESS).startsWith("server unreachable"));
                assertEquals("RUNNING", row.getText(STATE), "the queue waits for the server (its grace is long here)");
                assertTrue(row.getText(PROGRESS).endsWith("waiting for it (tried on another server if it stays away)"),
                        row.getText(PROGRESS));
                assertEquals("", waitForRow("view-ended", r -> true).getText(PROGRESS),
                        "an ended job on the same server waits for nothing");
            } finally {
                fake.refuseConnections(false);
            }
            assertEquals(HealthState.UP, health.refresh(serverId).get(10, TimeUnit.SECONDS).state());
            waitForRow("view-server-down", r -> !r.getText(PROGRESS).startsWith("server unreachable"));
        }
        waitForRow("view-server-down", r -> r.getText(STATE).equals("SUCCEEDED"));
    }

    @Test
    void rowsKeepTheirPlacesWhileThePointerIsOverTheTable() throws Exception {
        queue().pause();
        queue().submit(slow(541, "place-first"));
        Job second = queue().submit(slow(542, "place-second"));
        waitForRow("place-second", r -> r.getText(STATE).equals("PAUSED"));
        assertTrue(rowIndex("place-first") < rowIndex("place-second"));

        // the user is about to click a row: a change of order must not move another job under the pointer
        table().notifyListeners(SWT.MouseEnter, new Event());
        assertTrue(queue().reprioritise(second.id(), Priority.HIGH));
        part.refresh(); // a change of priority is no change of state: the queue announces none
        waitForRow("place-second", r -> r.getText(PRIORITY).equals("HIGH"));
        assertTrue(rowIndex("place-first") < rowIndex("place-second"), "kept in its place: " + Ui.dump(table()));
        queue().submit(slow(543, "place-third"));
        waitForRow("place-third", r -> r.getText(STATE).equals("PAUSED"));
        assertTrue(rowIndex("place-second") < rowIndex("place-third"), "a new job comes after the rows shown");

        table().notifyListeners(SWT.MouseExit, new Event());
        Ui.waitUntil(display, "the rows in their order again", () -> rowIndex("place-second") < rowIndex("place-first"),
                () -> Ui.dump(table()));
        assertEquals(2, rowIndex("place-third") - rowIndex("place-second"), "by priority, then first in first out: "
                + Ui.dump(table()));
    }

    @Test
    void raisingAndLoweringTheSelectedWaitingJobChangesItsPriorityInTheQueue() throws Exception {
        queue().pause();
        Job first = queue().submit(slow(531, "view-first"));
        Job second = queue().submit(slow(532, "view-second"));
        waitForRow("view-second", r -> r.getText(STATE).equals("PAUSED"));
        assertTrue(rowIndex("view-first") < rowIndex("view-second"), "first in, first out within a priority");

        part.select(second.id());
        assertTrue(canExecute(new RaisePriorityHandler()));
        execute(new RaisePriorityHandler());
        Osgi.await("raised", () -> queue().job(second.id()).orElseThrow().priority() == Priority.HIGH);
        waitForRow("view-second", r -> r.getText(PRIORITY).equals("HIGH"));
        assertTrue(rowIndex("view-second") < rowIndex("view-first"), "the higher priority first: " + Ui.dump(table()));
        assertEquals(List.of(second.id()), part.selection().stream().map(Job::id).toList(), "the selection stays");

        execute(new LowerPriorityHandler());
        Osgi.await("lowered", () -> queue().job(second.id()).orElseThrow().priority() == Priority.NORMAL);
        waitForRow("view-second", r -> r.getText(PRIORITY).equals("NORMAL"));
        execute(new LowerPriorityHandler());
        Osgi.await("lowered again", () -> queue().job(second.id()).orElseThrow().priority() == Priority.LOW);
        waitForRow("view-second", r -> r.getText(PRIORITY).equals("LOW"));
        assertFalse(canExecute(new LowerPriorityHandler()), "nothing is lower than LOW");
        assertTrue(canExecute(new RaisePriorityHandler()));
        assertEquals(Priority.NORMAL, queue().job(first.id()).orElseThrow().priority(), "the other job keeps its own");

        part.select(first.id(), second.id());
        assertFalse(canExecute(new RaisePriorityHandler()), "one job at a time");
        assertTrue(canExecute(new CancelJobsHandler()), "but several can be cancelled");
    }

    @Test
    void aBurstOfJobChangesIsRenderedInAFewRefreshesNotOnePerChange() throws Exception {
        queue().pause();
        part.refresh(); // pausing an empty queue changes no job: nothing tells the view
        waitForSummary("Queue paused");
        int before = sync.posted();
        List<JobRequest> requests = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            requests.add(slow(600 + i, "view-burst-" + i));
        }
        List<Job> jobs = queue().submitAll(requests);
        assertEquals(300, queue().clear(), "each job changes twice: queued (paused), then cancelled");
        Ui.waitUntil(display, "every burst job shown cancelled", () -> Arrays.stream(table().getItems())
                .filter(r -> r.getText(NAME).startsWith("view-burst-"))
                .filter(r -> r.getText(STATE).equals("CANCELLED")).count() == jobs.size(), () -> summary());
        int posted = sync.posted() - before;
        assertTrue(posted < 60, "600 job events posted " + posted + " runnables to the UI thread");
    }

    // ----

    private static JobQueue queue() {
        return Osgi.service(JobQueue.class);
    }

    private static JobRequest slow(int color, String name) {
        return JobRequest.of(PromptGraph.parse(TestPrompts.slow(color), name)).withName(name);
    }

    private boolean canExecute(Object handler) {
        return canExecute(handler, null);
    }

    /** Asks a handler as the workbench does: by DI, with the part's model element (and its tool item) at hand. */
    private boolean canExecute(Object handler, MItem item) {
        IEclipseContext handlerContext = handlerContext(item);
        try {
            return (Boolean) ContextInjectionFactory.invoke(handler, CanExecute.class, handlerContext);
        } finally {
            handlerContext.dispose();
        }
    }

    private void execute(Object handler) {
        IEclipseContext handlerContext = handlerContext(null);
        try {
            ContextInjectionFactory.invoke(handler, Execute.class, handlerContext);
        } finally {
            handlerContext.dispose();
        }
    }

    private IEclipseContext handlerContext(MItem item) {
        IEclipseContext handlerContext = context.createChild("handler");
        handlerContext.set(MPart.class, model);
        if (item != null) {
            handlerContext.set(MItem.class, item);
        }
        return handlerContext;
    }

    private Label live() {
        return Ui.get(shell, "jobs.live", Label.class);
    }

    private void waitForLivePreview(int width, int height) {
        Ui.waitUntil(display, "a live preview of " + width + "x" + height, () -> live().getVisible()
                && live().getImage() != null && live().getImage().getBounds().width == width
                && live().getImage().getBounds().height == height,
                () -> live().getImage() == null ? "no image" : live().getImage().getBounds().toString());
    }

    /** A binary preview frame with metadata (type 4), as ComfyUI sends once the handshake asked for it. */
    private static byte[] preview(String promptId, int width, int height) {
        byte[] meta = ("{\"node_id\":\"2\",\"prompt_id\":\"" + promptId + "\",\"display_node_id\":\"2\","
                + "\"parent_node_id\":null,\"real_node_id\":\"2\",\"image_type\":\"image/png\"}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] image = png(width, height);
        return ByteBuffer.allocate(8 + meta.length + image.length).putInt(4).putInt(meta.length).put(meta).put(image)
                .array();
    }

    private static byte[] png(int width, int height) {
        ImageLoader loader = new ImageLoader();
        loader.data = new ImageData[] { new ImageData(width, height, 24, new PaletteData(0xFF0000, 0xFF00, 0xFF)) };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        loader.save(out, SWT.IMAGE_PNG);
        return out.toByteArray();
    }

    private List<Label> waitForThumbnails(int count) {
        Ui.waitUntil(display, count + " thumbnails", () -> previewLabels().stream()
                .filter(l -> l.getImage() != null).count() == count, () -> "");
        return previewLabels();
    }

    private List<Label> previewLabels() {
        return Arrays.stream(Ui.get(shell, "jobs.preview", Composite.class).getChildren())
                .filter(c -> "jobs.preview.output".equals(c.getData(JobsPart.WIDGET_KEY))).map(Label.class::cast).toList();
    }

    private static java.util.Optional<CacheStats> thumbnailStats() {
        return Osgi.service(CacheManager.class).statistics().stream().filter(s -> s.name().equals("ui.thumbnails"))
                .findFirst();
    }

    private Table table() {
        return Ui.get(shell, "jobs.table", Table.class);
    }

    private String summary() {
        return Ui.get(shell, "jobs.summary", Label.class).getText();
    }

    private String message() {
        return Ui.get(shell, "jobs.message", org.eclipse.swt.custom.CLabel.class).getText();
    }

    private void waitForSummary(String prefix) {
        Ui.waitUntil(display, "the summary " + prefix, () -> summary().startsWith(prefix), this::summary);
    }

    private int rowIndex(String name) {
        TableItem[] rows = table().getItems();
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].getText(NAME).equals(name)) {
                return i;
            }
        }
        throw new AssertionError("no row " + name + ": " + Ui.dump(table()));
    }

    private TableItem waitForRow(String name, Predicate<TableItem> condition) {
        Ui.waitUntil(display, "job " + name, () -> Ui.row(table(), NAME, name).filter(condition).isPresent(),
                () -> "rows: " + Ui.dump(table()));
        return Ui.row(table(), NAME, name).orElseThrow();
    }
}
