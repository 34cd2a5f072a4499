package comfy.workbench.ui.workflows.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.eclipse.e4.core.contexts.IEclipseContext;
import org.eclipse.e4.core.di.extensions.EventTopic;
import org.eclipse.e4.core.di.extensions.Service;
import org.eclipse.e4.core.services.events.IEventBroker;
import org.eclipse.e4.ui.di.Focus;
import org.eclipse.e4.ui.di.UISynchronize;
import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.e4.ui.model.application.ui.basic.MPartStack;
import org.eclipse.e4.ui.workbench.UIEvents;
import org.eclipse.e4.ui.workbench.modeling.EModelService;
import org.eclipse.e4.ui.workbench.modeling.EPartService;
import org.eclipse.e4.ui.workbench.modeling.EPartService.PartState;
import org.eclipse.jface.dialogs.InputDialog;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.jface.window.Window;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.SashForm;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;
import org.osgi.service.event.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


import comfy.workbench.connection.api.ServerRegistry;
import comfy.workbench.model.api.NodeSchema;
import comfy.workbench.monitor.api.NodeSchemas;
import comfy.workbench.queue.api.Job;
import comfy.workbench.queue.api.JobQueue;
import comfy.workbench.ui.common.Refusal;
import comfy.workbench.ui.common.ServerSchema;
import comfy.workbench.ui.common.StatusLine;
import comfy.workbench.ui.common.Times;
import comfy.workbench.ui.common.ViewActions;
import comfy.workbench.ui.common.ViewReader;
import comfy.workbench.workflows.api.LibraryEntry;
import comfy.workbench.workflows.api.LibraryException;
import comfy.workbench.workflows.api.StoredWorkflow;
import comfy.workbench.workflows.api.ValidationReport;
import comfy.workbench.workflows.api.Workflow;
import comfy.workbench.workflows.api.WorkflowCodec;
import comfy.workbench.workflows.api.WorkflowException;
import comfy.workbench.workflows.api.WorkflowLibrary;
import comfy.workbench.workflows.api.WorkflowTopics;
import comfy.workbench.workflows.api.WorkflowValidator;

/**
 * The Workflows view: the workflow library's workflows by name, narrowed by a search the library answers, with the
 * files it could not load counted below; the selected workflow's details and its last validation beside. Imports API
 * JSON, UI JSON and PNG files, validates the selected workflow against the node schema of the first reachable server,
 * runs it (one job of normal priority, as {@code comfy run} submits it) and deletes it.
 * <p>
 * A POJO part. Every service is injected with {@code @Service} because each comes and goes with its bundle; the view
 * shows what it can while one is missing and its commands that need it are disabled. The library has no events: the
 * view reads its index after its own changes, on Refresh (which reads the folder again, for other processes' changes)
 * and on a slow poll. Reads run on a thread of the view's own ({@link ViewReader}); imports, validations, runs and
 * deletions wait for the disk or a server, so they run on another. Their outcome, or what was wrong, is shown in the
 * status line; their methods take what a dialog would ask, so that tests call them without one.
 */
public final class WorkflowsPart {

    /** Key of the widget data naming the view's widgets, so that tests and tools find them without guessing. */
    public static final String WIDGET_KEY = "comfy.workbench.widget";

    /**
     * Context key of how often, in milliseconds, the view re-reads the library's index without being told
     * ({@code Long}); {@code 0} turns the poll off, so that only the user and the view's own actions refresh it.
     */
    public static final String POLL_MILLIS_KEY = "comfy.workbench.ui.workflows.pollMillis";

    static final long POLL_MILLIS = 5_000;

    /** The part stack editors open in (the application model's main stack). */
    static final String EDITOR_STACK = "comfy.workbench.app.partstack.editor";

    /** The shortest time between two reads: typing in the search field costs one read per interval. */
    static final long REFRESH_MILLIS = 150;

    private static final Logger LOG = LoggerFactory.getLogger(WorkflowsPart.class);

    private final UISynchronize sync;
    /** Reads the library; one thread, so that snapshots are rendered in the order they were read. */
    private final ViewReader<Optional<Snapshot>> reader;
    /** Runs the view's actions, which wait for the disk and servers; the view reads the library after each. */
    private final ViewActions actions;

    private volatile WorkflowLibrary library;
    private volatile WorkflowCodec codec;
    private final WorkflowRuns runs;
    private volatile WorkflowValidator validator;
    private volatile NodeSchemas schemas;
    private volatile ServerRegistry registry;
    private volatile JobQueue queue;
    private IEventBroker broker;
    private EPartService partService;
    private EModelService modelService;
    private MApplication application;
    /** The search field's text, for the reading thread. */
    private volatile String search = "";

