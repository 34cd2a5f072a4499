package comfy.workbench.ui.workflows.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.eclipse.e4.core.contexts.ContextInjectionFactory;
import org.eclipse.e4.core.contexts.IEclipseContext;
import org.eclipse.e4.ui.model.application.ui.basic.MBasicFactory;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.swt.custom.CLabel;
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

import com.google.gson.JsonObject;

import comfy.workbench.connection.api.ComfyException;
import comfy.workbench.connection.api.ServerDescriptor;
import comfy.workbench.connection.api.ServerRegistry;
import comfy.workbench.model.api.NodeSchema;
import comfy.workbench.model.api.PromptGraph;
import comfy.workbench.monitor.api.NodeSchemas;
import comfy.workbench.testing.fake.FakeComfyServer;
import comfy.workbench.queue.api.Job;
import comfy.workbench.queue.api.JobQueue;
import comfy.workbench.queue.api.JobState;
import comfy.workbench.queue.api.Priority;
import comfy.workbench.testing.captures.Captures;
import comfy.workbench.testing.fake.TestPrompts;
import comfy.workbench.testing.osgi.Osgi;
import comfy.workbench.testing.ui.Handlers;
import comfy.workbench.testing.ui.Ui;
import comfy.workbench.testing.ui.ViewHost;
import comfy.workbench.ui.workflows.internal.DeleteWorkflowHandler;
import comfy.workbench.ui.workflows.internal.RefreshWorkflowsHandler;
import comfy.workbench.ui.workflows.internal.RunVariationsHandler;
import comfy.workbench.ui.workflows.internal.RunWorkflowHandler;
import comfy.workbench.ui.workflows.internal.ValidateWorkflowHandler;
import comfy.workbench.ui.workflows.internal.WorkflowsPart;
import comfy.workbench.workflows.api.Finding;
import comfy.workbench.workflows.api.LibraryEntry;
import comfy.workbench.workflows.api.LibraryException;
import comfy.workbench.workflows.api.SearchHit;
import comfy.workbench.workflows.api.ValidationReport;
import comfy.workbench.workflows.api.WorkflowCodec;
import comfy.workbench.workflows.api.WorkflowDraft;
import comfy.workbench.workflows.api.WorkflowException;
import comfy.workbench.workflows.api.WorkflowFormat;
import comfy.workbench.workflows.api.WorkflowLibrary;
import comfy.workbench.workflows.api.WorkflowQuery;
import comfy.workbench.workflows.api.WorkflowValidator;

/**
 * Drives the Workflows view against the real workflow library, codec, validator, node schemas and job queue and a
 * fake ComfyUI server under Xvfb: the part is made by e4 DI in a context backed by the OSGi services, as the workbench
 * makes it; the toolbar's handlers are invoked by DI with the part's model element; the assertions read the real
 * widgets and the services. The view's poll is off, so that what changes on screen comes from its own actions.
 */
class WorkflowsPartTest {

    /** A PNG ComfyUI saved, with the {@code prompt} and {@code workflow} chunks of the prompt that made it. */
    private static final String PNG_WITH_WORKFLOW = "files/11_output_peer_extra_00001_.png";
    /** A PNG without any text chunk. */
    private static final String PNG_WITHOUT_WORKFLOW = "files/13_channel_rgb.png";

    // the table's columns
    private static final int NAME = 0;
    private static final int FORMAT = 1;
    private static final int REVISION = 6;

    @TempDir
    static Path data;
    @TempDir
    Path files;

    private static ViewFixture platform;
    private static Display display;
    private static IEclipseContext services;
    private static String serverId;

    private Shell shell;
    private IEclipseContext context;
    private WorkflowsPart part;
    private MPart model;

    @BeforeAll
    static void startPlatform() throws Exception {
        platform = ViewFixture.start(data, "fake-workflows-view");
        display = platform.display;
        services = platform.services;
        serverId = platform.serverId;
    }

    @AfterAll
    static void stopPlatform() {
        platform.close();
    }

