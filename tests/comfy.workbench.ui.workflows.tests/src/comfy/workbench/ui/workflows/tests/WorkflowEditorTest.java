package comfy.workbench.ui.workflows.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.eclipse.e4.core.contexts.ContextInjectionFactory;
import org.eclipse.e4.core.contexts.IEclipseContext;
import org.eclipse.e4.ui.model.application.ui.basic.MBasicFactory;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.e4.ui.model.application.ui.basic.MWindow;
import org.eclipse.e4.ui.workbench.modeling.ISaveHandler;
import org.eclipse.swt.SWT;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import comfy.workbench.model.api.NodeSchema;
import comfy.workbench.monitor.api.NodeSchemas;
import comfy.workbench.queue.api.Job;
import comfy.workbench.queue.api.JobQueue;
import comfy.workbench.queue.api.JobState;
import comfy.workbench.templates.api.Binding;
import comfy.workbench.templates.api.Parameter;
import comfy.workbench.templates.api.ParameterType;
import comfy.workbench.templates.api.Template;
import comfy.workbench.templates.api.TemplateLibrary;
import comfy.workbench.testing.fake.TestPrompts;
import comfy.workbench.testing.osgi.Osgi;
import comfy.workbench.testing.ui.Handlers;
import comfy.workbench.testing.ui.ViewHost;
import comfy.workbench.testing.ui.Ui;
import comfy.workbench.ui.workflows.internal.NewTemplateHandler;
import comfy.workbench.ui.workflows.internal.RevertWorkflowHandler;
import comfy.workbench.ui.workflows.internal.RunEditedWorkflowHandler;
import comfy.workbench.ui.workflows.internal.SaveWorkflowHandler;
import comfy.workbench.ui.workflows.internal.WorkflowEditor;
import comfy.workbench.workflows.api.LibraryEntry;
import comfy.workbench.workflows.api.LibraryException;
import comfy.workbench.workflows.api.StoredWorkflow;
import comfy.workbench.workflows.api.Workflow;
import comfy.workbench.workflows.api.WorkflowCodec;
import comfy.workbench.workflows.api.WorkflowDraft;
import comfy.workbench.workflows.api.WorkflowLibrary;

/**
 * Drives the workflow editor against the real library, codec, validator, node schemas and job queue and a fake
 * ComfyUI server under Xvfb: the part is made by e4 DI from a model element carrying the workflow's id, as the
 * workbench makes it from the editor's part descriptor; the assertions read the real widgets and the services.
 */
class WorkflowEditorTest {

    // the inputs table's columns
    private static final int NODE = 0;
    private static final int INPUT = 1;
    private static final int VALUE = 2;
    private static final int PROBLEM = 3;

    @TempDir
    static Path data;

    private static ViewFixture platform;
    private static Display display;

    private Shell shell;
    private IEclipseContext context;
    private MPart model;
    private MWindow window;
    private WorkflowEditor editor;

    @BeforeAll
    static void startPlatform() throws Exception {
        platform = ViewFixture.start(data, "fake-workflow-editor");
        display = platform.display;
    }

    @AfterAll
    static void stopPlatform() {
        platform.close();
    }

    @AfterEach
    void closeEditor() {
        if (context != null) {
            window.getContext().dispose();
            context.dispose(); // runs the editor's @PreDestroy
            shell.dispose();
        }
    }