    private Text searchField;
    private WorkflowTable table;
    private Text details;
    private StatusLine status;

    // UI thread only, from here on
    private Optional<Snapshot> shown = Optional.empty();
    /** The last validation of each workflow in this session, by id. */
    private final Map<String, Validation> validations = new HashMap<>();
    /** Why the last validation of a workflow could not be made (no server, say): the status line cuts it short. */
    private final Map<String, String> validationFailures = new HashMap<>();
    /** The workflow (id and revision) the details show, and its node count once read. */
    private String detailed = "";
    private String detailedNodes = "\u2026";
    /** Why the last import failed, shown in the details until a workflow is selected. */
    private String importFailure;
    /** A workflow to select once a read shows it (the first one imported). */
    private String toSelect;

    @Inject
    public WorkflowsPart(UISynchronize sync, IEclipseContext context) {
        this.sync = sync;
        this.runs = WorkflowRuns.in(context);
        this.reader = new ViewReader<>("comfy-workflows-view", this::load, this::render, sync::asyncExec,
                Duration.ofMillis(REFRESH_MILLIS));
        this.actions = new ViewActions("comfy-workflows-view-action", sync::asyncExec, this::showMessage, Refusal.class,
                List.of(WorkflowException.class, LibraryException.class), this::requestLoad);
    }

    /** The Workflows part behind a model element, when that element is one. */
    public static Optional<WorkflowsPart> of(MPart part) {
        return part != null && part.getObject() instanceof WorkflowsPart p ? Optional.of(p) : Optional.empty();
    }

    @Inject
    void setLibrary(@org.eclipse.e4.core.di.annotations.Optional @Service WorkflowLibrary library) {
        this.library = library;
        requestLoad();
    }

    @Inject
    void setCodec(@org.eclipse.e4.core.di.annotations.Optional @Service WorkflowCodec codec) {
        this.codec = codec;
        requestLoad(); // the commands' enablement follows each rendering
    }

    @Inject
    void setValidator(@org.eclipse.e4.core.di.annotations.Optional @Service WorkflowValidator validator) {
        this.validator = validator;
        requestLoad();
    }

    @Inject
    void setSchemas(@org.eclipse.e4.core.di.annotations.Optional @Service NodeSchemas schemas) {
        this.schemas = schemas;
        requestLoad();
    }

    @Inject
    void setRegistry(@org.eclipse.e4.core.di.annotations.Optional @Service ServerRegistry registry) {
        this.registry = registry;
        requestLoad();
    }

    @Inject
    void setQueue(@org.eclipse.e4.core.di.annotations.Optional @Service JobQueue queue) {
        this.queue = queue;
        requestLoad();
    }

    @Inject
    void setPartService(@org.eclipse.e4.core.di.annotations.Optional EPartService partService,
            @org.eclipse.e4.core.di.annotations.Optional EModelService modelService,
            @org.eclipse.e4.core.di.annotations.Optional MApplication application) {
        this.partService = partService;
        this.modelService = modelService;
        this.application = application;
    }

    @Inject
    void setEventBroker(@org.eclipse.e4.core.di.annotations.Optional IEventBroker broker) {
        this.broker = broker;
    }