    @BeforeEach
    void openView() {
        // each test starts from an empty library
        library().entries().forEach(e -> library().delete(e.id(), e.revision()));
        Composite parent = ViewHost.shell(display, "Workflows view test", 1000, 560);
        shell = parent.getShell();
        context = services.createChild("workflows view");
        context.set(Composite.class, parent);
        context.set(WorkflowsPart.POLL_MILLIS_KEY, 0L);
        part = ContextInjectionFactory.make(WorkflowsPart.class, context);
        model = MBasicFactory.INSTANCE.createPart();
        model.setElementId("comfy.workbench.ui.workflows.part");
        model.setObject(part);
        shell.open();
    }

    @AfterEach
    void closeView() {
        context.dispose(); // runs the part's @PreDestroy: its threads end
        shell.dispose();
    }

    @Test
    void theTableListsTheLibrarysWorkflowsByNameAndTheSearchNarrowsThem() throws Exception {
        library().create(draft("Portrait upscale", TestPrompts.quick(0x101010, "portrait"))
                .withDescription("sharpens faces").withTags(List.of("portrait", "upscale")));
        library().create(draft("landscape invert", inverted("landscape")).withTags(List.of("scenery")));
        library().create(draft("Blank canvas", TestPrompts.quick(0x202020, "blank"))
                .withDescription("a canvas for a portrait"));
        List<String> all = library().entries().stream().map(LibraryEntry::name).toList();
        assertEquals(3, all.size());

        waitForRows(all);
        assertEquals(workflows(all.size()), summary());

        search("portrait");
        List<String> portraits = hits(WorkflowQuery.text("portrait"));
        assertTrue(portraits.size() > 0 && portraits.size() < all.size(), portraits.toString());
        waitForRows(portraits);
        assertEquals(portraits.size() + " of " + workflows(all.size()) + " match", summary());

        search("node:ImageInvert");
        List<String> inverting = hits(WorkflowQuery.text("").withNodeClasses(Set.of("ImageInvert")));
        assertEquals(List.of("landscape invert"), inverting, "only one graph uses ImageInvert");
        waitForRows(inverting);

        search("");
        waitForRows(all);
        Ui.screenshot(shell, Path.of("target", "screenshots", "workflows-view-list.png"));
    }

    @Test
    void importingApiJsonUiJsonAndAPngWithMetadataAddsAnEntryForEach() throws Exception {
        Path api = Files.writeString(files.resolve("api-quick.json"), TestPrompts.quick(0x303030, "imported"));
        Path ui = Files.writeString(files.resolve("ui-peer.json"), capturedUiWorkflow());
        Path png = Files.copy(Captures.locate().file(PNG_WITH_WORKFLOW), files.resolve("png-peer.png"));

        List<LibraryEntry> added = finish(part.importFiles(List.of(api, ui, png)));

        assertEquals(List.of("api-quick", "ui-peer", "png-peer"), added.stream().map(LibraryEntry::name).toList());
        assertEquals(List.of(WorkflowFormat.API_JSON, WorkflowFormat.UI_JSON, WorkflowFormat.UI_JSON),
                added.stream().map(LibraryEntry::format).toList(), "the PNG carries the UI form too");
        NodeSchema schema = Osgi.service(NodeSchemas.class).schema(serverId);
        for (Path file : List.of(api, ui, png)) {
            LibraryEntry entry = added.stream().filter(e -> e.metadata().source().equals(file.toAbsolutePath().toString()))
                    .findFirst().orElseThrow(() -> new AssertionError("no entry from " + file));
            PromptGraph expected = codec().read(Files.readAllBytes(file), file.getFileName().toString(), schema).prompt();
            assertEquals(expected, library().read(entry.id()).workflow().prompt(), file.toString());
        }
        assertEquals(3, library().entries().size());
        waitForRows(library().entries().stream().map(LibraryEntry::name).toList());
        assertEquals("UI", row("ui-peer").getText(FORMAT));
        assertEquals("API", row("api-quick").getText(FORMAT));
        // an API graph says nothing of its output types: the server's schema gives them, so that output:IMAGE finds it
        assertEquals(Set.of("IMAGE"), Set.copyOf(added.get(0).outputTypes()));
        assertTrue(message().startsWith("Imported 3 workflows"), message());
        assertEquals(added.get(0).id(), part.selection().map(LibraryEntry::id).orElse(""),
                "the first imported workflow is selected");
        Ui.waitUntil(display, "the details with the node count", () -> details().contains(
                "Nodes: " + library().read(added.get(0).id()).workflow().prompt().size()), this::details);
    }