    @Test
    void aTextInputIsTypedOnSeveralLinesInThePaneUnderTheInputs() throws Exception {
        LibraryEntry entry = createUi("prompt " + UUID.randomUUID().toString().substring(0, 6));
        open(entry.id());
        Text pane = Ui.get(shell, "editor.text", Text.class);
        assertFalse(pane.isEnabled(), "nothing selected");

        editor.selectInput("2", "seed");
        assertFalse(pane.isEnabled(), "a number is typed in its cell");
        editor.selectInput("2", "image");
        assertFalse(pane.isEnabled(), "a link is not typed");
        editor.selectInput("3", "filename_prefix");
        assertTrue(pane.isEnabled());
        assertEquals(cell("3", "filename_prefix", VALUE), pane.getText());
        assertTrue(Ui.get(shell, "editor.textLabel", Label.class).getText().startsWith("filename_prefix of 3"),
                Ui.get(shell, "editor.textLabel", Label.class).getText());

        pane.setText("a red fox,\nin the snow");

        // the value at once: Save (Ctrl+S) and Run see it without the pane losing the focus first
        assertEquals("1 value changed; valid", summary());
        assertTrue(model.isDirty());
        assertEquals("a red fox,\nin the snow", pane.getText(), "the pane keeps the whole value");
        LibraryEntry saved = finish(editor.save());
        assertEquals("a red fox,\nin the snow", library().read(saved.id()).workflow().prompt().node("3").orElseThrow()
                .inputs().get("filename_prefix").getAsString());
    }

    @Test
    void aUiWorkflowsValuesAreCheckedAsTypedAndSavedIntoItsUiFormToo() throws Exception {
        LibraryEntry entry = createUi("noise " + UUID.randomUUID().toString().substring(0, 6));
        open(entry.id());
        // every input of the graph, links included; the values the graph gives them
        assertEquals(List.of("1 width", "1 height", "1 batch_size", "1 color", "2 image", "2 seed", "2 strength",
                "3 images", "3 filename_prefix"), Arrays.stream(table().getItems())
                        .map(i -> i.getText(NODE).split(" ")[0] + " " + i.getText(INPUT)).toList());
        assertEquals("42", cell("2", "seed", VALUE));
        assertEquals("\u2190 node 1, output 0", cell("2", "image", VALUE));
        assertEquals("No values changed; valid", summary());

        // a value not of the input's kind is refused, naming the input; nothing changes
        assertFalse(editor.setValue("2", "strength", "strong"));
        assertTrue(message().contains("strength of node 2 takes a number, not \"strong\""), message());
        assertFalse(editor.setValue("2", "image", "x"), "a link is not a value one types");
        assertTrue(message().contains("fed by a link"), message());
        assertFalse(model.isDirty());

        // a value of the right kind out of the server's range is taken and shown as the problem it is
        assertTrue(editor.setValue("1", "width", "99999"));
        assertTrue(cell("1", "width", PROBLEM).contains("bigger than max"), cell("1", "width", PROBLEM));
        assertEquals("1 value changed; 1 problem", summary());
        assertTrue(model.isDirty());
        assertTrue(editor.setValue("1", "width", "32"));
        assertEquals("", cell("1", "width", PROBLEM));
        // typed into the table's cell as a user does: the value's cell editor, then Enter
        assertTrue(editor.editValue("2", "seed"));
        Text cellEditor = Arrays.stream(table().getChildren()).filter(c -> c instanceof Text t && t.isVisible())
                .map(Text.class::cast).findFirst().orElseThrow(() -> new AssertionError("no cell editor"));
        assertEquals("42", cellEditor.getText());
        cellEditor.setText("7");
        cellEditor.notifyListeners(SWT.DefaultSelection, new org.eclipse.swt.widgets.Event());
        assertEquals("7", cell("2", "seed", VALUE));
        assertFalse(editor.editValue("2", "image"), "a link is not typed");
        assertTrue(editor.setValue("3", "filename_prefix", "edited"));
        assertEquals("3 values changed; valid", summary());
        assertEquals("seed *", cell("2", "seed", INPUT), "an edited input is marked");
        Ui.get(shell, "editor.name", Text.class).setText("noise, edited");
        Ui.get(shell, "editor.tags", Text.class).setText("noise, small");
        assertEquals("Name, tags changed; 3 values changed; valid", summary(), "the details are changes too");
        Ui.screenshot(shell, Path.of("target", "screenshots", "workflow-editor-edited.png"));

        assertTrue(canExecute(new SaveWorkflowHandler()));
        LibraryEntry saved = finish(editor.save());

        assertEquals(entry.revision() + 1, saved.revision());
        assertEquals("noise, edited", saved.name());
        assertEquals(List.of("noise", "small"), saved.metadata().tags());
        StoredWorkflow stored = library().read(entry.id());
        assertEquals(32, stored.workflow().prompt().node("1").orElseThrow().inputs().get("width").getAsInt());
        assertEquals(7, stored.workflow().prompt().node("2").orElseThrow().inputs().get("seed").getAsInt());
        assertEquals("edited", stored.workflow().prompt().node("3").orElseThrow().inputs().get("filename_prefix")
                .getAsString());
        // the UI form has the same values, so ComfyUI opens the file as it runs; the seed keeps its control
        Workflow reopened = codec().readUi(codec().writeUi(stored.workflow()).orElseThrow(), "reopened", schema());
        assertEquals(stored.workflow().prompt(), reopened.prompt());
        assertEquals("[7,\"randomize\",0.5]", stored.workflow().uiForm().orElseThrow().nodes().get(1).widgetValueList()
                .toString());
        assertFalse(model.isDirty());
        assertEquals("noise, edited", model.getLabel());
        assertEquals("No values changed; valid", summary());
        assertEquals("Saved revision " + saved.revision(), message());
        assertFalse(canExecute(new SaveWorkflowHandler()), "nothing left to save");
    }