    @PostConstruct
    public void createControls(Composite parent,
            @org.eclipse.e4.core.di.annotations.Optional @Named(POLL_MILLIS_KEY) Long pollMillis) {
        GridLayoutFactory.fillDefaults().spacing(0, 0).applyTo(parent);

        searchField = new Text(parent, SWT.SEARCH | SWT.ICON_SEARCH | SWT.ICON_CANCEL);
        searchField.setData(WIDGET_KEY, "workflows.search");
        searchField.setMessage(Formats.SEARCH_HINT);
        searchField.setToolTipText(Formats.SEARCH_HINT);
        GridDataFactory.fillDefaults().grab(true, false).indent(0, 2).applyTo(searchField);
        searchField.addModifyListener(e -> {
            search = searchField.getText();
            requestLoad();
        });

        SashForm sash = new SashForm(parent, SWT.VERTICAL);
        GridDataFactory.fillDefaults().grab(true, true).applyTo(sash);
        Composite top = new Composite(sash, SWT.NONE);
        GridLayoutFactory.fillDefaults().applyTo(top);
        table = new WorkflowTable(top);
        table.viewer().getTable().setData(WIDGET_KEY, "workflows.table");
        GridDataFactory.fillDefaults().grab(true, true).applyTo(table.viewer().getTable().getParent());
        table.viewer().addSelectionChangedListener(e -> {
            updateEnablement();
            showDetails();
        });
        table.viewer().addDoubleClickListener(e -> openSelected());
        table.viewer().getTable().addListener(SWT.KeyDown, e -> {
            if (e.keyCode == SWT.CR || e.keyCode == SWT.KEYPAD_CR) {
                openSelected();
            } else if (e.keyCode == SWT.F5) {
                refresh();
            } else if (e.keyCode == SWT.DEL) {
                deleteSelected();
            }
        });
        details = new Text(sash, SWT.MULTI | SWT.READ_ONLY | SWT.WRAP | SWT.V_SCROLL);
        details.setData(WIDGET_KEY, "workflows.details");
        sash.setWeights(65, 35);

        status = new StatusLine(parent, WIDGET_KEY, "workflows");

        long poll = pollMillis == null ? POLL_MILLIS : pollMillis;
        if (poll > 0) {
            reader.poll(Duration.ofMillis(poll));
        }
        render(Optional.empty());
        requestLoad();
    }

    /** The library changed through its service (here, in another view or bundle); called on Event Admin's thread. */
    @Inject
    void libraryChanged(@org.eclipse.e4.core.di.annotations.Optional @EventTopic(WorkflowTopics.LIBRARY_CHANGED) Event event) {
        if (event != null) {
            requestLoad();
        }
    }

    @Focus
    public void focus() {
        table.viewer().getControl().setFocus();
    }

    @PreDestroy
    public void dispose() {
        reader.close();
        actions.close();
    }

    // ---- actions (the handlers of the view's toolbar call these)

    /** Reads the library folder again (changes other processes made), then the view. */
    public CompletableFuture<Integer> refresh() {
        return actions.run("Refresh", "", () -> {
            WorkflowLibrary lib = require(library, "the workflow library");
            lib.refresh();
            return lib.entries().size();
        }, n -> "Read " + Formats.count(n, "workflow") + " from the library folder");
    }

    /** Asks for workflow files and imports them. */
    public void importWithDialog() {
        FileDialog dialog = new FileDialog(shell(), SWT.OPEN | SWT.MULTI);
        dialog.setText("Import Workflows");
        dialog.setFilterExtensions(new String[] { "*.json;*.png", "*.json", "*.png", "*" });
        dialog.setFilterNames(new String[] { "Workflows (*.json, *.png)", "API or UI JSON (*.json)",
                "PNG with workflow metadata (*.png)", "All files" });
        if (dialog.open() == null) {
            return;
        }
        Path folder = Path.of(dialog.getFilterPath());
        importFiles(Arrays.stream(dialog.getFileNames()).map(folder::resolve).toList());
    }

    /**
     * Imports workflow files: API JSON, UI JSON (converted with the first reachable server's node schema) or PNGs with
     * workflow metadata, each named after its file (numbered, {@code name (2)}, when the library has the name). When
     * one cannot be imported, none is, and the status line says which file and why.
     */
    public CompletableFuture<List<LibraryEntry>> importFiles(List<Path> files) {
        return actions.run("Import", "nothing was imported", () -> {
            Importer importer = new Importer(require(library, "the workflow library"),
                    require(codec, "the workflow codec"), () -> serverSchema().schema());
            List<LibraryEntry> added = importer.importFiles(files);
            if (!added.isEmpty()) {
                String first = added.get(0).id();
                sync.asyncExec(() -> toSelect = first);
            }
            return added;
        }, added -> "Imported " + Formats.count(added.size(), "workflow") + ": "
                + String.join(", ", added.stream().map(LibraryEntry::name).toList()) + numbered(added))
                .whenComplete((added, failure) -> {
                    // the status line has room for the start of it only: the details show it whole
                    if (failure != null && !(failure instanceof RejectedExecutionException) && details != null
                            && !details.isDisposed()) {
                        importFailure = "Nothing was imported.\n\n" + failure.getMessage();
                        table.viewer().setSelection(StructuredSelection.EMPTY);
                        showDetails();
                    }
                });
    }