    @Test
    void aChangeMadeThroughTheLibraryServiceBesideTheViewShowsWithoutARefresh() throws Exception {
        // as another view, the frontend sync or an extension would change it: the library announces it
        LibraryEntry entry = library().create(draft("made elsewhere", TestPrompts.quick(0x303030, "elsewhere")));
        waitForRows(List.of("made elsewhere"));
        library().update(entry.id(), entry.revision(), draft("renamed elsewhere", TestPrompts.quick(0x303030, "e")));
        waitForRows(List.of("renamed elsewhere"));
        library().delete(entry.id(), entry.revision() + 1);
        waitForRows(List.of());
    }

    @Test
    void aFileThatCannotBeImportedIsNamedAndTheLibraryStaysAsItWas() throws Exception {
        library().create(draft("existing", TestPrompts.quick(0x404040, "existing")));
        List<LibraryEntry> before = library().entries();
        waitForRows(List.of("existing"));
        Path good = Files.writeString(files.resolve("good.json"), TestPrompts.quick(0x505050, "good"));

        Path malformed = Files.writeString(files.resolve("broken.json"), "{\"1\": {\"class_type\": \"EmptyImage\",");
        Throwable notJson = failure(part.importFiles(List.of(good, malformed)));
        assertEquals(WorkflowException.Kind.NOT_JSON, ((WorkflowException) notJson).kind());
        assertTrue(message().contains("broken.json"), message());
        assertTrue(message().contains("nothing was imported"), message());
        assertEquals("Nothing was imported.\n\n" + notJson.getMessage(), details(), "the details show it whole");
        assertEquals(before, library().entries(), "good.json was not imported either");

        Path plain = Files.copy(Captures.locate().file(PNG_WITHOUT_WORKFLOW), files.resolve("plain.png"));
        WorkflowException noMetadata = assertThrows(WorkflowException.class,
                () -> codec().read(Files.readAllBytes(plain), "plain.png", null));
        assertEquals(WorkflowException.Kind.NO_METADATA, noMetadata.kind());
        failure(part.importFiles(List.of(plain)));
        assertTrue(message().contains(noMetadata.getMessage()), message());

        Path unreadable = Files.createDirectory(files.resolve("folder.json"));
        failure(part.importFiles(List.of(unreadable)));
        assertTrue(message().startsWith("Import: folder.json: cannot read"), message());

        assertEquals(before, library().entries(), "the library is as it was");
        waitForRows(List.of("existing"));
        Ui.screenshot(shell, Path.of("target", "screenshots", "workflows-view-import-refused.png"));
    }

    @Test
    void aNameTheLibraryHasGetsANumberAsAFileManagerGivesACopyOne() throws Exception {
        library().create(draft("portrait", TestPrompts.quick(0x616161, "portrait")));
        waitForRows(List.of("portrait"));
        Path again = Files.writeString(files.resolve("portrait.json"), TestPrompts.quick(0x626262, "again"));
        Path other = Files.createDirectories(files.resolve("other"));
        Path third = Files.writeString(other.resolve("Portrait.json"), TestPrompts.quick(0x636363, "third"));
        List<LibraryEntry> added = finish(part.importFiles(List.of(again, third)));
        assertEquals(List.of("portrait (2)", "Portrait (3)"), added.stream().map(LibraryEntry::name).toList(),
                "names are told apart without regard to case, as in the list");
        assertEquals("Imported 2 workflows: portrait (2), Portrait (3) (names taken: portrait.json as "
                + "\"portrait (2)\", Portrait.json as \"Portrait (3)\")", message());
        waitForRows(library().entries().stream().map(LibraryEntry::name).toList());
        assertEquals(3, library().entries().size());
        assertEquals(again.toAbsolutePath().toString(), added.get(0).metadata().source());
    }

