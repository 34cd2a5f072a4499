package comfy.workbench.ui.templates.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.eclipse.e4.core.di.extensions.EventTopic;
import org.eclipse.e4.core.di.extensions.Service;
import org.eclipse.e4.core.services.events.IEventBroker;
import org.eclipse.e4.ui.di.Focus;
import org.eclipse.e4.ui.di.UISynchronize;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.e4.ui.workbench.UIEvents;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.SashForm;
import org.eclipse.swt.custom.ScrolledComposite;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;
import org.osgi.service.event.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import comfy.workbench.connection.api.ComfyClients;
import comfy.workbench.connection.api.ServerRegistry;
import comfy.workbench.monitor.api.NodeSchemas;
import comfy.workbench.queue.api.Job;
import comfy.workbench.queue.api.JobQueue;
import comfy.workbench.queue.api.JobRequest;
import comfy.workbench.queue.api.Priority;
import comfy.workbench.queue.api.ServerPolicy;
import comfy.workbench.templates.api.Instance;
import comfy.workbench.templates.api.Parameter;
import comfy.workbench.templates.api.ParameterType;
import comfy.workbench.templates.api.Preview;
import comfy.workbench.templates.api.SweepAxis;
import comfy.workbench.templates.api.SweepPlan;
import comfy.workbench.templates.api.Template;
import comfy.workbench.templates.api.TemplateException;
import comfy.workbench.templates.api.TemplateLibrary;
import comfy.workbench.templates.api.TemplateService;
import comfy.workbench.templates.api.TemplateTopics;
import comfy.workbench.ui.common.Refusal;
import comfy.workbench.ui.common.ServerSchema;
import comfy.workbench.ui.common.StatusLine;
import comfy.workbench.ui.common.ViewActions;
import comfy.workbench.ui.common.ViewReader;
import comfy.workbench.workflows.api.LibraryEntry;
import comfy.workbench.workflows.api.LibraryException;

/**
 * The Templates view: the template library's templates by name, narrowed by a search the library answers, with
 * their parameter counts and the bindings that no longer fit their workflows; below, a form of the selected
 * template's parameters, each field prefilled with its default and taking one value or a sweep, with the number of
 * jobs Run would make; below that, the last preview. Previews the form's values against the node schema of the
 * first reachable server (the changes against the base workflow and the validation, nothing run), runs every
 * combination there (IMAGE files uploaded, one job each, a batch when there are several, as {@code comfy run
 * template:ID} submits them) and deletes the selected template at the revision shown.
 * <p>
 * A POJO part. Every service is injected with {@code @Service} because each comes and goes with its bundle; the view
 * shows what it can while one is missing and its commands that need it are disabled. The view reads the library's
 * index after its own changes, on every {@link TemplateTopics#LIBRARY_CHANGED}, on Refresh (which reads the folder
 * again, for other processes' changes such as {@code comfy templates create}) and on a slow poll. Reads and the form's checks run on a
 * thread of the view's own ({@link ViewReader}); previews, runs and deletions wait for the disk or a server, so they
 * run on another. Their outcome, or what was wrong, is shown in the status line; their methods take what a dialog
 * would ask, so that tests call them without one.
 */
public final class TemplatesPart {

    /** Key of the widget data naming the view's widgets, so that tests and tools find them without guessing. */
    public static final String WIDGET_KEY = "comfy.workbench.widget";

    /**
     * Context key of how often, in milliseconds, the view re-reads the library's index without being told
     * ({@code Long}); {@code 0} turns the poll off, so that only the user and the view's own actions refresh it.
     */
    public static final String POLL_MILLIS_KEY = "comfy.workbench.ui.templates.pollMillis";

    /** Context key of the most jobs one Run may make ({@code Long}); {@value #MAX_JOBS} when unset. */
    public static final String MAX_JOBS_KEY = "comfy.workbench.ui.templates.maxJobs";

    /** The most jobs one Run makes unless configured: a sweep wider than this is a typo, not a plan. */
    public static final long MAX_JOBS = 500;

    static final long POLL_MILLIS = 5_000;

    /** The shortest time between two reads: typing in the search field costs one read per interval. */
    static final long REFRESH_MILLIS = 150;