    @Test
    void aChangeMadeElsewhereIsShownSaveIsRefusedAndTheEditsStayUntilRevert() throws Exception {
        LibraryEntry entry = library().create(WorkflowDraft.of("shared",
                codec().readApi(TestPrompts.quick(0x112233, "shared"), "shared")));
        open(entry.id());
        assertTrue(editor.setValue("2", "filename_prefix", "mine"));

        LibraryEntry theirs = library().update(entry.id(), entry.revision(), WorkflowDraft.of("shared",
                codec().readApi(TestPrompts.quick(0x445566, "theirs"), "shared")));
        Ui.waitUntil(display, "the change announced",
                () -> message().startsWith("Changed in the library (revision " + theirs.revision() + ")"), this::message);
        // another value typed (a keystroke in the text pane is one) keeps the warning in view
        assertTrue(editor.setValue("1", "width", "16"));
        assertTrue(message().startsWith("Changed in the library (revision " + theirs.revision() + ")"), message());

        Throwable refused = failure(editor.save());
        assertEquals(LibraryException.Kind.CONFLICT, ((LibraryException) refused).kind());
        assertTrue(message().contains("the changes stay here"), message());
        assertTrue(model.isDirty());
        assertEquals("mine", cell("2", "filename_prefix", VALUE));
        assertEquals("theirs", library().read(entry.id()).workflow().prompt().node("2").orElseThrow().inputs()
                .get("filename_prefix").getAsString(), "the library keeps the other change");

        execute(new RevertWorkflowHandler());
        Ui.waitUntil(display, "the library's version shown", () -> cell("2", "filename_prefix", VALUE).equals("theirs"),
                this::rows);
        assertFalse(model.isDirty());

        // a clean editor follows changes made elsewhere without asking
        LibraryEntry again = library().update(entry.id(), theirs.revision(), WorkflowDraft.of("shared",
                codec().readApi(TestPrompts.quick(0x778899, "again"), "shared")));
        Ui.waitUntil(display, "the next change shown", () -> cell("2", "filename_prefix", VALUE).equals("again"),
                this::rows);
        assertTrue(info().contains("revision " + again.revision()), info());
    }