    @Test
    void validatingAWorkflowWithAnUnknownNodeClassShowsThatFinding() throws Exception {
        String unknown = "NoSuchNode" + UUID.randomUUID().toString().substring(0, 8);
        JsonObject graph = PromptGraph.parse(TestPrompts.quick(0x707070, "unknown"), "graph").toJsonTree();
        JsonObject node = new JsonObject();
        node.addProperty("class_type", unknown);
        node.add("inputs", new JsonObject());
        graph.add("3", node);
        LibraryEntry entry = library().create(WorkflowDraft.of("has an unknown node",
                codec().readApi(graph.toString(), "graph.json")));
        waitForRows(List.of(entry.name()));
        part.select(entry.id());

        assertTrue(canExecute(new ValidateWorkflowHandler()));
        execute(new ValidateWorkflowHandler());

        ValidationReport expected = Osgi.service(WorkflowValidator.class).validate(
                library().read(entry.id()).workflow().prompt(), Osgi.service(NodeSchemas.class).schema(serverId));
        List<Finding> findings = expected.findings();
        assertTrue(findings.stream().anyMatch(f -> f.classType().equals(unknown)), findings.toString());
        Ui.waitUntil(display, "the findings in the details",
                () -> findings.stream().allMatch(f -> details().contains(f.toString())), this::details);
        Ui.waitUntil(display, "the validation reported", () -> message().startsWith(findings.size() + " problem"),
                this::message);

        // an invalid workflow is not run
        Throwable refused = failure(part.run(entry.id()));
        assertTrue(refused.getMessage().contains("not valid"), refused.getMessage());
        assertFalse(queue().jobs(List.of()).stream().anyMatch(j -> j.request().name().equals(entry.name())),
                "nothing was submitted");
        Ui.screenshot(shell, Path.of("target", "screenshots", "workflows-view-validated.png"));

        // with no server answering, the workflow is checked against the schema the server last gave, and says so
        platform.fake.refuseConnections(true);
        platform.fake.dropWebSockets(); // the node schema is forgotten when the server's socket drops
        try {
            awaitSchemaForgotten();
            finish(part.validate(entry.id()));
            Ui.waitUntil(display, "the last known schema named in the details",
                    () -> details().contains("(the node schema it last gave: no server gives one now)"), this::details);
            assertTrue(findings.stream().allMatch(f -> details().contains(f.toString())),
                    "the same findings: " + details());
        } finally {
            platform.fake.refuseConnections(false);
        }

        // with no server ever heard from, the details say why in full (the status line cuts it short)
        ServerRegistry registry = Osgi.service(ServerRegistry.class);
        ServerDescriptor ours = registry.server(serverId).orElseThrow();
        FakeComfyServer gone = FakeComfyServer.builder().start();
        ServerDescriptor dead = new ServerDescriptor("dead-workflows-view", "Gone server", gone.baseUri(), null);
        gone.close();
        registry.remove(serverId);
        registry.add(dead);
        try {
            failure(part.validate(entry.id()));
            Ui.waitUntil(display, "the reason in the details", () -> details().contains("Could not validate at ")
                    && details().contains("no server is reachable"), this::details);
            assertTrue(findings.stream().allMatch(f -> details().contains(f.toString())),
                    "the validation before stays: " + details());
        } finally {
            registry.remove(dead.id());
            registry.add(ours);
        }
        finish(part.validate(entry.id()));
        Ui.waitUntil(display, "the failure gone once it validates", () -> !details().contains("Could not validate"),
                this::details);
    }

