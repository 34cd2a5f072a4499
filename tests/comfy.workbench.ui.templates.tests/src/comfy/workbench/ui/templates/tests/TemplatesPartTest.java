package comfy.workbench.ui.templates.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.eclipse.e4.core.contexts.ContextInjectionFactory;
import org.eclipse.e4.core.contexts.IEclipseContext;
import org.eclipse.e4.ui.model.application.ui.basic.MBasicFactory;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.CLabel;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
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

import comfy.workbench.connection.api.ServerDescriptor;
import comfy.workbench.connection.api.ServerRegistry;
import comfy.workbench.model.api.NodeSchema;
import comfy.workbench.monitor.api.NodeSchemas;
import comfy.workbench.queue.api.Job;
import comfy.workbench.queue.api.JobQueue;
import comfy.workbench.queue.api.JobState;
import comfy.workbench.queue.api.ServerPolicy;
import comfy.workbench.templates.api.Binding;
import comfy.workbench.templates.api.GraphChange;
import comfy.workbench.templates.api.Parameter;
import comfy.workbench.templates.api.Preview;
import comfy.workbench.templates.api.Template;
import comfy.workbench.templates.api.TemplateDraft;
import comfy.workbench.templates.api.TemplateException;
import comfy.workbench.templates.api.TemplateLibrary;
import comfy.workbench.templates.api.TemplateService;
import comfy.workbench.testing.captures.Captures;
import comfy.workbench.testing.fake.FakeComfyServer;
import comfy.workbench.testing.osgi.Osgi;
import comfy.workbench.testing.osgi.TestPlatform;
import comfy.workbench.testing.ui.ViewHost;
import comfy.workbench.testing.ui.Handlers;
import comfy.workbench.testing.ui.Ui;
import comfy.workbench.ui.templates.internal.DeleteTemplateHandler;
import comfy.workbench.ui.templates.internal.PreviewTemplateHandler;
import comfy.workbench.ui.templates.internal.RefreshTemplatesHandler;
import comfy.workbench.ui.templates.internal.RunTemplateHandler;
import comfy.workbench.ui.templates.internal.TemplatesPart;
import comfy.workbench.workflows.api.LibraryEntry;
import comfy.workbench.workflows.api.LibraryException;
import comfy.workbench.workflows.api.SearchHit;
import comfy.workbench.workflows.api.Workflow;
import comfy.workbench.workflows.api.WorkflowCodec;
import comfy.workbench.workflows.api.WorkflowQuery;

/**
 * Drives the Templates view against the real template library and service, node schemas and job queue and a fake
 * ComfyUI server under Xvfb: the part is made by e4 DI in a context backed by the OSGi services, as the workbench
 * makes it; the toolbar's handlers are invoked by DI with the part's model element; values are typed into the real
 * widgets; the assertions read the widgets, the services and the fake server. The view's poll is off, so that what
 * changes on screen comes from its own actions and the reads they cause.
 */
class TemplatesPartTest {

    /** Bundles whose services the view needs; the test runtime resolves them but starts only a few bundles. */
    private static final String[] SERVICE_BUNDLES = { "org.eclipse.equinox.event", "org.apache.felix.configadmin",
            "org.eclipse.e4.core.di", "org.eclipse.e4.core.di.extensions.supplier", "org.eclipse.e4.ui.di",
            "comfy.workbench.connection", "comfy.workbench.monitor", "comfy.workbench.cache", "comfy.workbench.workflows",
            "comfy.workbench.templates", "comfy.workbench.queue", "comfy.workbench.ui.templates" };

    private static final String QUEUE = "comfy.workbench.queue.internal.QueueComponent";

    /** The most jobs one Run may make in these tests. */
    private static final long MAX_JOBS = 10;

    /**
     * LoadImage → ImageBlur → ImageScale → SaveImage, an unconnected RandomNoise for a seed, and an unconnected
     * SolidMask → GrowMask for a boolean (the server checks and runs only what an output depends on).
     */
    private static final String BASE = """
            {"1": {"class_type": "LoadImage", "inputs": {"image": "example.png"}},
             "2": {"class_type": "ImageBlur", "inputs": {"image": ["1", 0], "blur_radius": 3, "sigma": 1.5}},
             "3": {"class_type": "ImageScale", "inputs": {"image": ["2", 0], "upscale_method": "bilinear",
                   "width": 256, "height": 256, "crop": "disabled"}},
             "4": {"class_type": "SaveImage", "inputs": {"images": ["3", 0], "filename_prefix": "tpl"}},
             "5": {"class_type": "RandomNoise", "inputs": {"noise_seed": 7}},
             "6": {"class_type": "SolidMask", "inputs": {"value": 1.0, "width": 8, "height": 8}},
             "7": {"class_type": "GrowMask", "inputs": {"mask": ["6", 0], "expand": 0, "tapered_corners": true}}}
            """;