    @Test
    void aRenameToANameAnotherWorkflowHasIsRefusedNamingAFreeOne() throws Exception {
        library().create(WorkflowDraft.of("Portrait", codec().readApi(TestPrompts.quick(0x262728, "taken"), "taken")));
        LibraryEntry entry = library().create(WorkflowDraft.of("landscape",
                codec().readApi(TestPrompts.quick(0x292a2b, "mine"), "mine")));
        open(entry.id());
        Ui.get(shell, "editor.name", Text.class).setText(" portrait ");
        assertEquals("Name changed; no values changed; valid", summary());

        Throwable refused = failure(editor.save());

        assertEquals("another workflow is named \"portrait\"; choose another name (\"portrait (2)\" is free)",
                refused.getMessage());
        assertTrue(model.isDirty(), "the edit stays");
        assertEquals("landscape", library().read(entry.id()).entry().name());
        // its own name, in another case, is no clash
        Ui.get(shell, "editor.name", Text.class).setText("Landscape");
        assertEquals("Landscape", finish(editor.save()).name());
    }

    @Test
    void anEditorOfADeletedWorkflowDoesNotSaveOverAnotherMadeUnderItsId() throws Exception {
        WorkflowDraft first = WorkflowDraft.of("reused", codec().readApi(TestPrompts.quick(0x202122, "first"), "reused"));
        LibraryEntry entry = library().create(first);
        open(entry.id());
        assertTrue(editor.setValue("2", "filename_prefix", "stale edit"));

        library().delete(entry.id(), entry.revision());
        Ui.waitUntil(display, "the deletion announced", () -> message().startsWith("Deleted from the library"),
                this::message);
        // a different workflow of the same name gets the same id, and a revision count that starts again at 1
        LibraryEntry other = library().create(WorkflowDraft.of("reused",
                codec().readApi(TestPrompts.quick(0x232425, "second"), "reused")));
        assertEquals(entry.id(), other.id());
        assertEquals(entry.revision(), other.revision());

        Throwable refused = failure(editor.save());
        assertTrue(refused.getMessage().contains("no longer in the library"), refused.getMessage());
        assertTrue(message().contains("the changes stay here"), message());
        assertEquals("second", library().read(other.id()).workflow().prompt().node("2").orElseThrow().inputs()
                .get("filename_prefix").getAsString(), "the other workflow is untouched");
        assertTrue(model.isDirty());
    }

    @Test
    void aClosedEditorLeavesNothingToSaveWhenTheWindowCloses() throws Exception {
        LibraryEntry entry = library().create(WorkflowDraft.of("closed",
                codec().readApi(TestPrompts.quick(0x262728, "closed"), "closed")));
        open(entry.id());
        ISaveHandler saver = window.getContext().get(ISaveHandler.class);
        MPart closed = MBasicFactory.INSTANCE.createPart(); // an editor whose part was closed: no object, no context
        closed.setDirty(true);
        assertTrue(saver.saveParts(List.of(closed), false), "nothing of it can be saved, and it does not hold the window");
        assertFalse(closed.isDirty());
    }

    @Test
    void runSubmitsWhatTheEditorShowsSavedOrNotAndRefusesAnInvalidGraph() throws Exception {
        String name = "run-edited-" + UUID.randomUUID().toString().substring(0, 6);
        LibraryEntry entry = library().create(WorkflowDraft.of(name,
                codec().readApi(TestPrompts.quick(0x0A0B0C, "saved"), name)));
        open(entry.id());
        assertTrue(editor.setValue("2", "filename_prefix", "unsaved"));
        assertTrue(canExecute(new RunEditedWorkflowHandler()));

        Job job = finish(editor.run());
        assertEquals("unsaved", job.request().prompt().node("2").orElseThrow().inputs().get("filename_prefix")
                .getAsString());
        Job done = queue().completion(job.id()).toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertEquals(JobState.SUCCEEDED, done.state(), String.valueOf(done.error()));
        assertTrue(message().contains(job.id()), message());
        assertEquals("saved", library().read(entry.id()).workflow().prompt().node("2").orElseThrow().inputs()
                .get("filename_prefix").getAsString(), "running does not save");
        assertTrue(model.isDirty());

        assertTrue(editor.setValue("1", "width", "0"));
        assertTrue(cell("1", "width", PROBLEM).contains("smaller than min"), cell("1", "width", PROBLEM));
        long before = queue().jobs(List.of()).size();
        Throwable refused = failure(editor.run());
        assertTrue(refused.getMessage().contains("is not valid"), refused.getMessage());
        assertEquals(before, queue().jobs(List.of()).size(), "nothing was submitted");
    }

