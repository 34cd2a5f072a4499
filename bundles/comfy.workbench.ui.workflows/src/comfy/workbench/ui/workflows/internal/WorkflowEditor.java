package comfy.workbench.ui.workflows.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;

import org.eclipse.e4.core.contexts.IEclipseContext;
import org.eclipse.e4.core.di.extensions.EventTopic;
import org.eclipse.e4.core.di.extensions.Service;
import org.eclipse.e4.core.services.events.IEventBroker;
import org.eclipse.e4.ui.di.Focus;
import org.eclipse.e4.ui.di.Persist;
import org.eclipse.e4.ui.di.UISynchronize;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.e4.ui.model.application.ui.basic.MWindow;
import org.eclipse.e4.ui.workbench.UIEvents;
import org.eclipse.e4.ui.workbench.modeling.EPartService;
import org.eclipse.e4.ui.workbench.modeling.ISaveHandler;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.dialogs.InputDialog;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;
import org.osgi.service.event.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.gson.JsonElement;
import com.google.gson.JsonPrimitive;

import comfy.workbench.connection.api.ServerRegistry;
import comfy.workbench.model.api.InputKind;
import comfy.workbench.model.api.NodeSchema;
import comfy.workbench.model.api.PromptGraph;
import comfy.workbench.monitor.api.NodeSchemas;
import comfy.workbench.queue.api.Job;
import comfy.workbench.queue.api.JobQueue;
import comfy.workbench.templates.api.Binding;
import comfy.workbench.templates.api.Parameter;
import comfy.workbench.templates.api.Template;
import comfy.workbench.templates.api.TemplateDraft;
import comfy.workbench.templates.api.TemplateException;
import comfy.workbench.templates.api.TemplateLibrary;
import comfy.workbench.templates.api.TemplateService;
import comfy.workbench.ui.common.Refusal;
import comfy.workbench.ui.common.ServerSchema;
import comfy.workbench.ui.common.StatusLine;
import comfy.workbench.ui.common.ViewActions;
import comfy.workbench.workflows.api.Finding;
import comfy.workbench.workflows.api.InputEdit;
import comfy.workbench.workflows.api.LibraryEntry;
import comfy.workbench.workflows.api.LibraryException;
import comfy.workbench.workflows.api.LibraryNames;
import comfy.workbench.workflows.api.StoredWorkflow;
import comfy.workbench.workflows.api.ValidationReport;
import comfy.workbench.workflows.api.Workflow;
import comfy.workbench.workflows.api.WorkflowCodec;
import comfy.workbench.workflows.api.WorkflowDraft;
import comfy.workbench.workflows.api.WorkflowException;
import comfy.workbench.workflows.api.WorkflowLibrary;
import comfy.workbench.workflows.api.WorkflowTopics;
import comfy.workbench.workflows.api.WorkflowValidator;

/**
 * The editor of one library workflow: its name, tags and description, and every input of its graph with the value the
 * graph gives it, the ones the user may type checked as they are typed (a whole number for an INT, an option of a
 * combo, the node schema of the first reachable server saying which) and the whole graph validated against that
 * schema after each change, each problem beside its input. Save writes the values into the UI form too
 * ({@link WorkflowCodec#withInputs}), so that ComfyUI opens the file as it runs, at the revision the editor read (a
 * change made elsewhere meanwhile is refused and the edits stay); Run submits what the editor shows, saved or not.
 * <p>
 * A POJO part made from the part descriptor {@value #DESCRIPTOR_ID}; the workflow's id is in the part's persisted
 * state under {@value #WORKFLOW_ID}, so that a restored workbench opens it again. Reading and saving wait for the disk
 * and a server and run on a thread of the editor's own; their outcome is shown in the status line. The library's
 * change events reload a clean editor and warn a dirty one.
 */
public final class WorkflowEditor {

    /** The part descriptor editors are made from. */
    public static final String DESCRIPTOR_ID = "comfy.workbench.ui.workflows.editor";
    /** The Jobs view's id (comfy.workbench.ui.queue), named rather than imported: this bundle does not need it. */
    static final String JOBS_PART = "comfy.workbench.ui.queue.part";