    @Test
    void aRunWhileTheServerRestartsIsCheckedAgainstItsLastSchemaAndWaitsForIt() throws Exception {
        String name = "restart-" + UUID.randomUUID().toString().substring(0, 8);
        LibraryEntry entry = library().create(draft(name, TestPrompts.quick(0x818181, name)));
        waitForRows(List.of(name));
        finish(part.validate(entry.id())); // the server gives its schema
        Job job;
        platform.fake.refuseConnections(true);
        platform.fake.dropWebSockets();
        try {
            awaitSchemaForgotten();
            job = finish(part.run(entry.id()));
            Ui.waitUntil(display, "the submission reported with the wait", () -> message().contains(job.id())
                    && message().contains("last gave (no server gives one now): queued until a server answers"), this::message);
            assertFalse(queue().job(job.id()).orElseThrow().state().terminal(), "queued, not failed: "
                    + queue().job(job.id()));
        } finally {
            platform.fake.refuseConnections(false);
        }
        Job done = queue().completion(job.id()).toCompletableFuture().get(60, TimeUnit.SECONDS);
        assertEquals(JobState.SUCCEEDED, done.state(), String.valueOf(done.error()));
    }

    private void awaitSchemaForgotten() {
        NodeSchemas schemas = Osgi.service(NodeSchemas.class);
        Osgi.await("the node schema forgotten", () -> {
            try {
                schemas.schema(serverId);
                return false;
            } catch (ComfyException e) {
                return true;
            }
        });
    }

    @Test
    void runVariationsSubmitsSeveralRunsEachWithItsOwnSeed() throws Exception {
        String name = "variations-" + UUID.randomUUID().toString().substring(0, 8);
        LibraryEntry entry = finish(part.importFiles(
                List.of(Files.writeString(files.resolve(name + ".json"), TestPrompts.noiseUi("randomize"))))).get(0);
        waitForRows(List.of(entry.name()));
        part.select(entry.id());
        assertTrue(canExecute(new RunVariationsHandler()));

        List<Job> jobs = finish(part.run(entry.id(), 3));

        assertEquals(3, jobs.size());
        List<Long> seeds = jobs.stream().map(j -> j.request().prompt().node("2").orElseThrow().inputs().get("seed")
                .getAsLong()).toList();
        assertEquals(42, seeds.get(0), "the first has the saved seed");
        assertEquals(3, new java.util.HashSet<>(seeds).size(), "each its own: " + seeds);
        Ui.waitUntil(display, "the submission reported", () -> message().startsWith("Submitted 3 runs of " + entry.name()),
                this::message);
        for (Job job : jobs) {
            assertEquals(JobState.SUCCEEDED, queue().completion(job.id()).toCompletableFuture().get(30, TimeUnit.SECONDS)
                    .state());
        }
        assertTrue(failure(part.run(entry.id(), 0)).getMessage().contains("from 1 to 100 runs"));
    }

    @Test
    void runSubmitsOneJobThatTheFakeServerCompletes() throws Exception {
        String name = "run-" + UUID.randomUUID().toString().substring(0, 8);
        LibraryEntry entry = library().create(draft(name, TestPrompts.quick(0x808080, name)));
        waitForRows(List.of(name));
        part.select(entry.id());

        assertTrue(canExecute(new RunWorkflowHandler()));
        execute(new RunWorkflowHandler());

        Osgi.await("the job submitted",
                () -> queue().jobs(List.of()).stream().anyMatch(j -> j.request().name().equals(name)));
        List<Job> jobs = queue().jobs(List.of()).stream().filter(j -> j.request().name().equals(name)).toList();
        assertEquals(1, jobs.size(), "one job");
        Job done = queue().completion(jobs.get(0).id()).toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertEquals(JobState.SUCCEEDED, done.state(), String.valueOf(done.error()));
        assertEquals(Priority.NORMAL, done.priority());
        assertEquals(library().read(entry.id()).workflow().prompt(), done.request().prompt());
        assertFalse(done.outputs().isEmpty());
        Ui.waitUntil(display, "the submission reported", () -> message().contains(done.id()), this::message);
    }