    // the table's columns
    private static final int NAME = 0;
    private static final int PARAMETERS = 1;
    private static final int PROBLEMS = 4;
    private static final int REVISION = 5;

    @TempDir
    static Path data;
    @TempDir
    Path files;

    private static ViewHost host;
    private static Display display;
    private static IEclipseContext services;
    private static FakeComfyServer fake;
    private static String serverId;

    private Shell shell;
    private IEclipseContext context;
    private TemplatesPart part;
    private MPart model;

    @BeforeAll
    static void startPlatform() throws Exception {
        Bundle self = FrameworkUtil.getBundle(TemplatesPart.class);
        self.start(Bundle.START_TRANSIENT);
        BundleContext bundleContext = self.getBundleContext();
        Osgi.start(SERVICE_BUNDLES);
        TestPlatform.configure(data);
        Osgi.configure("comfy.workbench.queue", QUEUE, Map.of("tickMillis", 50L, "reconcileRetryMillis", 200L,
                "lostServerGraceMillis", 1_000L, "fixture", UUID.randomUUID().toString()));
        Osgi.await("the template library under the test's data folder", () -> library().folder().startsWith(data));
        ServerRegistry registry = Osgi.service(ServerRegistry.class);
        registry.remove(ServerDescriptor.DEFAULT_ID);
        fake = FakeComfyServer.builder().start();
        serverId = "fake-templates-view";
        registry.add(new ServerDescriptor(serverId, "Fake " + fake.port(), fake.baseUri(), null));

        host = ViewHost.open(bundleContext, "templates view test");
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
    void openView() {
        // each test starts from an empty library
        library().entries().forEach(e -> library().delete(e.id(), e.revision()));
        openView(0L);
    }

    private void openView(long pollMillis) {
        Composite parent = ViewHost.shell(display, "Templates view test", 1000, 760);
        shell = parent.getShell();
        context = services.createChild("templates view");
        context.set(Composite.class, parent);
        context.set(TemplatesPart.POLL_MILLIS_KEY, pollMillis);
        context.set(TemplatesPart.MAX_JOBS_KEY, MAX_JOBS);
        part = ContextInjectionFactory.make(TemplatesPart.class, context);
        model = MBasicFactory.INSTANCE.createPart();
        model.setElementId("comfy.workbench.ui.templates.part");
        model.setObject(part);
        shell.open();
    }

    @AfterEach
    void closeView() {
        context.dispose(); // runs the part's @PreDestroy: its threads end
        shell.dispose();
    }

    @Test
    void theTableListsTheTemplatesWithTheirParameterCountsAndTheSearchNarrowsThem() throws Exception {
        Template portrait = library().create(draft("Portrait blur", "radius", "size")
                .withDescription("soft portraits").withTags(List.of("portrait", "blur")));
        library().create(draft("Landscape resize", "size", "method", "prefix").withTags(List.of("scenery")));
        library().create(draft("Everything", "image", "radius", "sigma", "method", "size", "prefix", "seed", "taper"));
        List<String> all = library().entries().stream().map(LibraryEntry::name).toList();
        assertEquals(List.of("Everything", "Landscape resize", "Portrait blur"), all);
        refreshed();

        waitForRows(all);
        assertEquals("3 templates", summary());
        assertEquals("2", row("Portrait blur").getText(PARAMETERS));
        assertEquals("3", row("Landscape resize").getText(PARAMETERS));
        assertEquals("8", row("Everything").getText(PARAMETERS));
        assertEquals(Long.toString(portrait.revision()), row("Portrait blur").getText(REVISION));

        search("portrait");
        List<String> hits = hits(WorkflowQuery.text("portrait"));
        assertEquals(List.of("Portrait blur"), hits, "the library's own answer");
        waitForRows(hits);
        assertEquals("1 of 3 templates match", summary());

        search("scenery");
        waitForRows(hits(WorkflowQuery.text("scenery")));
        assertEquals(List.of("Landscape resize"), rowNames());

        search("");
        waitForRows(all);
        Ui.screenshot(shell, Path.of("target", "screenshots", "templates-view-list.png"));
    }

    @Test
    void aSelectedTemplateShowsOneTypedControlPerParameterPrefilledWithItsDefault() throws Exception {
        Template t = library().create(draft("Everything", "image", "radius", "sigma", "method", "size", "prefix", "seed",
                "taper"));
        refreshed();
        waitForRows(List.of("Everything"));
        part.select(t.id());

        Ui.waitUntil(display, "the form", () -> Ui.find(shell, "templates.param.radius", Text.class).isPresent(),
                this::jobs);
        assertEquals("3", field("radius").getText());
        assertEquals("1.5", field("sigma").getText());
        assertEquals("256", field("size").getText());
        assertEquals("tpl", field("prefix").getText());
        assertEquals("7", field("seed").getText());
        assertEquals("example.png", field("image").getText());
        Combo method = Ui.get(shell, "templates.param.method", Combo.class);
        assertEquals("bilinear", method.getText());
        assertArrayEquals(t.parameter("method").orElseThrow().options().toArray(String[]::new), method.getItems());
        Button taper = Ui.get(shell, "templates.param.taper", Button.class);
        assertTrue((taper.getStyle() & SWT.CHECK) != 0, "a check box");
        assertTrue(taper.getSelection(), "its default is true");
        Ui.get(shell, "templates.browse.image", Button.class);
        Button random = Ui.get(shell, "templates.random.seed", Button.class);
        waitForJobs("Run makes 1 job.");
        assertTrue(canExecute(new PreviewTemplateHandler()));
        assertTrue(canExecute(new RunTemplateHandler()));

        // every field takes a sweep, and the form counts the jobs as the service plans them
        field("radius").setText("2, 4, 6");
        field("size").setText("64, 128");
        waitForJobs("Run makes 6 jobs (a sweep over radius \u00d7 size).");
        assertEquals(6, Osgi.service(TemplateService.class).sweep(t, List.of(
                new comfy.workbench.templates.api.SweepAxis("radius", List.of("2", "4", "6")),
                new comfy.workbench.templates.api.SweepAxis("size", List.of("64", "128"))), Map.of(), 100).count());
        Ui.click(random);
        assertEquals(Parameter.RANDOM, field("seed").getText());
        field("prefix").setText("a cat, sunset | a dog, dawn");
        Ui.waitUntil(display, "the cap named", () -> jobs().contains("more than the cap of " + MAX_JOBS), this::jobs);
        assertTrue(jobs().contains("12 instances"), jobs());
        Ui.waitUntil(display, "Run disabled", () -> !canExecute(new RunTemplateHandler()), this::jobs);

        Throwable capped = failure(part.run());
        assertEquals(TemplateException.Kind.TOO_MANY_INSTANCES, ((TemplateException) capped).kind());
        assertTrue(message().contains("nothing was queued"), message());
        assertTrue(jobsNamed("Everything").isEmpty(), "nothing was queued");
        Ui.screenshot(shell, Path.of("target", "screenshots", "templates-view-form.png"));
    }

    @Test
    void badValuesAreReportedAllAtOnceNamingEachParameterAndNothingIsQueued() throws Exception {
        Template t = library().create(draft("Checked", "radius", "sigma", "size", "method"));
        refreshed();
        waitForRows(List.of("Checked"));
        part.select(t.id());
        Ui.waitUntil(display, "the form", () -> Ui.find(shell, "templates.param.radius", Text.class).isPresent(),
                this::jobs);
        field("radius").setText("99");
        field("sigma").setText("soft");
        field("size").setText("64, x");
        Ui.get(shell, "templates.param.method", Combo.class).setText("sideways");

        Ui.waitUntil(display, "the bad values named", () -> jobs().contains("4 invalid values"), this::jobs);
        for (String name : List.of("radius", "sigma", "size", "method")) {
            assertTrue(jobs().contains(name + ":"), jobs());
            assertEquals(display.getSystemColor(SWT.COLOR_RED), label(name).getForeground(), name + " marked");
        }

        Throwable bad = failure(part.run());
        TemplateException e = (TemplateException) bad;
        assertEquals(TemplateException.Kind.INVALID_VALUE, e.kind());
        assertEquals(4, e.details().size(), e.details().toString());
        assertTrue(e.details().stream().anyMatch(d -> d.startsWith("radius: 99 is above the maximum 31")),
                e.details().toString());
        assertTrue(message().startsWith("Run failed: template Checked: 4 invalid values"), message());
        assertTrue(message().contains("sigma: \"soft\" is not a number"), message());
        assertTrue(message().contains("nothing was queued"), message());
        assertTrue(jobsNamed("Checked").isEmpty(), "nothing was queued");

        // the preview says the same
        failure(part.preview());
        assertTrue(message().startsWith("Preview failed: template Checked: 4 invalid values"), message());

        field("radius").setText("5");
        field("sigma").setText("2");
        field("size").setText("64");
        Ui.get(shell, "templates.param.method", Combo.class).setText("area");
        waitForJobs("Run makes 1 job.");
        assertNotEquals(display.getSystemColor(SWT.COLOR_RED), label("radius").getForeground(), "no longer marked");
    }

    @Test
    void previewShowsTheChangesAgainstTheBaseWorkflowAndItsValidationWithoutRunningAnything() throws Exception {
        Template t = library().create(draft("Previewed", "radius", "size", "prefix", "seed"));
        refreshed();
        waitForRows(List.of("Previewed"));
        part.select(t.id());
        Ui.waitUntil(display, "the form", () -> Ui.find(shell, "templates.param.size", Text.class).isPresent(),
                this::jobs);
        field("size").setText("64");
        field("prefix").setText("previewed");
        int promptsBefore = fake.requests("POST /prompt");

        assertTrue(canExecute(new PreviewTemplateHandler()));
        Preview preview = finish(part.preview());

        Map<String, String> changes = preview.changes().stream().collect(Collectors.toMap(
                c -> c.nodeId() + "." + c.input(), c -> c.before() + " -> " + c.after()));
        assertEquals(Map.of("3.width", "256 -> 64", "3.height", "256 -> 64", "4.filename_prefix", "\"tpl\" -> \"previewed\""),
                changes);
        assertTrue(preview.validation().valid(), preview.validation().describe());
        for (GraphChange c : preview.changes()) {
            assertTrue(details().contains(c.nodeId() + " (" + c.classType() + ")." + c.input() + ": " + c.before()
                    + " \u2192 " + c.after()), details());
        }
        assertTrue(details().contains("Valid: every output would run."), details());
        assertTrue(details().contains("against Fake " + fake.port()), details());
        assertEquals("Preview: 3 changes; valid, nothing was run", message());
        assertEquals(promptsBefore, fake.requests("POST /prompt"), "nothing was sent to the server");
        assertTrue(jobsNamed("Previewed").isEmpty(), "nothing was queued");

        // a sweep previews its first combination
        field("radius").setText("4, 8");
        finish(part.preview());
        assertTrue(details().contains("combination 1 of 2 (radius=4)"), details());
        Ui.screenshot(shell, Path.of("target", "screenshots", "templates-view-preview.png"));

        // a value changed after a preview takes the preview away: it was of other values
        field("prefix").setText("changed since");
        assertEquals("", details(), "no preview of other values beside these");

        // a preview that fails leaves no older one standing, and the details go with their template
        finish(part.preview());
        field("radius").setText("99");
        failure(part.preview());
        assertEquals("", details());
        field("radius").setText("4");
        finish(part.preview());
        assertTrue(details().contains("Valid: every output would run."), details());
        Template other = library().create(draft("Another " + UUID.randomUUID().toString().substring(0, 6), "size"));
        refreshed();
        Ui.waitUntil(display, "the other template listed", () -> rowNames().contains(other.name()), this::rows);
        part.select(other.id());
        assertEquals(Optional.of(other.id()), part.selectedId());
        assertEquals("", details(), "the details were of the other template");
    }

    @Test
    void runQueuesOneJobPerSweepCombinationInABatchAndTheFakeServerCompletesThem() throws Exception {
        String name = "Run " + UUID.randomUUID().toString().substring(0, 8);
        Template t = library().create(draft(name, "image", "size", "seed", "prefix"));
        refreshed();
        waitForRows(List.of(name));
        part.select(t.id());
        Ui.waitUntil(display, "the form", () -> Ui.find(shell, "templates.param.size", Text.class).isPresent(),
                this::jobs);
        Path image = Files.copy(Captures.locate().file("files/03_upload_src.png"), files.resolve("portrait.png"));
        field("image").setText(image.toString());
        field("size").setText("32, 48");
        field("seed").setText("random");
        field("prefix").setText("swept");
        waitForJobs("Run makes 2 jobs (a sweep over size).");
        assertTrue(canExecute(new RunTemplateHandler()));

        List<Job> queued = finish(part.run());

        assertEquals(2, queued.size());
        assertEquals(List.of(name + " (size=32)", name + " (size=48)"), queued.stream().map(j -> j.request().name()).toList());
        String batch = queued.get(0).request().batchId();
        assertNotNull(batch);
        assertEquals(queued.stream().map(Job::id).toList(), queue().batch(batch).stream().map(Job::id).toList());
        assertTrue(message().startsWith("Queued 2 jobs in batch " + batch), message());
        for (int i = 0; i < 2; i++) {
            Job done = queue().completion(queued.get(i).id()).toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertEquals(JobState.SUCCEEDED, done.state(), String.valueOf(done.error()));
            assertFalse(done.outputs().isEmpty());
            var prompt = done.request().prompt();
            int size = i == 0 ? 32 : 48;
            assertEquals(size, prompt.node("3").orElseThrow().input("width").orElseThrow().getAsInt());
            assertEquals(size, prompt.node("3").orElseThrow().input("height").orElseThrow().getAsInt());
            assertEquals("swept", prompt.node("4").orElseThrow().input("filename_prefix").orElseThrow().getAsString());
            // the image went to the server that runs the job
            String uploaded = prompt.node("1").orElseThrow().input("image").orElseThrow().getAsString();
            assertTrue(Files.isRegularFile(fake.dataDir().resolve("input").resolve(uploaded)), uploaded);
            assertEquals(ServerPolicy.named(serverId), done.request().policy());
            assertEquals(serverId, done.serverId());
        }
    }

    @Test
    void deleteRemovesTheTemplateOnlyAtTheRevisionTheUserSaw() throws Exception {
        Template keep = library().create(draft("keep me", "size"));
        Template first = library().create(draft("delete me", "radius"));
        refreshed();
        waitForRows(List.of("delete me", "keep me"));
        part.select(first.id());
        assertTrue(canExecute(new DeleteTemplateHandler()));

        // someone else changes it meanwhile: the revision the view shows is stale
        Template changed = library().update(first.id(), first.revision(), draft("delete me", "radius", "sigma"));
        Throwable conflict = failure(part.delete(first.id(), first.revision()));
        assertEquals(LibraryException.Kind.CONFLICT, ((LibraryException) conflict).kind());
        assertTrue(message().contains(conflict.getMessage()) && message().contains("the template stays"), message());
        assertTrue(library().entry(first.id()).isPresent());
        Ui.waitUntil(display, "the new revision shown",
                () -> row("delete me").getText(REVISION).equals(Long.toString(changed.revision())), this::rows);
        assertEquals("2", row("delete me").getText(PARAMETERS));

        finish(part.delete(changed.id(), changed.revision()));
        assertTrue(library().entry(first.id()).isEmpty());
        assertEquals(List.of(keep.id()), library().entries().stream().map(LibraryEntry::id).toList());
        waitForRows(List.of("keep me"));
        assertEquals("Deleted delete me", message());
    }

    @Test
    void aTemplateWhoseBindingsNoLongerFitItsWorkflowIsShownAsSuchAndNotRun() throws Exception {
        Template t = library().create(draft("Stale", "radius", "seed"));
        // its workflow changed outside the library: the RandomNoise the seed is bound to is gone
        Path file = library().folder().resolve(t.id() + ".json");
        Files.writeString(file, BASE.replace("\"5\": {\"class_type\": \"RandomNoise\", \"inputs\": {\"noise_seed\": 7}},", ""));
        execute(new RefreshTemplatesHandler());
        Template stale = library().read(t.id());
        assertEquals(1, stale.problems().size(), stale.problems().toString());
        assertEquals(new Binding("5", "noise_seed"), stale.problems().get(0).binding());

        Ui.waitUntil(display, "the problem in the table",
                () -> rowNames().equals(List.of("Stale")) && row("Stale").getText(PROBLEMS).equals("1 binding no longer fits"),
                this::rows);
        assertEquals("1 template; 1 cannot run", summary());
        part.select(t.id());
        Label problems = Ui.get(shell, "templates.problems", Label.class);
        Ui.waitUntil(display, "the problem over the form", () -> problems.isVisible()
                && problems.getText().contains(stale.problems().get(0).message()), problems::getText);
        assertFalse(canExecute(new RunTemplateHandler()));
        Throwable refused = failure(part.run());
        assertEquals(TemplateException.Kind.STALE_BINDING, ((TemplateException) refused).kind());
        assertTrue(message().contains("does not fit its workflow any more"), message());
        assertTrue(jobsNamed("Stale").isEmpty());
    }

    @Test
    void withoutAReachableServerPreviewAndRunSaySoAndQueueNothing() throws Exception {
        Template t = library().create(draft("Offline", "size"));
        refreshed();
        waitForRows(List.of("Offline"));
        part.select(t.id());
        Ui.waitUntil(display, "the form", () -> Ui.find(shell, "templates.param.size", Text.class).isPresent(),
                this::jobs);
        ServerRegistry registry = Osgi.service(ServerRegistry.class);
        ServerDescriptor ours = registry.server(serverId).orElseThrow();
        FakeComfyServer gone = FakeComfyServer.builder().start();
        ServerDescriptor dead = new ServerDescriptor("dead-templates-view", "Gone server", gone.baseUri(), null);
        gone.close();
        registry.remove(serverId);
        registry.add(dead);
        try {
            failure(part.preview());
            assertTrue(message().startsWith("Preview: no server is reachable to read a node schema from: Gone server:"),
                    message());
            failure(part.run());
            assertTrue(message().startsWith("Run: no server is reachable"), message());
            assertTrue(message().endsWith("nothing was queued"), message());
            assertTrue(jobsNamed("Offline").isEmpty());

            registry.remove(dead.id());
            failure(part.preview());
            assertTrue(message().contains("no server is configured"), message());
        } finally {
            registry.remove(dead.id());
            registry.add(ours);
        }
    }

    @Test
    void withoutTheTemplateServicesTheViewSaysSoAndComesBackWithThem() throws Exception {
        Template t = library().create(draft("Comes and goes", "size"));
        refreshed();
        waitForRows(List.of("Comes and goes"));
        part.select(t.id());
        Ui.waitUntil(display, "the form", () -> Ui.find(shell, "templates.param.size", Text.class).isPresent(),
                this::jobs);
        field("size").setText("96");
        Bundle templates = Arrays.stream(FrameworkUtil.getBundle(TemplatesPart.class).getBundleContext().getBundles())
                .filter(b -> b.getSymbolicName().equals("comfy.workbench.templates")).findFirst().orElseThrow();
        templates.stop();
        try {
            Ui.waitUntil(display, "the library's absence",
                    () -> summary().equals("Template library not available: no templates to show."), this::summary);
            assertTrue(rowNames().isEmpty(), rows());
            assertFalse(canExecute(new RefreshTemplatesHandler()));
            failure(part.refresh());
            assertEquals("Refresh: the template library is not available", message());
            failure(part.preview());
            assertEquals("Preview: select a template first", message());
        } finally {
            templates.start();
        }
        Osgi.await("the template library back", () -> Osgi.service(TemplateLibrary.class) != null);
        refreshed();
        waitForRows(List.of("Comes and goes"));
        // the template being filled in is selected again, with what was typed (the form was lost before)
        Ui.waitUntil(display, "the form back", () -> Ui.find(shell, "templates.param.size", Text.class).isPresent(),
                this::jobs);
        assertEquals(java.util.Optional.of(t.id()), part.selectedId());
        assertEquals("96", field("size").getText());
        waitForJobs("Run makes 1 job.");
    }

    @Test
    void theViewFollowsChangesMadeBesideItThroughTheLibrarysEvents() throws Exception {
        // the poll is off (as in every test): what the view shows comes from comfy/workbench/templates/LIBRARY_CHANGED
        waitForSummary("0 templates");
        // as the command line in this process or another bundle would change it
        Template t = library().create(draft("made beside", "size"));
        waitForRows(List.of("made beside"));
        Template renamed = library().update(t.id(), t.revision(), draft("renamed beside", "size", "radius"));
        Ui.waitUntil(display, "the new revision", () -> rowNames().equals(List.of("renamed beside"))
                && row("renamed beside").getText(PARAMETERS).equals("2"), this::rows);
        library().delete(renamed.id(), renamed.revision());
        waitForRows(List.of());
    }

    // ----

    /** The poll is off: the user's F5 after a change made beside the view, so that no test waits on the events' timing. */
    private void refreshed() throws Exception {
        // DS may re-register a service after the previous test's changes; e4 injects it again when it is back
        Ui.waitUntil(display, "the view's template library", part::hasLibrary, this::summary);
        finish(part.refresh());
    }

    private void waitForSummary(String text) {
        Ui.waitUntil(display, "the summary \"" + text + "\"", () -> summary().equals(text), this::summary);
    }

    private static TemplateLibrary library() {
        return Osgi.service(TemplateLibrary.class);
    }

    private static JobQueue queue() {
        return Osgi.service(JobQueue.class);
    }

    private static List<Job> jobsNamed(String prefix) {
        return queue().jobs(List.of()).stream().filter(j -> j.request().name().startsWith(prefix)).toList();
    }

    /**
     * A template of {@link #BASE} with some of these parameters: image, radius, sigma, method, size (width and
     * height), prefix, seed, taper; made by the template service from the fake server's node schema.
     */
    private static TemplateDraft draft(String name, String... parameters) {
        Workflow base = Osgi.service(WorkflowCodec.class).readApi(BASE, "base.json");
        NodeSchema schema;
        try {
            schema = Osgi.service(NodeSchemas.class).schema(serverId);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        Map<String, List<Binding>> bindings = Map.of("image", List.of(new Binding("1", "image")),
                "radius", List.of(new Binding("2", "blur_radius")), "sigma", List.of(new Binding("2", "sigma")),
                "method", List.of(new Binding("3", "upscale_method")),
                "size", List.of(new Binding("3", "width"), new Binding("3", "height")),
                "prefix", List.of(new Binding("4", "filename_prefix")), "seed", List.of(new Binding("5", "noise_seed")),
                "taper", List.of(new Binding("7", "tapered_corners")));
        TemplateService service = Osgi.service(TemplateService.class);
        List<Parameter> list = Arrays.stream(parameters)
                .map(p -> service.parameter(base, schema, p, bindings.get(p))).toList();
        return TemplateDraft.of(name, base, list);
    }

    /** The names of the library's hits for a query, by name as the view lists them. */
    private static List<String> hits(WorkflowQuery query) {
        return library().search(query).stream().map(SearchHit::entry)
                .sorted(java.util.Comparator.comparing((LibraryEntry e) -> e.name().toLowerCase(java.util.Locale.ROOT))
                        .thenComparing(LibraryEntry::id))
                .map(LibraryEntry::name).toList();
    }

    private <T> T finish(CompletableFuture<T> action) throws Exception {
        return Ui.finish(display, action, this::message);
    }

    private Throwable failure(CompletableFuture<?> action) {
        return Ui.failure(display, action, this::message);
    }

    private void search(String text) {
        Ui.get(shell, "templates.search", Text.class).setText(text);
    }

    private boolean canExecute(Object handler) {
        return Handlers.canExecute(handler, context, model);
    }

    private void execute(Object handler) {
        Handlers.execute(handler, context, model);
    }

    private Text field(String parameter) {
        return Ui.get(shell, "templates.param." + parameter, Text.class);
    }

    private Label label(String parameter) {
        return Ui.get(shell, "templates.label." + parameter, Label.class);
    }

    private Table table() {
        return Ui.get(shell, "templates.table", Table.class);
    }

    private String rows() {
        return "rows: " + Ui.dump(table()) + "; summary: " + summary() + "; message: " + message();
    }

    private List<String> rowNames() {
        return Arrays.stream(table().getItems()).map(i -> i.getText(NAME)).collect(Collectors.toList());
    }

    private TableItem row(String name) {
        return Ui.row(table(), NAME, name).orElseThrow(() -> new AssertionError("no row " + name + "; " + rows()));
    }

    private void waitForRows(List<String> names) {
        Ui.waitUntil(display, "the rows " + names, () -> rowNames().equals(names), this::rows);
    }

    private void waitForJobs(String text) {
        Ui.waitUntil(display, "the jobs line \"" + text + "\"", () -> jobs().equals(text), this::jobs);
    }

    private String jobs() {
        return Ui.find(shell, "templates.jobs", Label.class).map(Label::getText).orElse("");
    }

    private String summary() {
        return Ui.get(shell, "templates.summary", Label.class).getText();
    }

    private String message() {
        return Ui.get(shell, "templates.message", CLabel.class).getText();
    }

    private String details() {
        return Ui.get(shell, "templates.details", Text.class).getText();
    }
}