    /** Key, in the part's persisted state, of the id of the workflow it edits. */
    public static final String WORKFLOW_ID = "comfy.workbench.ui.workflows.workflowId";

    private static final Logger LOG = LoggerFactory.getLogger(WorkflowEditor.class);

    /** A workflow as read, with the schema it is checked against. */
    private record Loaded(StoredWorkflow stored, NodeSchema schema, String server, String schemaProblem) {
    }

    private final UISynchronize sync;
    private final MPart part;
    private final String id;
    private final WorkflowRuns runs;
    private final ViewActions actions;

    private volatile WorkflowLibrary library;
    private volatile WorkflowCodec codec;
    private volatile WorkflowValidator validator;
    private volatile NodeSchemas schemas;
    private volatile ServerRegistry registry;
    private volatile JobQueue queue;
    private volatile TemplateService templates;
    private volatile TemplateLibrary templateLibrary;
    private IEventBroker broker;

    private Text name;
    private Text tags;
    private Text description;
    private Label info;
    private InputTable table;
    /** The selected text input's value, several lines high, and the row it shows. */
    private Label textLabel;
    private Text text;
    private InputRow textRow;
    private StatusLine status;

    // UI thread only, from here on
    private Loaded loaded;
    /** The values typed since the workflow was read, by row key, in the order typed. */
    private final Map<String, InputEdit> edits = new LinkedHashMap<>();
    private List<Finding> findings = List.of();
    /** The workflow as the editor shows it: the one read with the edits applied. */
    private Workflow current;
    /** Set while the editor fills its fields, so that doing so does not count as the user's change. */
    private boolean filling;
    /** A revision of the workflow the library has and the editor has not read (or -1 once it was deleted). */
    private long newerRevision;
    private final IEclipseContext context;

    @Inject
    public WorkflowEditor(UISynchronize sync, MPart part, IEclipseContext context) {
        this.sync = sync;
        this.part = part;
        this.id = part.getPersistedState().getOrDefault(WORKFLOW_ID, "");
        this.runs = WorkflowRuns.in(context);
        this.context = context;
        this.actions = new ViewActions("comfy-workflow-editor", sync::asyncExec, this::showMessage, Refusal.class,
                List.of(WorkflowException.class, LibraryException.class, TemplateException.class), () -> {
                });
    }

    /** The editor behind a model element, when that element is one. */
    public static Optional<WorkflowEditor> of(MPart part) {
        return part != null && part.getObject() instanceof WorkflowEditor e ? Optional.of(e) : Optional.empty();
    }

    @Inject
    void setLibrary(@org.eclipse.e4.core.di.annotations.Optional @Service WorkflowLibrary library) {
        this.library = library;
    }

    @Inject
    void setCodec(@org.eclipse.e4.core.di.annotations.Optional @Service WorkflowCodec codec) {
        this.codec = codec;
    }

    @Inject
    void setValidator(@org.eclipse.e4.core.di.annotations.Optional @Service WorkflowValidator validator) {
        this.validator = validator;
    }

    @Inject
    void setSchemas(@org.eclipse.e4.core.di.annotations.Optional @Service NodeSchemas schemas) {
        this.schemas = schemas;
    }

    @Inject
    void setRegistry(@org.eclipse.e4.core.di.annotations.Optional @Service ServerRegistry registry) {
        this.registry = registry;
    }

    @Inject
    void setQueue(@org.eclipse.e4.core.di.annotations.Optional @Service JobQueue queue) {
        this.queue = queue;
        updateEnablement();
    }

    @Inject
    void setTemplates(@org.eclipse.e4.core.di.annotations.Optional @Service TemplateService templates,
            @org.eclipse.e4.core.di.annotations.Optional @Service TemplateLibrary templateLibrary) {
        this.templates = templates;
        this.templateLibrary = templateLibrary;
        updateEnablement();
    }

    @Inject
    void setEventBroker(@org.eclipse.e4.core.di.annotations.Optional IEventBroker broker) {
        this.broker = broker;
    }