    private static final Logger LOG = LoggerFactory.getLogger(TemplatesPart.class);
    private static final DateTimeFormatter BATCH_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);

    private final UISynchronize sync;
    /** Reads the library and checks the form; one thread, so that readings are rendered in the order they were made. */
    private final ViewReader<Optional<Snapshot>> reader;
    /** Runs the view's actions, which wait for the disk and servers; the view reads the library after each. */
    private final ViewActions actions;
    /** The templates read so far, by {@code id#revision}; the reading thread's. */
    private final Map<String, TemplateRow> read = new HashMap<>();

    private volatile TemplateLibrary library;
    private volatile TemplateService service;
    private volatile NodeSchemas schemas;
    private volatile ServerRegistry registry;
    private volatile ComfyClients clients;
    private volatile JobQueue queue;
    private IEventBroker broker;
    /** The search field's text, for the reading thread. */
    private volatile String search = "";
    private long maxJobs = MAX_JOBS;

    private Text searchField;
    private TemplateTable table;
    private Label header;
    private Label problems;
    private ScrolledComposite scroller;
    private Label jobs;
    private Text details;
    /** The template the details describe (a preview or why a run was refused); UI thread. */
    private String detailed;
    private StatusLine status;

    // UI thread only, from here on
    private Optional<Snapshot> shown = Optional.empty();
    private ParameterForm form;
    /** What the user typed into the form of a template, by template id: kept across revisions and selections. */
    private final Map<String, Map<String, Object>> typed = new HashMap<>();
    /** Counts the form's checks, so that a late answer to an old state is dropped. */
    private final AtomicLong checks = new AtomicLong();
    /** The template selected when the library went away, to select again when it is back (UI thread). */
    private String keptSelection;
    /** The last check's verdict: the number of jobs, or empty with why not in the jobs line. */
    private Optional<Long> planned = Optional.empty();

    @Inject
    public TemplatesPart(UISynchronize sync) {
        this.sync = sync;
        this.reader = new ViewReader<>("comfy-templates-view", this::load, this::render, sync::asyncExec,
                Duration.ofMillis(REFRESH_MILLIS));
        // bad values, a stale revision, a binding that no longer fits: the user's to fix, the message naming it
        this.actions = new ViewActions("comfy-templates-view-action", sync::asyncExec, this::showMessage, Refusal.class,
                List.of(TemplateException.class, LibraryException.class), this::requestLoad);
    }

    /** The Templates part behind a model element, when that element is one. */
    public static Optional<TemplatesPart> of(MPart part) {
        return part != null && part.getObject() instanceof TemplatesPart p ? Optional.of(p) : Optional.empty();
    }

    @Inject
    void setLibrary(@org.eclipse.e4.core.di.annotations.Optional @Service TemplateLibrary library) {
        this.library = library;
        requestLoad();
    }

    @Inject
    void setService(@org.eclipse.e4.core.di.annotations.Optional @Service TemplateService service) {
        this.service = service;
        requestLoad(); // the commands' enablement and the form's check follow each rendering
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
    void setClients(@org.eclipse.e4.core.di.annotations.Optional @Service ComfyClients clients) {
        this.clients = clients;
        requestLoad();
    }

    @Inject
    void setQueue(@org.eclipse.e4.core.di.annotations.Optional @Service JobQueue queue) {
        this.queue = queue;
        requestLoad();
    }

    @Inject
    void setEventBroker(@org.eclipse.e4.core.di.annotations.Optional IEventBroker broker) {
        this.broker = broker;
    }

    /** The library changed through its service (here, the command line in this process, an extension); Event Admin's thread. */
    @Inject
    void libraryChanged(@org.eclipse.e4.core.di.annotations.Optional @EventTopic(TemplateTopics.LIBRARY_CHANGED) Event event) {
        if (event != null) {
            requestLoad();
        }
    }

    @PostConstruct
    public void createControls(Composite parent,
            @org.eclipse.e4.core.di.annotations.Optional @Named(POLL_MILLIS_KEY) Long pollMillis,
            @org.eclipse.e4.core.di.annotations.Optional @Named(MAX_JOBS_KEY) Long maxJobsSetting) {
        maxJobs = maxJobsSetting == null || maxJobsSetting < 1 ? MAX_JOBS : maxJobsSetting;
        GridLayoutFactory.fillDefaults().spacing(0, 0).applyTo(parent);

        searchField = new Text(parent, SWT.SEARCH | SWT.ICON_SEARCH | SWT.ICON_CANCEL);
        searchField.setData(WIDGET_KEY, "templates.search");
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
        table = new TemplateTable(top);
        table.viewer().getTable().setData(WIDGET_KEY, "templates.table");
        GridDataFactory.fillDefaults().grab(true, true).applyTo(table.viewer().getTable().getParent());
        table.viewer().addSelectionChangedListener(e -> {
            updateEnablement();
            showForm();
            if (!selectedId().equals(Optional.ofNullable(detailed))) {
                clearDetails(); // they were of another template
            }
        });
        table.viewer().getTable().addListener(SWT.KeyDown, e -> {
            if (e.keyCode == SWT.F5) {
                refresh();
            } else if (e.keyCode == SWT.DEL) {
                deleteSelected();
            }
        });

        Composite middle = new Composite(sash, SWT.NONE);
        GridLayoutFactory.fillDefaults().margins(4, 4).spacing(0, 4).applyTo(middle);
        header = new Label(middle, SWT.WRAP);
        header.setData(WIDGET_KEY, "templates.header");
        GridDataFactory.fillDefaults().grab(true, false).applyTo(header);
        problems = new Label(middle, SWT.WRAP);
        problems.setData(WIDGET_KEY, "templates.problems");
        problems.setForeground(parent.getDisplay().getSystemColor(SWT.COLOR_RED));
        GridDataFactory.fillDefaults().grab(true, false).exclude(true).applyTo(problems);
        problems.setVisible(false);
        scroller = new ScrolledComposite(middle, SWT.V_SCROLL | SWT.H_SCROLL);
        scroller.setExpandHorizontal(true);
        scroller.setExpandVertical(true);
        GridDataFactory.fillDefaults().grab(true, true).applyTo(scroller);
        jobs = new Label(middle, SWT.WRAP);
        jobs.setData(WIDGET_KEY, "templates.jobs");
        GridDataFactory.fillDefaults().grab(true, false).applyTo(jobs);

        details = new Text(sash, SWT.MULTI | SWT.READ_ONLY | SWT.WRAP | SWT.V_SCROLL);
        details.setData(WIDGET_KEY, "templates.details");
        sash.setWeights(35, 40, 25);

        status = new StatusLine(parent, WIDGET_KEY, "templates");

        long poll = pollMillis == null ? POLL_MILLIS : pollMillis;
        if (poll > 0) {
            reader.poll(Duration.ofMillis(poll));
        }
        render(Optional.empty());
        requestLoad();
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

    /** Reads the template folder again (changes other processes made, such as the command line's), then the view. */
    public CompletableFuture<Integer> refresh() {
        return actions.run("Refresh", "", () -> {
            TemplateLibrary lib = require(library, "the template library");
            lib.refresh();
            return lib.entries().size();
        }, n -> "Read " + Formats.count(n, "template") + " from the template folder");
    }

    /** Previews the selected template with the form's values. */
    public void previewSelected() {
        preview();
    }

    /**
     * Resolves the form's values for the selected template against the node schema of the first reachable server and
     * shows the changes against the base workflow and the validation in the details; nothing is run or uploaded. Every
     * value of a sweep is checked; the first combination is previewed.
     */
    public CompletableFuture<Preview> preview() {
        Request request = request();
        clearDetails(); // a preview that fails must not leave an older one standing
        detailed = selectedId().orElse(null);
        return actions.run("Preview", "", () -> {
            Prepared prepared = prepare(request);
            Map<String, Object> first = prepared.plan().combinations().iterator().next();
            Preview preview = prepared.service().preview(prepared.template(), first, prepared.target().schema());
            String which = prepared.plan().count() == 1 ? ""
                    : "combination 1 of " + prepared.plan().count() + " (" + Formats.combination(first,
                            prepared.swept()) + ")";
            showDetails(Formats.preview(prepared.template(), prepared.target().source(), which, preview));
            return preview;
        }, p -> p.validation().valid()
                ? "Preview: " + Formats.count(p.changes().size(), "change") + "; valid, nothing was run"
                : "Preview: " + Formats.count(p.validation().findings().size(), "problem") + " found; see the details");
    }

    /** Runs the selected template with the form's values. */
    public void runSelected() {
        run();
    }

    /**
     * Submits one job per combination of the form's values for the selected template, as {@code comfy run
     * template:ID --param … --sweep …} does: every value checked first and every combination validated against the
     * first reachable server's node schema (when one is not valid, nothing is queued and the details say why); then
     * each is instantiated on that server (IMAGE files are uploaded to it, so such jobs run there) and all are queued
     * at once, normal priority, in one batch when there are several.
     */
    public CompletableFuture<List<Job>> run() {
        Request request = request();
        clearDetails();
        detailed = selectedId().orElse(null);
        return actions.run("Run", "nothing was queued", () -> {
            JobQueue q = require(queue, "the job queue");
            ComfyClients c = require(clients, "the server connections");
            Prepared prepared = prepare(request);
            Template t = prepared.template();
            List<Map<String, Object>> combinations = new ArrayList<>();
            prepared.plan().combinations().forEach(combinations::add);
            int n = 0;
            for (Map<String, Object> values : combinations) {
                n++;
                Preview preview = prepared.service().preview(t, values, prepared.target().schema());
                if (!preview.validation().valid()) {
                    String which = combinations.size() == 1 ? ""
                            : "combination " + n + " of " + combinations.size() + " ("
                                    + Formats.combination(values, prepared.swept()) + ")";
                    showDetails(Formats.preview(t, prepared.target().source(), which, preview));
                    throw new Refusal(t.name() + (which.isEmpty() ? "" : ", " + which) + " is not valid for "
                            + prepared.target().source() + " ("
                            + Formats.count(preview.validation().findings().size(), "problem") + "; see the details)");
                }
            }
            var client = c.client(prepared.target().server());
            String batch = combinations.size() == 1 ? null
                    : t.id() + "-" + BATCH_TIME.format(Instant.now()) + "-" + UUID.randomUUID().toString().substring(0, 6);
            List<JobRequest> requests = new ArrayList<>();
            for (Map<String, Object> values : combinations) {
                Map<String, Object> withFiles = imageFiles(t, values);
                Instance instance = prepared.service().instantiate(t, withFiles, client);
                // an uploaded image is on this server only
                boolean uploaded = !withFiles.equals(values);
                String name = prepared.swept().isEmpty() ? t.name()
                        : t.name() + " (" + Formats.combination(values, prepared.swept()) + ")";
                requests.add(JobRequest.of(instance.prompt()).withName(name)
                        .withExtraData(t.workflow().extraDataFor(instance.prompt())).withPriority(Priority.NORMAL)
                        .withPolicy(uploaded ? ServerPolicy.named(prepared.target().server().id()) : ServerPolicy.any())
                        .withBatch(batch));
            }
            return new Queued(q.submitAll(requests), prepared.target());
        }, queued -> {
            List<Job> submitted = queued.jobs();
            return (submitted.size() == 1
                    ? "Queued " + submitted.get(0).request().name() + " as job " + submitted.get(0).id()
                            + "; the Jobs view lists it"
                    : "Queued " + Formats.count(submitted.size(), "job") + " in batch "
                            + submitted.get(0).request().batchId() + "; the Jobs view lists them")
                    + queued.target().submittedNote();
        }).thenApply(Queued::jobs);
    }

    /** Jobs just queued and the schema they were checked against, for the status line. */
    private record Queued(List<Job> jobs, ServerSchema target) {
    }

    /** Deletes the selected template after the user confirmed. */
    public void deleteSelected() {
        selection().ifPresent(r -> {
            if (MessageDialog.openConfirm(table.viewer().getControl().getShell(), "Delete Template", "Delete \""
                    + r.name() + "\" (" + r.id() + ") from the template library? Its files are removed from the "
                    + "template folder.")) {
                delete(r.id(), r.revision());
            }
        });
    }

    /**
     * Deletes a template without asking, if it still has the revision the caller saw; when someone changed it since,
     * it stays and the status line says so.
     */
    public CompletableFuture<String> delete(String id, long revision) {
        return actions.run("Delete", "the template stays", () -> {
            TemplateLibrary lib = require(library, "the template library");
            String name = lib.entry(id).map(LibraryEntry::name).orElse(id);
            lib.delete(id, revision);
            sync.asyncExec(() -> typed.remove(id));
            return name;
        }, name -> "Deleted " + name);
    }

    // ---- state for the handlers

    public boolean hasLibrary() {
        return library != null;
    }

    public boolean canPreview() {
        return form != null && library != null && service != null && schemas != null && registry != null;
    }

    public boolean canRun() {
        return canPreview() && clients != null && queue != null && selection().map(r -> !r.broken()).orElse(false)
                && planned.isPresent();
    }

    public boolean canDelete() {
        return selection().isPresent() && library != null;
    }

    // ---- selection

    /** The selected template, as last read. */
    public Optional<TemplateRow> selection() {
        if (table == null) {
            return Optional.empty();
        }
        Object first = table.viewer().getStructuredSelection().getFirstElement();
        return first instanceof TemplateRow r ? Optional.of(r) : Optional.empty();
    }

    /** The id of the selected template. */
    public Optional<String> selectedId() {
        return selection().map(TemplateRow::id);
    }

    /** Selects the row of a template, if it is shown. */
    public void select(String id) {
        Object input = table.viewer().getInput();
        List<?> rows = input instanceof List<?> l ? l : List.of();
        rows.stream().filter(r -> ((TemplateRow) r).id().equals(id)).findFirst()
                .ifPresent(r -> table.viewer().setSelection(new StructuredSelection(r), true));
        updateEnablement();
    }

    // ---- reading and rendering

    private void requestLoad() {
        reader.request();
    }

    private Optional<Snapshot> load() {
        TemplateLibrary lib = library;
        if (lib == null) {
            read.clear();
            return Optional.empty();
        }
        try {
            return Optional.of(Snapshot.of(lib, search, read));
        } catch (RuntimeException e) {
            // the library is going away under us: the injection of its absence follows
            LOG.debug("the template library could not be read", e);
            return Optional.empty();
        }
    }

    private void render(Optional<Snapshot> reading) {
        if (status == null || status.isDisposed()) {
            return;
        }
        shown = reading;
        if (reading.isEmpty()) {
            // a service going away for a moment (re-registered by DS) must not cost the user the template they were
            // filling in: it is selected again when the library is back, with the values typed (an artist's review)
            selectedId().ifPresent(id -> keptSelection = id);
            table.viewer().setInput(List.of());
            status.summary().setText(library == null ? "Template library not available: no templates to show."
                    : "Reading the template library\u2026");
            status.summary().setToolTipText(null);
        } else {
            table.viewer().setInput(reading.get().rows());
            String kept = keptSelection;
            keptSelection = null;
            if (kept != null && selection().isEmpty()) {
                reading.get().rows().stream().filter(r -> r.id().equals(kept)).findFirst()
                        .ifPresent(r -> table.viewer().setSelection(new StructuredSelection(r), true));
            }
            status.summary().setText(Formats.summary(reading.get()));
            status.summary().setToolTipText(Formats.libraryProblems(reading.get().problems()));
        }
        status.summary().getParent().layout();
        showForm(); // the selected template may have a new revision, or be gone
        updateEnablement();
    }

    /** Shows the form of the selected template: rebuilt for another template or revision, else checked again. */
    private void showForm() {
        if (header == null || header.isDisposed()) {
            return;
        }
        Optional<Template> selected = selection().flatMap(TemplateRow::template);
        if (form != null && selected.map(t -> !t.id().equals(form.template().id())
                || t.revision() != form.template().revision()).orElse(true)) {
            typed.put(form.template().id(), form.fields());
            scroller.setContent(null);
            form.dispose();
            form = null;
        }
        if (selected.isEmpty()) {
            header.setText(selection().map(r -> r.name() + " cannot be read: " + r.unreadable())
                    .orElse(shown.isPresent() && shown.get().rows().isEmpty() ? "" : "Select a template to fill in its parameters."));
            showProblems("");
            jobs.setText("");
            planned = Optional.empty();
        } else {
            Template t = selected.get();
            if (form == null) {
                form = new ParameterForm(scroller, WIDGET_KEY, t, typed.getOrDefault(t.id(), Map.of()), this::formChanged);
                scroller.setContent(form.control());
                header.setText(Formats.header(t));
                showProblems(Formats.problems(t));
            }
            scroller.setMinSize(form.control().computeSize(SWT.DEFAULT, SWT.DEFAULT));
            checkForm();
        }
        header.getParent().layout(true, true);
    }

    private void showProblems(String text) {
        problems.setText(text);
        problems.setVisible(!text.isEmpty());
        ((org.eclipse.swt.layout.GridData) problems.getLayoutData()).exclude = text.isEmpty();
    }

    /** Checks the form's values with the template service on the reading thread; the jobs line says how many jobs. */
    /** A field changed: a preview of the values before is not of these (it stood beside them unmarked). */
    private void formChanged() {
        clearDetails();
        checkForm();
    }

    private void checkForm() {
        if (form == null) {
            return;
        }
        long check = checks.incrementAndGet();
        Template t = form.template();
        FormValues values = FormValues.of(t.parameters(), form.fields());
        TemplateService s = service;
        long cap = maxJobs;
        reader.execute(() -> {
            String text;
            Long count = null;
            Set<String> bad = new HashSet<>();
            if (s == null) {
                text = "The template service is not available: the values cannot be checked.";
            } else {
                try {
                    count = s.sweep(t, values.axes(), values.fixed(), cap).count();
                    text = "Run makes " + Formats.count(count, "job") + (values.axes().isEmpty() ? ""
                            : " (a sweep over " + values.sweptNames() + ")") + ".";
                } catch (TemplateException e) {
                    text = e.getMessage() + (e.kind() == TemplateException.Kind.TOO_MANY_INSTANCES
                            ? "; Run would queue nothing" : "");
                    e.details().forEach(d -> t.parameters().stream().filter(p -> d.startsWith(p.name() + ":"))
                            .forEach(p -> bad.add(p.name())));
                } catch (RuntimeException e) {
                    LOG.debug("the form of {} could not be checked", t.id(), e);
                    text = "The values cannot be checked: " + e.getMessage();
                }
            }
            String shownText = text;
            Long shownCount = count;
            sync.asyncExec(() -> {
                if (check == checks.get() && form != null && !jobs.isDisposed()) {
                    planned = Optional.ofNullable(shownCount);
                    jobs.setText(shownText);
                    jobs.setForeground(shownCount == null ? jobs.getDisplay().getSystemColor(SWT.COLOR_RED) : null);
                    form.mark(bad);
                    jobs.getParent().layout(true, true);
                    updateEnablement();
                }
            });
        });
    }

    private void clearDetails() {
        detailed = null;
        if (details != null && !details.isDisposed()) {
            details.setText("");
        }
    }

    private void showDetails(String text) {
        sync.asyncExec(() -> {
            if (!details.isDisposed()) {
                details.setText(text);
            }
        });
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

    /** What the user asked about, taken from the widgets on the UI thread: the template and the form's values. */
    private record Request(String id, FormValues values) {
    }

    private Request request() {
        if (form == null) {
            return new Request(null, null);
        }
        return new Request(form.template().id(), FormValues.of(form.template().parameters(), form.fields()));
    }

    /** A template read again, its checked sweep, and the server to resolve it with. */
    private record Prepared(TemplateService service, Template template, SweepPlan plan, ServerSchema target) {
        List<String> swept() {
            return plan.axes().stream().map(SweepAxis::parameter).toList();
        }
    }

    /** Reads the template again, checks every value and finds the first reachable server; on the action thread. */
    private Prepared prepare(Request request) {
        if (request.id() == null) {
            throw new Refusal("select a template first");
        }
        TemplateLibrary lib = require(library, "the template library");
        TemplateService s = require(service, "the template service");
        Template t = lib.read(request.id());
        SweepPlan plan = s.sweep(t, request.values().axes(), request.values().fixed(), maxJobs);
        ServerSchema target = ServerSchema.first(require(registry, "the server registry"),
                require(schemas, "the node schemas"));
        return new Prepared(s, t, plan, target);
    }

    /** IMAGE values naming an existing file become paths, which the template service uploads (as the CLI does). */
    private static Map<String, Object> imageFiles(Template t, Map<String, Object> values) {
        Map<String, Object> converted = new java.util.LinkedHashMap<>(values);
        for (Parameter p : t.parameters()) {
            if (p.type() == ParameterType.IMAGE && converted.get(p.name()) instanceof String s && !s.isBlank()) {
                try {
                    Path file = Path.of(s);
                    if (Files.isRegularFile(file)) {
                        converted.put(p.name(), file.toAbsolutePath());
                    }
                } catch (java.nio.file.InvalidPathException e) {
                    // not a file name: the name of an image on the server
                }
            }
        }
        return converted;
    }

    private static <S> S require(S service, String what) {
        if (service == null) {
            throw new Refusal(what + " is not available");
        }
        return service;
    }

}