    @Test
    void runningAnApiWorkflowAgainRandomizesItsSeedAsTheFrontendDoesForAGraphWithoutItsForm() throws Exception {
        String name = "api-seeded-" + UUID.randomUUID().toString().substring(0, 8);
        LibraryEntry entry = finish(part.importFiles(List.of(Files.writeString(files.resolve(name + ".json"), """
                {"1":{"class_type":"EmptyImage","inputs":{"width":8,"height":8,"batch_size":1,"color":4949}},
                 "2":{"class_type":"ImageAddNoise","inputs":{"image":["1",0],"seed":42,"strength":0.5}},
                 "3":{"class_type":"SaveImage","inputs":{"images":["2",0],"filename_prefix":"api_seeded"}}}
                """)))).get(0);

        Job first = finish(part.run(entry.id()));
        Job second = finish(part.run(entry.id()));
        long firstSeed = first.request().prompt().node("2").orElseThrow().inputs().get("seed").getAsLong();
        long secondSeed = second.request().prompt().node("2").orElseThrow().inputs().get("seed").getAsLong();
        assertEquals(42, firstSeed, "the first run has the saved seed");
        assertNotEquals(firstSeed, secondSeed, "the server would answer the same graph from its cache");
        for (Job job : List.of(first, second)) {
            assertEquals(JobState.SUCCEEDED, queue().completion(job.id()).toCompletableFuture().get(30, TimeUnit.SECONDS)
                    .state());
        }
    }

    @Test
    void runningAUiWorkflowAgainMovesItsRandomizedSeedAsTheFrontendWould() throws Exception {
        String name = "seeded-" + UUID.randomUUID().toString().substring(0, 8);
        LibraryEntry entry = finish(part.importFiles(
                List.of(Files.writeString(files.resolve(name + ".json"), TestPrompts.noiseUi("randomize"))))).get(0);

        Job first = finish(part.run(entry.id()));
        Job second = finish(part.run(entry.id()));
        long firstSeed = first.request().prompt().node("2").orElseThrow().inputs().get("seed").getAsLong();
        long secondSeed = second.request().prompt().node("2").orElseThrow().inputs().get("seed").getAsLong();
        assertEquals(42, firstSeed, "the first run has the saved seed");
        assertNotEquals(firstSeed, secondSeed, "a second run would otherwise be served from the server's cache");
        // the workflow goes into the output's PNG only with the run it describes
        assertTrue(first.request().extraData().has("extra_pnginfo"));
        assertFalse(second.request().extraData().has("extra_pnginfo"));
        for (Job job : List.of(first, second)) {
            assertEquals(JobState.SUCCEEDED, queue().completion(job.id()).toCompletableFuture().get(30, TimeUnit.SECONDS)
                    .state());
        }
    }

    @Test
    void deleteRemovesTheEntryOnlyAtTheRevisionTheUserSaw() throws Exception {
        LibraryEntry keep = library().create(draft("keep me", TestPrompts.quick(0x909090, "keep")));
        LibraryEntry first = library().create(draft("delete me", TestPrompts.quick(0xA0A0A0, "delete")));
        waitForRows(List.of("delete me", "keep me"));
        part.select(first.id());
        assertTrue(canExecute(new DeleteWorkflowHandler()));

        // someone else changes it meanwhile: the revision the view shows is stale
        LibraryEntry changed = library().update(first.id(), first.revision(),
                draft("delete me", TestPrompts.quick(0xB0B0B0, "changed")));
        Throwable conflict = failure(part.delete(first.id(), first.revision()));
        assertEquals(LibraryException.Kind.CONFLICT, ((LibraryException) conflict).kind());
        assertTrue(message().contains(conflict.getMessage()) && message().contains("the workflow stays"), message());
        assertTrue(library().entry(first.id()).isPresent());
        Ui.waitUntil(display, "the new revision shown",
                () -> row("delete me").getText(REVISION).equals(Long.toString(changed.revision())), this::rows);

        finish(part.delete(changed.id(), changed.revision()));
        assertTrue(library().entry(first.id()).isEmpty());
        assertEquals(List.of(keep.id()), library().entries().stream().map(LibraryEntry::id).toList());
        waitForRows(List.of("keep me"));
        assertEquals("Deleted delete me", message());
    }