    /** Closing a dirty editor, or its window, asks first (the e4 default saves without asking). */
    @Inject
    void setWindow(@org.eclipse.e4.core.di.annotations.Optional MWindow window) {
        if (window != null && window.getContext() != null
                && !(window.getContext().getLocal(ISaveHandler.class) instanceof EditorSaveHandler)) {
            window.getContext().set(ISaveHandler.class, new EditorSaveHandler(window));
        }
    }

    @PostConstruct
    public void createControls(Composite parent) {
        GridLayoutFactory.fillDefaults().spacing(0, 0).applyTo(parent);
        Composite form = new Composite(parent, SWT.NONE);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(form);
        GridLayoutFactory.fillDefaults().numColumns(4).margins(6, 6).applyTo(form);
        name = field(form, "Name:", "editor.name", SWT.SINGLE | SWT.BORDER, 1);
        tags = field(form, "Tags:", "editor.tags", SWT.SINGLE | SWT.BORDER, 1);
        tags.setMessage("comma-separated");
        description = field(form, "Description:", "editor.description", SWT.MULTI | SWT.BORDER | SWT.WRAP | SWT.V_SCROLL, 3);
        GridDataFactory.fillDefaults().grab(true, false).span(3, 1).hint(SWT.DEFAULT, 40).applyTo(description);
        info = new Label(form, SWT.WRAP);
        info.setData(WorkflowsPart.WIDGET_KEY, "editor.info");
        GridDataFactory.fillDefaults().grab(true, false).span(4, 1).applyTo(info);

        table = new InputTable(parent, (row, text) -> setValue(row.nodeId(), row.input(), text));
        table.viewer().getTable().setData(WorkflowsPart.WIDGET_KEY, "editor.inputs");
        GridDataFactory.fillDefaults().grab(true, true).applyTo(table.holder());
        createTextPane(parent);

        status = new StatusLine(parent, WorkflowsPart.WIDGET_KEY, "editor");
        for (Text t : List.of(name, tags, description)) {
            t.addModifyListener(e -> {
                if (!filling) {
                    updateDirty();
                }
            });
        }
        part.setLabel(part.getLabel() == null || part.getLabel().isBlank() ? id : part.getLabel());
        part.setTooltip("Workflow " + id);
        reload();
    }

    /**
     * Under the inputs, the selected text input's whole value, several lines high: a prompt is typed there, not in a
     * one-line table cell. What is typed is the input's value at once, as a typed cell's is on Enter: Save, Run and
     * the dirty mark see it without the pane having to lose the focus first.
     */
    private void createTextPane(Composite parent) {
        Composite pane = new Composite(parent, SWT.NONE);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(pane);
        GridLayoutFactory.fillDefaults().margins(6, 3).applyTo(pane);
        textLabel = new Label(pane, SWT.NONE);
        textLabel.setData(WorkflowsPart.WIDGET_KEY, "editor.textLabel");
        GridDataFactory.fillDefaults().grab(true, false).applyTo(textLabel);
        text = new Text(pane, SWT.MULTI | SWT.BORDER | SWT.WRAP | SWT.V_SCROLL);
        text.setData(WorkflowsPart.WIDGET_KEY, "editor.text");
        GridDataFactory.fillDefaults().grab(true, false).hint(SWT.DEFAULT, 80).applyTo(text);
        text.addModifyListener(e -> applyText());
        table.viewer().addSelectionChangedListener(e -> showText());
        showText();
    }