    /** Which of the imported workflows got a number because the library had their file's name. */
    private static String numbered(List<LibraryEntry> added) {
        List<String> renamed = new ArrayList<>();
        for (LibraryEntry e : added) {
            String file = String.valueOf(Path.of(e.metadata().source()).getFileName());
            if (!Importer.stem(file).equals(e.name())) {
                renamed.add(file + " as \"" + e.name() + "\"");
            }
        }
        return renamed.isEmpty() ? "" : " (names taken: " + String.join(", ", renamed) + ")";
    }

    /** Validates the selected workflow. */
    public void validateSelected() {
        selection().ifPresent(e -> validate(e.id()));
    }

    /**
     * Validates a workflow against the node schema of the first reachable server; the details show every finding.
     */
    public CompletableFuture<ValidationReport> validate(String id) {
        return actions.run("Validate", "", () -> {
            try {
                return validated(id).report();
            } catch (RuntimeException e) {
                String why = "Could not validate at " + Times.time(Instant.now()) + ": " + e.getMessage();
                sync.asyncExec(() -> {
                    validationFailures.put(id, why);
                    renderDetails();
                });
                throw e;
            }
        }, report -> report.valid() ? "Valid: every output would run"
                : Formats.count(report.findings().size(), "problem") + " found; see the details");
    }

    /** Runs the selected workflow. */
    public void runSelected() {
        selection().ifPresent(e -> run(e.id()));
    }

    /**
     * Submits one job for a workflow to the job queue, as {@code comfy run} does: validated first against the first
     * reachable server's node schema (an invalid one is not run; the details show why), normal priority, any server,
     * the UI form sent as {@code extra_pnginfo} so that the output PNGs carry it.
     */
    public CompletableFuture<Job> run(String id) {
        return actions.run("Run", "nothing was submitted", () -> {
            JobQueue q = require(queue, "the job queue");
            Checked checked = runnable(id);
            return new Submitted(runs.submit(q, codec, id, checked.workflow().entry().name(),
                    checked.workflow().workflow(), checked.target().schema()), checked.target());
        }, Submitted::message).thenApply(Submitted::job);
    }

    /** The most runs one Run Variations submits. */
    static final int MAX_VARIATIONS = 100;

    /** Asks how many runs of the selected workflow to submit, then submits them (Run Variations). */
    public void runVariationsWithDialog() {
        selection().ifPresent(e -> {
            InputDialog dialog = new InputDialog(shell(), "Run Variations", "How many runs of \"" + e.name()
                    + "\"? Each run's seeds move as their control after generate says (randomized when the workflow "
                    + "has no UI form), so that every run makes a new image.", "4", text -> {
                        try {
                            int n = Integer.parseInt(text.strip());
                            return n >= 1 && n <= MAX_VARIATIONS ? null : "from 1 to " + MAX_VARIATIONS;
                        } catch (NumberFormatException ex) {
                            return "a whole number from 1 to " + MAX_VARIATIONS;
                        }
                    });
            if (dialog.open() == Window.OK) {
                run(e.id(), Integer.parseInt(dialog.getValue().strip()));
            }
        });
    }

    /**
     * Submits {@code count} runs of a workflow, checked once as {@link #run(String)} checks one: the next runs in
     * the frontend's sense, each with its seeds moved.
     */
    public CompletableFuture<List<Job>> run(String id, int count) {
        if (count < 1 || count > MAX_VARIATIONS) {
            return CompletableFuture.failedFuture(new Refusal("from 1 to " + MAX_VARIATIONS + " runs, not " + count));
        }
        return actions.run("Run", "nothing was submitted", () -> {
            JobQueue q = require(queue, "the job queue");
            Checked checked = runnable(id);
            return new Variations(runs.submit(q, codec, id, checked.workflow().entry().name(),
                    checked.workflow().workflow(), checked.target().schema(), count), checked.target());
        }, v -> "Submitted " + Formats.count(v.jobs().size(), "run") + " of " + v.jobs().get(0).request().name()
                + "; the Jobs view lists them" + v.target().submittedNote()).thenApply(Variations::jobs);
    }

    private record Variations(List<Job> jobs, ServerSchema target) {
    }

    /** The workflow read and validated; refused when it is not valid (the details show why). */
    private Checked runnable(String id) {
        Checked checked = validated(id);
        if (!checked.report().valid()) {
            throw new Refusal(checked.workflow().entry().name() + " is not valid for " + checked.validation().server()
                    + " (" + Formats.count(checked.report().findings().size(), "problem")
                    + "; see the details), so it was not run");
        }
        return checked;
    }

    /** Opens the selected workflow in an editor. */
    public void openSelected() {
        selection().ifPresent(e -> open(e.id(), e.name()));
    }