    /**
     * A randomized seed moves from run to run, as in the frontend; a seed typed since is what the next run has, and it
     * moves on from there.
     */
    @Test
    void aTypedSeedIsWhatTheNextRunHasThenItMovesOnAsItsControlSays() throws Exception {
        LibraryEntry entry = createUi("seeded " + UUID.randomUUID().toString().substring(0, 6));
        open(entry.id());
        assertEquals(42, seed(finish(editor.run())), "the first run has the saved seed");
        assertNotEquals(42, seed(finish(editor.run())), "the second a new one");

        assertTrue(editor.setValue("2", "seed", "7"));
        assertEquals(7, seed(finish(editor.run())), "the seed typed");
        assertNotEquals(7, seed(finish(editor.run())), "then a new one again");
        // another input typed: the seed goes on moving (back at 7, the run could be one the server has cached)
        assertTrue(editor.setValue("3", "filename_prefix", "other"));
        assertNotEquals(7, seed(finish(editor.run())));
    }

    private static long seed(Job job) {
        return job.request().prompt().node("2").orElseThrow().inputs().get("seed").getAsLong();
    }

    /** The workbench saves through the window's save handler when the editor (or the window) closes. */
    @Test
    void closingSavesAtOnceAndARefusedSaveKeepsTheEditorDirty() throws Exception {
        LibraryEntry entry = library().create(WorkflowDraft.of("closing",
                codec().readApi(TestPrompts.quick(0x101112, "before"), "closing")));
        open(entry.id());
        ISaveHandler saver = window.getContext().get(ISaveHandler.class);
        assertTrue(saver != null && saver.getClass().getName().endsWith("EditorSaveHandler"), String.valueOf(saver));

        assertTrue(editor.setValue("2", "filename_prefix", "closed"));
        assertTrue(saver.save(model, false), "saved, so the part may close");
        assertFalse(model.isDirty());
        assertEquals("closed", library().read(entry.id()).workflow().prompt().node("2").orElseThrow().inputs()
                .get("filename_prefix").getAsString());

        assertTrue(editor.setValue("2", "filename_prefix", "lost?"));
        LibraryEntry now = library().entry(entry.id()).orElseThrow();
        library().update(entry.id(), now.revision(), WorkflowDraft.of("closing",
                codec().readApi(TestPrompts.quick(0x131415, "elsewhere"), "closing")));
        assertFalse(saver.save(model, false), "the save was refused: the part stays open");
        assertTrue(model.isDirty());
        assertTrue(message().startsWith("Save failed:") && message().contains("the changes stay here"), message());
        assertEquals("lost?", cell("2", "filename_prefix", VALUE));
    }

    @Test
    void theSelectedInputsBecomeATemplateOfWhatTheEditorShows() throws Exception {
        LibraryEntry entry = createUi("for a template " + UUID.randomUUID().toString().substring(0, 6));
        open(entry.id());
        assertTrue(editor.setValue("1", "width", "24"), "an edit not saved yet goes into the template too");
        assertTrue(canExecute(new NewTemplateHandler()));

        Template made = finish(editor.newTemplate("noise sizes", List.of(new Binding("1", "width"),
                new Binding("1", "height"), new Binding("2", "seed"))));

        Template read = Osgi.service(TemplateLibrary.class).read(made.id());
        assertEquals(List.of("width", "height", "seed"), read.parameters().stream().map(Parameter::name).toList());
        Parameter width = read.parameter("width").orElseThrow();
        assertEquals(ParameterType.INT, width.type());
        assertEquals(24, width.defaultValue().getAsInt(), "the default is the value the editor shows");
        assertEquals(List.of(), read.problems());
        assertEquals("workflow:" + entry.id(), read.metadata().source());
        assertTrue(message().startsWith("Made template noise sizes"), message());

        // an input that is a link cannot be a parameter: the service says why, nothing is made
        int before = Osgi.service(TemplateLibrary.class).entries().size();
        Throwable refused = failure(editor.newTemplate("linked", List.of(new Binding("2", "image"))));
        assertTrue(refused.getMessage().contains("image"), refused.getMessage());
        assertTrue(message().startsWith("New Template failed:"), message());
        assertEquals(before, Osgi.service(TemplateLibrary.class).entries().size());

        // none selected and no App mode declared: the user is told to pick inputs
        Throwable none = failure(editor.newTemplate("nothing", List.of()));
        assertTrue(none.getMessage().contains("select the inputs"), none.getMessage());
    }