    /** Shows the one selected text input in the pane, or says what the pane is for. */
    private void showText() {
        if (text == null || text.isDisposed()) {
            return;
        }
        List<?> selected = table.viewer().getStructuredSelection().toList();
        InputRow row = selected.size() == 1 && selected.get(0) instanceof InputRow r && r.editable()
                && r.value().getAsJsonPrimitive().isString() && r.kind().map(k -> k == InputKind.STRING).orElse(true)
                        ? r : null;
        String shown = row == null ? "" : ValueText.show(row.value());
        boolean same = row != null && textRow != null && row.key().equals(textRow.key());
        textRow = row;
        // what is typed is the value at once, so the text differs only when the value changed otherwise (Revert, a
        // reload); the caret stays where it was on the same input
        if (!text.getText().equals(shown)) {
            org.eclipse.swt.graphics.Point caret = text.getSelection();
            text.setText(shown);
            if (same) {
                text.setSelection(Math.min(caret.x, shown.length()));
            }
        }
        text.setEnabled(row != null);
        textLabel.setText(row == null ? "Select a text input to type its value here, on several lines"
                : row.input() + " of " + row.node() + ":");
    }

    /** Takes what was typed into the pane as the value of its input. */
    private void applyText() {
        InputRow row = textRow;
        if (row != null && !text.isDisposed() && !text.getText().equals(ValueText.show(row.value()))) {
            setValue(row.nodeId(), row.input(), text.getText());
        }
    }

    private static Text field(Composite form, String label, String widget, int style, int span) {
        Label l = new Label(form, SWT.NONE);
        l.setText(label);
        GridDataFactory.fillDefaults().align(SWT.BEGINNING, SWT.BEGINNING).indent(0, 3).applyTo(l);
        Text t = new Text(form, style);
        t.setData(WorkflowsPart.WIDGET_KEY, widget);
        GridDataFactory.fillDefaults().grab(true, false).span(span, 1).applyTo(t);
        return t;
    }

    @Focus
    public void focus() {
        table.viewer().getControl().setFocus();
    }

    @PreDestroy
    public void dispose() {
        actions.close(); // a save under way finishes
    }

    /** The library changed through its service; called on Event Admin's thread. */
    @Inject
    void libraryChanged(@org.eclipse.e4.core.di.annotations.Optional @EventTopic(WorkflowTopics.LIBRARY_CHANGED) Event event) {
        WorkflowLibrary lib = library;
        if (event == null || lib == null) {
            return;
        }
        Optional<LibraryEntry> inLibrary = lib.entry(id);
        sync.asyncExec(() -> {
            if (status == null || status.isDisposed() || loaded == null) {
                return;
            }
            LibraryEntry read = loaded.stored().entry();
            if (inLibrary.isPresent() && inLibrary.get().revision() == read.revision()
                    && sameWorkflow(inLibrary.get(), read)) {
                return;
            }
            // a workflow deleted and another made under its id starts again at revision 1: only its creation tells
            long now = inLibrary.filter(c -> sameWorkflow(c, read)).map(LibraryEntry::revision).orElse(-1L);
            if (!part.isDirty() && now > 0) {
                reload();
            } else if (now != newerRevision) {
                newerRevision = now;
                showMessage(staleWarning(), true);
            }
        });
    }

    /** Why Save would be refused, once the library has another revision (or none) of the workflow; else empty. */
    private String staleWarning() {
        return newerRevision == 0 ? ""
                : newerRevision < 0 ? "Deleted from the library: Save would be refused; the editor keeps what it shows "
                        + "(Run and New Template take it) until closed"
                        : "Changed in the library (revision " + newerRevision + ") since it was read: Save would be "
                                + "refused; Revert reads it again, dropping the changes here";
    }

    /** Whether two entries are of one workflow: ids are reused once a workflow is deleted, creation times are not. */
    private static boolean sameWorkflow(LibraryEntry a, LibraryEntry b) {
        return a.id().equals(b.id()) && a.metadata().created().equals(b.metadata().created());
    }

    // ---- actions (the handlers of the editor's toolbar call these)

    /** Reads the workflow again and the node schema to check it with, dropping the changes made here. */
    public CompletableFuture<LibraryEntry> reload() {
        return actions.run("Read", "", () -> {
            StoredWorkflow stored = require(library, "the workflow library").read(id);
            try {
                ServerSchema target = ServerSchema.first(require(registry, "the server registry"),
                        require(schemas, "the node schemas"));
                return new Loaded(stored, target.schema(), target.source(), "");
            } catch (Refusal e) {
                return new Loaded(stored, null, "", e.getMessage());
            }
        }, l -> l.schemaProblem().isEmpty() ? "Read revision " + l.stored().revision() + "; checked against " + l.server()
                : "Read revision " + l.stored().revision() + "; not checked: " + l.schemaProblem(), this::show)
                .thenApply(l -> l.stored().entry());
    }