    /**
     * Shows the editor of a workflow in the workbench's editor stack, the one already open for it if there is one;
     * empty where the view runs without a workbench's part service.
     */
    public Optional<MPart> open(String id, String name) {
        EPartService parts = partService;
        if (parts == null) {
            return Optional.empty();
        }
        Optional<MPart> open = editorOf(id);
        if (open.isPresent()) {
            parts.showPart(open.get(), PartState.ACTIVATE);
            return open;
        }
        MPart editor = parts.createPart(WorkflowEditor.DESCRIPTOR_ID);
        if (editor == null) {
            showMessage("Open: the workbench has no workflow editor", true);
            return Optional.empty();
        }
        editor.getPersistedState().put(WorkflowEditor.WORKFLOW_ID, id);
        editor.setLabel(name);
        // a closed editor leaves the model, so that nothing of it (its dirty flag) outlives it
        editor.getTags().add(EPartService.REMOVE_ON_HIDE_TAG);
        MPartStack stack = modelService == null || application == null ? null
                : modelService.find(EDITOR_STACK, application) instanceof MPartStack s ? s : null;
        if (stack != null) {
            stack.getChildren().add(editor);
        }
        parts.showPart(editor, PartState.ACTIVATE);
        return Optional.of(editor);
    }

    /** The editor open on a workflow, if any. */
    private Optional<MPart> editorOf(String id) {
        EPartService parts = partService;
        return parts == null ? Optional.empty() : parts.getParts().stream()
                .filter(p -> WorkflowEditor.DESCRIPTOR_ID.equals(p.getElementId())
                        && id.equals(p.getPersistedState().get(WorkflowEditor.WORKFLOW_ID)))
                .findFirst();
    }

    /** Deletes the selected workflow after the user confirmed. */
    public void deleteSelected() {
        selection().ifPresent(e -> {
            boolean unsaved = editorOf(e.id()).map(MPart::isDirty).orElse(false);
            if (MessageDialog.openConfirm(shell(), "Delete Workflow", "Delete \"" + e.name() + "\" (" + e.id()
                    + ") from the workflow library? Its files are removed from the library folder."
                    + (unsaved ? "\n\nIts editor has changes that are not saved. Once the workflow is deleted they "
                            + "cannot be saved; the editor keeps showing them (Run and New Template still take them) "
                            + "until it is closed." : ""))) {
                delete(e.id(), e.revision());
            }
        });
    }

    /**
     * Deletes a workflow without asking, if it still has the revision the caller saw; when someone changed it since,
     * it stays and the status line says so.
     */
    public CompletableFuture<String> delete(String id, long revision) {
        return actions.run("Delete", "the workflow stays", () -> {
            WorkflowLibrary lib = require(library, "the workflow library");
            String name = lib.entry(id).map(LibraryEntry::name).orElse(id);
            lib.delete(id, revision);
            sync.asyncExec(() -> validations.remove(id));
            return name;
        }, name -> "Deleted " + name);
    }

    // ---- state for the handlers

    public boolean hasLibrary() {
        return library != null;
    }

    public boolean canImport() {
        return library != null && codec != null;
    }

    public boolean canValidate() {
        return selection().isPresent() && library != null && validator != null && schemas != null && registry != null;
    }

    public boolean canRun() {
        return canValidate() && queue != null;
    }

    public boolean canOpen() {
        return selection().isPresent() && partService != null;
    }

    public boolean canDelete() {
        return selection().isPresent() && library != null;
    }

    // ---- selection

    /** The selected workflow, as last read. */
    public Optional<LibraryEntry> selection() {
        if (table == null) {
            return Optional.empty();
        }
        Object first = table.viewer().getStructuredSelection().getFirstElement();
        return first instanceof LibraryEntry e ? Optional.of(e) : Optional.empty();
    }

    /** Selects the row of a workflow, if it is shown. */
    public void select(String id) {
        Object input = table.viewer().getInput();
        List<?> rows = input instanceof List<?> l ? l : List.of();
        rows.stream().filter(r -> ((LibraryEntry) r).id().equals(id)).findFirst()
                .ifPresent(r -> table.viewer().setSelection(new StructuredSelection(r), true));
        updateEnablement();
    }

    // ---- reading and rendering

    private void requestLoad() {
        reader.request();
    }