    @Test
    void filesTheLibraryCannotLoadAreCountedAndNamed() throws Exception {
        library().create(draft("fine", TestPrompts.quick(0xC0C0C0, "fine")));
        // a workflow whose metadata was damaged outside the library
        Path workflow = Files.writeString(library().folder().resolve("damaged.json"), TestPrompts.quick(0xD0D0D0, "d"));
        Path damaged = Files.writeString(library().folder().resolve("damaged.meta.json"), "{ not json",
                StandardCharsets.UTF_8);
        try {
            execute(new RefreshWorkflowsHandler());
            Ui.waitUntil(display, "the damaged file counted",
                    () -> summary().equals("1 workflow; 1 file could not be loaded"), this::summary);
            assertEquals(1, library().problems().size(), library().problems().toString());
            String tip = Ui.get(shell, "workflows.summary", Label.class).getToolTipText();
            assertTrue(tip.contains(damaged.toString()), tip);
            assertTrue(tip.contains(library().problems().get(0).message()), tip);
        } finally {
            Files.deleteIfExists(damaged);
            Files.deleteIfExists(workflow);
            library().refresh();
        }
    }

    // ----

    /** How the status line counts workflows. */
    private static String workflows(int n) {
        return n + (n == 1 ? " workflow" : " workflows");
    }

    private static WorkflowLibrary library() {
        return Osgi.service(WorkflowLibrary.class);
    }

    private static WorkflowCodec codec() {
        return Osgi.service(WorkflowCodec.class);
    }

    private static JobQueue queue() {
        return Osgi.service(JobQueue.class);
    }

    private static WorkflowDraft draft(String name, String apiJson) {
        return WorkflowDraft.of(name, codec().readApi(apiJson, name));
    }

    /** An API graph with an ImageInvert between the image and its save. */
    private static String inverted(String prefix) {
        return "{\"1\":{\"class_type\":\"EmptyImage\",\"inputs\":{\"width\":8,\"height\":8,\"batch_size\":1,\"color\":0}},"
                + "\"2\":{\"class_type\":\"ImageInvert\",\"inputs\":{\"image\":[\"1\",0]}},"
                + "\"3\":{\"class_type\":\"SaveImage\",\"inputs\":{\"images\":[\"2\",0],\"filename_prefix\":\"" + prefix
                + "\"}}}";
    }

    /** The UI workflow the genuine frontend sent with the prompt of capture 11 (as {@code extra_pnginfo}). */
    private static String capturedUiWorkflow() {
        for (JsonObject r : Captures.locate().records("11_client_id_and_extra_data.jsonl", "http_request")) {
            if (r.get("path").getAsString().equals("/prompt") && r.getAsJsonObject("body").has("extra_data")) {
                return r.getAsJsonObject("body").getAsJsonObject("extra_data").getAsJsonObject("extra_pnginfo")
                        .getAsJsonObject("workflow").toString();
            }
        }
        throw new AssertionError("no prompt with extra_data in capture 11");
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
        Ui.get(shell, "workflows.search", Text.class).setText(text);
    }

    private boolean canExecute(Object handler) {
        return Handlers.canExecute(handler, context, model);
    }

    private void execute(Object handler) {
        Handlers.execute(handler, context, model);
    }

    private Table table() {
        return Ui.get(shell, "workflows.table", Table.class);
    }

    private String rows() {
        return "rows: " + Ui.dump(table());
    }

    private TableItem row(String name) {
        return Ui.row(table(), NAME, name).orElseThrow(() -> new AssertionError("no row " + name + "; " + rows()));
    }

    private void waitForRows(List<String> names) {
        Ui.waitUntil(display, "the rows " + names, () -> Arrays.stream(table().getItems()).map(i -> i.getText(NAME))
                .collect(Collectors.toList()).equals(names), this::rows);
    }

    private String summary() {
        return Ui.get(shell, "workflows.summary", Label.class).getText();
    }

    private String message() {
        return Ui.get(shell, "workflows.message", CLabel.class).getText();
    }

    private String details() {
        return Ui.get(shell, "workflows.details", Text.class).getText();
    }
}