    /**
     * Types a value into an input: refused (the status line says why, nothing changes) when the text is not of the
     * input's kind or the UI form cannot take it; else the graph is validated again.
     *
     * @return whether the value was taken
     */
    public boolean setValue(String nodeId, String input, String text) {
        Optional<InputRow> row = rows().stream().filter(r -> r.nodeId().equals(nodeId) && r.input().equals(input))
                .findFirst();
        if (row.isEmpty() || loaded == null) {
            showMessage("The graph has no input " + input + " on node " + nodeId, true);
            return false;
        }
        InputRow r = row.get();
        try {
            if (!r.editable()) {
                throw new Refusal(input + " of node " + nodeId + " is fed by a link; change the graph in ComfyUI");
            }
            JsonPrimitive value = ValueText.parse(r, text);
            JsonElement stored = loaded.stored().workflow().prompt().node(nodeId).orElseThrow().inputs().get(input);
            Map<String, InputEdit> next = new LinkedHashMap<>(edits);
            if (stored != null && ValueText.same(stored, value)) {
                next.remove(r.key());
            } else {
                next.put(r.key(), new InputEdit(nodeId, input, value));
            }
            // the UI form must take it (refused now rather than at Save); a PrimitiveNode's other inputs change too
            Workflow now = edited(loaded, next.values(), loaded.schema());
            edits.clear();
            edits.putAll(next);
            current = now;
        } catch (Refusal | WorkflowException e) {
            showMessage(e.getMessage(), true);
            return false;
        }
        // a value taken clears an earlier refusal, not the warning that Save would be refused
        showMessage(staleWarning(), newerRevision != 0);
        revalidate();
        updateDirty();
        return true;
    }

    /** Selects the row of an input, as a click on it does. */
    public void selectInput(String nodeId, String input) {
        rows().stream().filter(r -> r.nodeId().equals(nodeId) && r.input().equals(input)).findFirst()
                .ifPresent(r -> table.viewer().setSelection(new org.eclipse.jface.viewers.StructuredSelection(r), true));
    }

    /** Opens the value of an input for typing in the table, as a click on it does; false if it cannot be typed. */
    public boolean editValue(String nodeId, String input) {
        Optional<InputRow> row = rows().stream().filter(r -> r.nodeId().equals(nodeId) && r.input().equals(input))
                .findFirst();
        if (row.isEmpty() || !row.get().editable()) {
            return false;
        }
        table.viewer().editElement(row.get(), InputTable.VALUE);
        return table.viewer().isCellEditorActive();
    }

    /** Saves the name, tags, description and values at the revision read (the toolbar's Save, Ctrl+S). */
    public CompletableFuture<LibraryEntry> save() {
        if (loaded == null) {
            return CompletableFuture.failedFuture(new Refusal("nothing was read to save"));
        }
        return actions.run("Save", "the changes stay here", saving(), l -> "Saved revision " + l.stored().revision(), this::show)
                .thenApply(l -> l.stored().entry());
    }

    /**
     * Saves at once, on the UI thread, for the workbench closing the editor or its window: the part stays dirty, and
     * the editor open, when the save is refused.
     */
    @Persist
    public void persist() {
        if (loaded == null) {
            return;
        }
        try {
            Loaded saved = saving().get();
            show(saved);
            showMessage("Saved revision " + saved.stored().revision(), false);
        } catch (RuntimeException e) {
            // the editor stays open and dirty and says why (the disk, say), rather than the workbench failing to close
            if (!(e instanceof Refusal || e instanceof WorkflowException || e instanceof LibraryException)) {
                LOG.warn("saving workflow {} failed", id, e);
            }
            showMessage("Save failed: " + e.getMessage() + " \u2014 the changes stay here", true);
        }
    }