    private Optional<Snapshot> load() {
        WorkflowLibrary lib = library;
        if (lib == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Snapshot.of(lib, search));
        } catch (RuntimeException e) {
            // the library is going away under us: the injection of its absence follows
            LOG.debug("the workflow library could not be read", e);
            return Optional.empty();
        }
    }

    private void render(Optional<Snapshot> read) {
        if (status == null || status.isDisposed()) {
            return;
        }
        shown = read;
        if (read.isEmpty()) {
            table.viewer().setInput(List.of());
            status.summary().setText(library == null ? "Workflow library not available: no workflows to show."
                    : "Reading the workflow library\u2026");
            status.summary().setToolTipText(null);
        } else {
            table.viewer().setInput(read.get().rows());
            status.summary().setText(Formats.summary(read.get()));
            status.summary().setToolTipText(Formats.problems(read.get().problems()));
            if (toSelect != null && read.get().rows().stream().anyMatch(e -> e.id().equals(toSelect))) {
                select(toSelect);
                toSelect = null;
            }
        }
        status.summary().getParent().layout();
        showDetails(); // the selected workflow may have a new revision
        updateEnablement();
    }

    /** Shows the selected workflow's details; its node count is read from its file on the view's thread. */
    private void showDetails() {
        if (details == null || details.isDisposed()) {
            return;
        }
        Optional<LibraryEntry> selected = selection();
        if (selected.isEmpty()) {
            detailed = "";
            details.setText(importFailure != null ? importFailure
                    : shown.isPresent() && shown.get().rows().isEmpty() ? "" : "Select a workflow to see its details.");
            return;
        }
        importFailure = null;
        LibraryEntry e = selected.get();
        String wanted = e.id() + "#" + e.revision();
        if (!wanted.equals(detailed)) {
            detailed = wanted;
            detailedNodes = "\u2026";
            WorkflowLibrary lib = library;
            reader.execute(() -> {
                String nodes = nodeCount(lib, e.id());
                sync.asyncExec(() -> {
                    if (wanted.equals(detailed)) {
                        detailedNodes = nodes;
                        renderDetails();
                    }
                });
            });
        }
        renderDetails();
    }

    private static String nodeCount(WorkflowLibrary lib, String id) {
        if (lib == null) {
            return Formats.NONE;
        }
        try {
            return Integer.toString(lib.read(id).workflow().prompt().size());
        } catch (RuntimeException e) {
            return "cannot be read: " + e.getMessage();
        }
    }

    private void renderDetails() {
        if (details.isDisposed()) {
            return;
        }
        selection().ifPresent(e -> details.setText(Formats.details(e, detailedNodes,
                Optional.ofNullable(validations.get(e.id())), Optional.ofNullable(validationFailures.get(e.id())))));
    }

    private void showMessage(String text, boolean failed) {
        if (status != null && !status.isDisposed()) {
            status.message(text, null, failed ? status.summary().getDisplay().getSystemColor(SWT.COLOR_RED) : null);
        }
    }

    private void updateEnablement() {
        IEventBroker b = broker;
        if (b != null) {
            // tool items ask their handlers' @CanExecute again only when told to
            b.send(UIEvents.REQUEST_ENABLEMENT_UPDATE_TOPIC, UIEvents.ALL_ELEMENT_ID);
        }
    }

    // ---- what the actions share

    /** A workflow read from the library and its validation. */
    private record Checked(StoredWorkflow workflow, Validation validation, ServerSchema target) {
        ValidationReport report() {
            return validation.report();
        }
    }

    /** Reads a workflow and validates it against the first reachable server's schema; the details show the result. */
    private Checked validated(String id) {
        WorkflowLibrary lib = require(library, "the workflow library");
        WorkflowValidator v = require(validator, "the workflow validator");
        StoredWorkflow stored = lib.read(id);
        ServerSchema target = serverSchema();
        ValidationReport report = v.validate(stored.workflow().prompt(), target.schema());
        Validation validation = new Validation(stored.revision(), target.source(), Instant.now(), report);
        sync.asyncExec(() -> {
            validations.put(id, validation);
            validationFailures.remove(id);
            if (table != null && !table.viewer().getControl().isDisposed()) {
                renderDetails();
            }
        });
        return new Checked(stored, validation, target);
    }

    private ServerSchema serverSchema() {
        return ServerSchema.first(require(registry, "the server registry"), require(schemas, "the node schemas"));
    }

    private static <S> S require(S service, String what) {
        if (service == null) {
            throw new Refusal(what + " is not available");
        }
        return service;
    }


    private Shell shell() {
        return table.viewer().getControl().getShell();
    }
}