    @Test
    void anEditorOfAWorkflowThatIsNotThereSaysSo() {
        open("no-such-workflow");
        Ui.waitUntil(display, "the failure shown", () -> message().startsWith("Read failed:"), this::message);
        assertTrue(message().contains("no-such-workflow"), message());
        assertFalse(canExecute(new SaveWorkflowHandler()));
        assertThrows(ExecutionException.class, () -> editor.save().get(5, TimeUnit.SECONDS));
    }

    // ----

    private void open(String id) {
        Composite parent = ViewHost.shell(display, "Workflow editor test", 1000, 600);
        shell = parent.getShell();
        context = platform.services.createChild("workflow editor");
        model = MBasicFactory.INSTANCE.createPart();
        model.setElementId(WorkflowEditor.DESCRIPTOR_ID);
        model.getPersistedState().put(WorkflowEditor.WORKFLOW_ID, id);
        model.setContext(context);
        window = MBasicFactory.INSTANCE.createTrimmedWindow();
        window.setContext(platform.services.createChild("window"));
        context.set(MPart.class, model);
        context.set(MWindow.class, window);
        context.set(Composite.class, parent);
        editor = ContextInjectionFactory.make(WorkflowEditor.class, context);
        model.setObject(editor);
        shell.open();
        if (library().entry(id).isPresent()) {
            Ui.waitUntil(display, "the workflow read", () -> table().getItemCount() > 0 && summary().endsWith("valid"),
                    () -> message() + " / " + summary());
        }
    }

    private LibraryEntry createUi(String name) throws Exception {
        Workflow w = codec().readUi(TestPrompts.noiseUi("randomize"), name, schema());
        return library().create(WorkflowDraft.of(name, w).withSchema(schema()));
    }

    private static NodeSchema schema() throws Exception {
        return Osgi.service(NodeSchemas.class).schema(platform.serverId);
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

    private <T> T finish(CompletableFuture<T> action) throws Exception {
        return Ui.finish(display, action, this::message);
    }

    private Throwable failure(CompletableFuture<?> action) {
        return Ui.failure(display, action, this::message);
    }

    private boolean canExecute(Object handler) {
        return Handlers.canExecute(handler, context, model);
    }

    private void execute(Object handler) {
        Handlers.execute(handler, context, model);
    }

    private Table table() {
        return Ui.get(shell, "editor.inputs", Table.class);
    }

    private String rows() {
        return "rows: " + Ui.dump(table());
    }

    private String cell(String nodeId, String input, int column) {
        Optional<TableItem> row = Arrays.stream(table().getItems())
                .filter(i -> i.getText(NODE).startsWith(nodeId + " \u00b7")
                        && i.getText(INPUT).replace(" *", "").equals(input))
                .findFirst();
        return row.orElseThrow(() -> new AssertionError("no input " + input + " of node " + nodeId + "; " + rows()))
                .getText(column);
    }

    private String summary() {
        return Ui.get(shell, "editor.summary", Label.class).getText();
    }

    private String message() {
        return Ui.get(shell, "editor.message", CLabel.class).getText();
    }

    private String info() {
        return Ui.get(shell, "editor.info", Label.class).getText();
    }
}