    /** What a save does, with the fields as they are now; runs on any thread. */
    private Supplier<Loaded> saving() {
        Loaded base = loaded;
        String newName = name.getText().strip();
        List<String> newTags = Arrays.stream(tags.getText().split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .toList();
        String newDescription = description.getText();
        List<InputEdit> values = List.copyOf(edits.values());
        return () -> {
            if (newName.isEmpty()) {
                throw new Refusal("a workflow needs a name");
            }
            WorkflowLibrary lib = require(library, "the workflow library");
            LibraryEntry entry = base.stored().entry();
            // the revision check cannot tell a workflow made under the id of the deleted one read here
            if (lib.entry(id).filter(now -> sameWorkflow(now, entry)).isEmpty()) {
                throw new Refusal("the workflow it was read from is no longer in the library"
                        + (lib.entry(id).isPresent() ? " (another one has its id " + id + " now)" : ""));
            }
            // a list by name cannot tell two alike apart; a rename asks for a free one rather than numbering it unasked
            if (!newName.equalsIgnoreCase(entry.name().strip())) {
                String free = new LibraryNames(lib.entries().stream().filter(other -> !other.id().equals(id)).toList())
                        .claim(newName);
                if (!free.equals(newName)) {
                    throw new Refusal("another workflow is named \"" + newName + "\"; choose another name (\""
                            + free + "\" is free)");
                }
            }
            WorkflowDraft draft = new WorkflowDraft(newName, newDescription, newTags, entry.metadata().source(),
                    edited(base, values, base.schema()), base.schema(), entry.attributes());
            lib.update(id, entry.revision(), draft);
            return new Loaded(lib.read(id), base.schema(), base.server(), base.schemaProblem());
        };
    }

    /** Validates what the editor shows against the first reachable server's node schema, read again. */
    public CompletableFuture<ValidationReport> validate() {
        Loaded base = loaded;
        return actions.run("Validate", "", () -> {
            ServerSchema target = ServerSchema.first(require(registry, "the server registry"),
                    require(schemas, "the node schemas"));
            require(validator, "the workflow validator");
            return target;
        }, t -> "Checked against " + t.source(), t -> {
            if (base != null && loaded == base) {
                loaded = new Loaded(base.stored(), t.schema(), t.source(), "");
                revalidate();
                render();
            }
        }).thenApply(t -> report());
    }

    /**
     * Submits what the editor shows, saved or not, as the Workflows view's Run does: refused when it is not valid for
     * the first reachable server.
     */
    public CompletableFuture<Job> run() {
        if (loaded == null) {
            return CompletableFuture.failedFuture(new Refusal("nothing was read to run"));
        }
        Loaded base = loaded;
        List<InputEdit> values = List.copyOf(edits.values());
        String jobName = name.getText().isBlank() ? base.stored().entry().name() : name.getText().strip();
        return actions.run("Run", "", () -> {
            JobQueue q = require(queue, "the job queue");
            ServerSchema target = ServerSchema.first(require(registry, "the server registry"),
                    require(schemas, "the node schemas"));
            Workflow w = edited(base, values, target.schema());
            ValidationReport report = require(validator, "the workflow validator").validate(w.prompt(), target.schema());
            if (!report.valid()) {
                throw new Refusal(jobName + " is not valid for " + target.source() + " ("
                        + Formats.count(report.findings().size(), "problem") + "; see the Problem column), so it was not run");
            }
            return new Submitted(runs.submit(q, codec, id, jobName, w, target.schema()), target);
        }, Submitted::message, s -> showJobs()).thenApply(Submitted::job);
    }

    /** Brings the Jobs view forward, where there is one: the job just submitted is what the user wants to see next. */
    private void showJobs() {
        EPartService parts = context.get(EPartService.class);
        if (parts != null && parts.findPart(JOBS_PART) != null) {
            parts.showPart(JOBS_PART, EPartService.PartState.VISIBLE);
        }
    }

    /**
     * Asks for a name and makes a template of what the editor shows: a parameter for each selected input that takes a
     * value, or, with none selected, the inputs the workflow's App mode declares.
     */
    public void newTemplateWithDialog() {
        List<Binding> picked = new ArrayList<>();
        table.viewer().getStructuredSelection().forEach(o -> {
            InputRow r = (InputRow) o;
            if (r.editable()) {
                picked.add(new Binding(r.nodeId(), r.input()));
            }
        });
        InputDialog dialog = new InputDialog(table.viewer().getControl().getShell(), "New Template",
                (picked.isEmpty() ? "The template's parameters are the inputs the workflow's App mode declares."
                        : "The template's parameters: " + String.join(", ", picked.stream()
                                .map(b -> b.input() + " of node " + b.nodeId()).toList()) + ".")
                        + "\n\nName of the template:",
                name.getText().strip() + " template", text -> text.isBlank() ? "A template needs a name" : null);
        if (dialog.open() == InputDialog.OK) {
            newTemplate(dialog.getValue().strip(), picked);
        }
    }

    /**
     * Makes a template of what the editor shows, saved or not, checked against the first reachable server's node
     * schema: a parameter per binding (named after its input, with the node id added where names repeat; typed,
     * bounded and defaulted from the schema and the current value), or the App mode's inputs when {@code bindings} is
     * empty. Nothing is made when one does not fit; the status line says which.
     */
    public CompletableFuture<Template> newTemplate(String templateName, List<Binding> bindings) {
        if (loaded == null) {
            return CompletableFuture.failedFuture(new Refusal("nothing was read to make a template of"));
        }
        Loaded base = loaded;
        List<InputEdit> values = List.copyOf(edits.values());
        String description = "Made from workflow " + base.stored().entry().name();
        return actions.run("New Template", "", () -> {
            TemplateService service = require(templates, "the template service");
            TemplateLibrary lib = require(templateLibrary, "the template library");
            ServerSchema target = ServerSchema.first(require(registry, "the server registry"),
                    require(schemas, "the node schemas"));
            Workflow w = edited(base, values, target.schema());
            List<Parameter> parameters = new ArrayList<>();
            if (bindings.isEmpty()) {
                parameters.addAll(service.appParameters(w, target.schema()));
                if (parameters.isEmpty()) {
                    throw new Refusal("select the inputs to make parameters of (the workflow declares no App mode inputs)");
                }
            } else {
                Map<String, Long> names = new LinkedHashMap<>();
                bindings.forEach(b -> names.merge(b.input(), 1L, Long::sum));
                for (Binding b : bindings) {
                    String parameter = names.get(b.input()) > 1 ? b.input() + "_" + b.nodeId() : b.input();
                    parameters.add(service.parameter(w, target.schema(), parameter.replace(':', '_'), List.of(b)));
                }
            }
            // a template list by name cannot tell two equal names apart
            return lib.create(new TemplateDraft(new LibraryNames(lib.entries()).claim(templateName), description,
                    List.of(), "workflow:" + id, w, target.schema(), parameters));
        }, t -> "Made template " + t.name() + " (" + t.id() + ") with " + Formats.count(t.parameters().size(), "parameter")
                + "; the Templates view lists it", t -> {
        });
    }

    // ---- state for the handlers and tests

    public String workflowId() {
        return id;
    }

    public boolean isDirty() {
        return part.isDirty();
    }

    public boolean canSave() {
        return loaded != null && library != null && part.isDirty();
    }

    public boolean canMakeTemplate() {
        return loaded != null && templates != null && templateLibrary != null && registry != null && schemas != null;
    }

    public boolean canRun() {
        return loaded != null && queue != null && validator != null && registry != null && schemas != null;
    }

    /** The rows the table shows. */
    private List<InputRow> rows() {
        Object input = table == null ? null : table.viewer().getInput();
        List<InputRow> rows = new ArrayList<>();
        if (input instanceof List<?> l) {
            l.forEach(o -> rows.add((InputRow) o));
        }
        return rows;
    }

    /** The graph as the editor shows it, edits applied. */
    public Optional<PromptGraph> graph() {
        return loaded == null ? Optional.empty() : Optional.of(current.prompt());
    }

    // ---- showing

    private void show(Loaded read) {
        if (status == null || status.isDisposed()) {
            return;
        }
        loaded = read;
        current = read.stored().workflow();
        newerRevision = 0;
        edits.clear();
        filling = true;
        try {
            LibraryEntry e = read.stored().entry();
            name.setText(e.name());
            tags.setText(String.join(", ", e.metadata().tags()));
            description.setText(e.metadata().description());
        } finally {
            filling = false;
        }
        part.setLabel(read.stored().entry().name());
        revalidate();
        updateDirty();
    }

    private void revalidate() {
        WorkflowValidator v = validator;
        findings = v == null || loaded == null || loaded.schema() == null ? List.of()
                : v.validate(graph().orElseThrow(), loaded.schema()).findings();
        render();
    }

    private ValidationReport report() {
        return validator.validate(graph().orElseThrow(), loaded.schema());
    }

    private void render() {
        if (status == null || status.isDisposed() || loaded == null) {
            return;
        }
        table.viewer().setInput(InputRow.of(graph().orElseThrow(), loaded.schema(), edits.keySet(), findings));
        LibraryEntry e = loaded.stored().entry();
        info.setText(Formats.format(e.format()) + " workflow " + e.id() + ", revision " + e.revision() + ", "
                + Formats.count(loaded.stored().workflow().prompt().size(), "node")
                + (loaded.schema() == null ? " \u2014 values unchecked: " + loaded.schemaProblem()
                        : " \u2014 checked against " + loaded.server()));
        long nodeProblems = findings.size();
        // the details count as changes too: the tab shows the editor dirty for them
        List<String> details = changedDetails();
        String changes = edits.isEmpty() ? "No values changed" : Formats.count(edits.size(), "value") + " changed";
        if (!details.isEmpty()) {
            changes = String.join(", ", details) + " changed; " + (edits.isEmpty() ? "no values changed" : changes);
            changes = Character.toUpperCase(changes.charAt(0)) + changes.substring(1);
        }
        status.summary().setText(changes + "; " + (loaded.schema() == null ? "not validated" : nodeProblems == 0 ? "valid"
                : Formats.count((int) nodeProblems, "problem")));
        info.getParent().layout();
        status.summary().getParent().layout();
        showText();
        updateEnablement();
    }

    private void updateDirty() {
        if (loaded == null) {
            return;
        }
        part.setDirty(!edits.isEmpty() || !changedDetails().isEmpty());
        render();
    }

    /** Which of name, tags and description differ from the workflow as read. */
    private List<String> changedDetails() {
        LibraryEntry e = loaded.stored().entry();
        List<String> changed = new ArrayList<>();
        if (!name.getText().strip().equals(e.name())) {
            changed.add("name");
        }
        if (!tags.getText().replace(" ", "").equals(String.join(",", e.metadata().tags()).replace(" ", ""))) {
            changed.add("tags");
        }
        if (!description.getText().equals(e.metadata().description())) {
            changed.add("description");
        }
        return changed;
    }

    private void showMessage(String text, boolean failed) {
        if (status != null && !status.isDisposed()) {
            Color red = status.summary().getDisplay().getSystemColor(SWT.COLOR_RED);
            status.message(text, null, failed ? red : null);
        }
    }

    private void updateEnablement() {
        IEventBroker b = broker;
        if (b != null) {
            b.send(UIEvents.REQUEST_ENABLEMENT_UPDATE_TOPIC, UIEvents.ALL_ELEMENT_ID);
        }
    }

    // ---- what the actions share

    /** The stored workflow with {@code values}, its UI form included, by {@code schema}; any thread. */
    private Workflow edited(Loaded base, java.util.Collection<InputEdit> values, NodeSchema schema) {
        Workflow w = base.stored().workflow();
        if (values.isEmpty()) {
            return w;
        }
        return require(codec, "the workflow codec").withInputs(w, List.copyOf(values), schema, id);
    }

    private static <S> S require(S service, String what) {
        if (service == null) {
            throw new Refusal(what + " is not available");
        }
        return service;
    }
}
