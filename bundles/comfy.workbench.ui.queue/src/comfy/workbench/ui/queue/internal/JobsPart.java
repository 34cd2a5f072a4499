package comfy.workbench.ui.queue.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;

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
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.layout.RowLayoutFactory;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import comfy.workbench.cache.api.CacheManager;
import comfy.workbench.monitor.api.EventType;
import comfy.workbench.monitor.api.ExecutionListener;
import comfy.workbench.connection.api.ConnectionTopics;
import comfy.workbench.connection.api.ServerHealthService;
import comfy.workbench.monitor.api.ExecutionMonitor;
import comfy.workbench.monitor.api.MonitorTopics;
import comfy.workbench.queue.api.Job;
import comfy.workbench.queue.api.JobQueue;
import comfy.workbench.queue.api.JobRequest;
import comfy.workbench.queue.api.JobState;
import comfy.workbench.queue.api.Priority;
import comfy.workbench.queue.api.QueueTopics;
import comfy.workbench.ui.common.StatusLine;
import comfy.workbench.ui.common.ViewReader;

/**
 * The Jobs view: every job of the client-side queue, unfinished ones first in the order the queue sends them, with
 * counts per state and whether the queue is paused; cancels the selected jobs, pauses and resumes the queue, and
 * raises or lowers the priority of a waiting job. The one selected job's outputs are shown as thumbnails
 * ({@link OutputThumbnails}, cached by the cache manager).
 * <p>
 * A POJO part. The {@link JobQueue} is injected with {@code @Service} because it comes and goes with the queue
 * bundle. Job changes arrive on {@link QueueTopics#JOB_STATE} on the Event Admin's thread, not the UI thread: a
 * batch of thousands of jobs changes thousands of times a second, and each event only marks the view stale. The view
 * then reads the queue on a thread of its own at most once every {@link #REFRESH_MILLIS} and posts one runnable per
 * read to the UI thread. A slow poll catches what has no event (pausing an empty queue from elsewhere). The queue's
 * operations store their change before they return, so they run on another thread of the view's too.
 */
public final class JobsPart {

    /** Key of the widget data naming the view's widgets, so that tests and tools find them without guessing. */
    public static final String WIDGET_KEY = "comfy.workbench.widget";

    /**
     * Context key of how often, in milliseconds, the view re-reads the queue without being told ({@code Long});
     * {@code 0} turns the poll off, so that only events, the user and the view's own actions refresh it.
     */
    public static final String POLL_MILLIS_KEY = "comfy.workbench.ui.queue.pollMillis";

    static final long POLL_MILLIS = 5_000;

    /** The shortest time between two reads of the queue: a burst of events costs one read per interval. */
    static final long REFRESH_MILLIS = 150;

    /** How many of the selected job's outputs get a thumbnail. */
    static final int PREVIEWED_OUTPUTS = 8;

    /** How many finished jobs the table shows, most recent first; the counts include them all. */
    static final int FINISHED_SHOWN = 500;

    private static final Logger LOG = LoggerFactory.getLogger(JobsPart.class);

    private final UISynchronize sync;
    /** Reads the queue; one thread, so that snapshots are rendered in the order they were read. */
    private final ViewReader<Optional<Snapshot>> reader;
    /** Runs the queue's operations, which wait for the job store. */
    private final ExecutorService actions = Executors
            .newSingleThreadExecutor(ViewReader.daemonThreads("comfy-jobs-view-action"));
    private volatile JobQueue queue;
    private volatile ExecutionMonitor monitor;
    private volatile ServerHealthService health;
    private IEventBroker broker;

    private JobTable table;
    /** Whether the user's pointer is over the table; UI thread. */
    private boolean pointerOverTable;
    /** Thumbnails of the selected job's outputs; hidden when it has none. */
    private Composite preview;
    private final List<Image> previewImages = new ArrayList<>();
    /** The job and output count the preview shows (UI thread only). */
    private String previewed = "";
    private volatile OutputThumbnails thumbnails = new OutputThumbnails(null);
    /** The newest preview the server sent of the selected running job; hidden when there is none. */
    private Label live;
    private Image liveImage;
    private final LivePreview livePreview;
    private ServiceRegistration<ExecutionListener> livePreviewRegistration;
    private StatusLine status;
    private Icons icons;
    /** How many jobs ran when the queue was last read (read by the Event Admin's thread). */
    private volatile int shownRunning;
    /** How many jobs the last read showed sent and not started: whose server's health matters. */
    private volatile int shownDispatched;
    /** The latest snapshot shown; empty without a queue. Touched on the UI thread only. */
    private Optional<Snapshot> shown = Optional.empty();
    /** The filter field's words: the table shows the jobs that have them all. */
    private JobFilter filter = new JobFilter("");

    @Inject
    public JobsPart(UISynchronize sync) {
        this.sync = sync;
        this.reader = new ViewReader<>("comfy-jobs-view", this::load, this::render, sync::asyncExec,
                Duration.ofMillis(REFRESH_MILLIS));
        this.livePreview = new LivePreview(sync::asyncExec, this::showLive);
    }

    /** The Jobs part behind a model element, when that element is one. */
    public static Optional<JobsPart> of(MPart part) {
        return part != null && part.getObject() instanceof JobsPart p ? Optional.of(p) : Optional.empty();
    }

    @Inject
    void setQueue(@org.eclipse.e4.core.di.annotations.Optional @Service JobQueue queue) {
        this.queue = queue;
        requestLoad();
    }

    @Inject
    void setMonitor(@org.eclipse.e4.core.di.annotations.Optional @Service ExecutionMonitor monitor) {
        this.monitor = monitor;
        requestLoad();
    }

    @Inject
    void setHealth(@org.eclipse.e4.core.di.annotations.Optional @Service ServerHealthService health) {
        this.health = health;
        requestLoad();
    }

    @Inject
    void setCaches(@org.eclipse.e4.core.di.annotations.Optional @Service CacheManager caches) {
        OutputThumbnails made;
        try {
            made = new OutputThumbnails(caches);
        } catch (IllegalStateException e) {
            LOG.warn("thumbnails are not cached: {}", e.getMessage());
            made = new OutputThumbnails(null);
        }
        thumbnails = made;
    }

    @Inject
    void setEventBroker(@org.eclipse.e4.core.di.annotations.Optional IEventBroker broker) {
        this.broker = broker;
    }

    @PostConstruct
    public void createControls(Composite parent,
            @org.eclipse.e4.core.di.annotations.Optional @Named(POLL_MILLIS_KEY) Long pollMillis) {
        GridLayoutFactory.fillDefaults().spacing(0, 0).applyTo(parent);
        icons = new Icons(parent);
        Text filterField = new Text(parent, SWT.SEARCH | SWT.ICON_SEARCH | SWT.ICON_CANCEL);
        filterField.setData(WIDGET_KEY, "jobs.filter");
        filterField.setMessage(JobFilter.HINT);
        filterField.setToolTipText(JobFilter.HINT);
        GridDataFactory.fillDefaults().grab(true, false).indent(0, 2).applyTo(filterField);
        filterField.addModifyListener(e -> {
            filter = new JobFilter(filterField.getText());
            render(shown);
        });
        table = new JobTable(parent, icons, j -> Formats.progress(j,
                shown.map(Snapshot::running).map(r -> r.get(j.id())).orElse(null),
                shown.map(Snapshot::down).map(d -> j.serverId() == null ? null : d.get(j.serverId())).orElse(null)));
        table.viewer().getTable().setData(WIDGET_KEY, "jobs.table");
        GridDataFactory.fillDefaults().grab(true, true).applyTo(table.viewer().getTable().getParent());
        table.viewer().addSelectionChangedListener(e -> {
            updateEnablement();
            showPreview();
            watchLive();
        });
        // rows keep their places while the pointer is over the table (a click must hit the job it was aimed at)
        table.viewer().getTable().addListener(SWT.MouseEnter, e -> pointerOverTable = true);
        table.viewer().getTable().addListener(SWT.MouseExit, e -> {
            pointerOverTable = false;
            requestLoad(); // into their order again
        });
        // a finished job's outputs open where they are: its folder, in the desktop's file browser
        table.viewer().addDoubleClickListener(e -> single().filter(j -> !j.outputs().isEmpty())
                .ifPresent(j -> OutputMenu.open(jobFolder(j), this::showMessage)));
        table.viewer().getTable().addListener(SWT.KeyDown, e -> {
            if (e.keyCode == SWT.F5) {
                refresh();
            } else if (e.keyCode == SWT.DEL) {
                cancelSelected();
            }
        });

        live = new Label(parent, SWT.NONE);
        live.setData(WIDGET_KEY, "jobs.live");
        GridDataFactory.fillDefaults().indent(6, 4).exclude(true).applyTo(live);
        live.setVisible(false);
        BundleContext bundle = FrameworkUtil.getBundle(JobsPart.class).getBundleContext();
        if (bundle != null) {
            // previews are heard as they come, not read with the queue; the monitor sends this listener nothing else
            livePreviewRegistration = bundle.registerService(ExecutionListener.class, livePreview,
                    FrameworkUtil.asDictionary(Map.of(ExecutionListener.TYPES, EventType.PREVIEW.name())));
        }

        preview = new Composite(parent, SWT.NONE);
        preview.setData(WIDGET_KEY, "jobs.preview");
        RowLayoutFactory.fillDefaults().margins(6, 4).spacing(6).wrap(false).applyTo(preview);
        GridDataFactory.fillDefaults().grab(true, false).exclude(true).applyTo(preview);
        preview.setVisible(false);

        status = new StatusLine(parent, WIDGET_KEY, "jobs");

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
        if (livePreviewRegistration != null) {
            try {
                livePreviewRegistration.unregister();
            } catch (IllegalStateException e) {
                // the bundle stopped first, which unregistered it
            }
        }
        livePreview.watch(null);
        if (liveImage != null) {
            liveImage.dispose();
        }
        previewImages.forEach(Image::dispose);
        previewImages.clear();
        reader.close();
        // an operation under way finishes: it is one call on the queue
        actions.shutdown();
    }

    /** A server's health changed: a sent or running job's server may be down (or back); Event Admin's thread. */
    @Inject
    void serverHealthChanged(@org.eclipse.e4.core.di.annotations.Optional @EventTopic(ConnectionTopics.HEALTH) Event event) {
        if (event != null && shownRunning + shownDispatched > 0) {
            requestLoad();
        }
    }

    /** Every job state change; called on the Event Admin's thread, so it only asks for a (coalesced) read. */
    @Inject
    void jobChanged(@org.eclipse.e4.core.di.annotations.Optional @EventTopic(QueueTopics.JOB_STATE) Event event) {
        if (event != null) {
            requestLoad();
        }
    }

    /**
     * A step, node or cache report of a prompt the monitor follows; called on the Event Admin's thread. A sampler
     * reports dozens of steps a second: the coalesced read turns them into at most one read per
     * {@link #REFRESH_MILLIS}, and only while a job runs.
     */
    @Inject
    void executionProgressed(
            @org.eclipse.e4.core.di.annotations.Optional @EventTopic(MonitorTopics.ALL) Event event) {
        if (event != null && shownRunning > 0 && event.getProperty(MonitorTopics.PROMPT_ID) != null) {
            requestLoad();
        }
    }

    // ---- actions (the handlers of the view's toolbar call these)

    /** Reads the queue again. */
    public void refresh() {
        requestLoad();
    }

    /** Cancels every selected job that has not ended. */
    public void cancelSelected() {
        List<String> ids = selection().stream().filter(j -> !j.state().terminal()).map(Job::id).toList();
        if (ids.isEmpty()) {
            return;
        }
        act("Cancel", q -> {
            int cancelled = (int) ids.stream().filter(q::cancel).count();
            return "Cancelled " + Formats.count(cancelled, "job")
                    + (cancelled < ids.size() ? " (" + (ids.size() - cancelled) + " had ended)" : "");
        });
    }

    /**
     * Queues every selected job that failed or was cancelled again, as a new job with the same request (name, graph,
     * priority, servers, output folder), marked with the job it retries as {@code comfy retry} marks it; the ended
     * job stays in the list with its error. One retried already is not queued a second time, nor is a succeeded one
     * (the server would answer the same graph from its cache).
     */
    public void retrySelected() {
        List<Job> chosen = selection().stream().filter(JobsPart::retryable).toList();
        if (chosen.isEmpty()) {
            return;
        }
        act("Retry", q -> {
            Set<String> retried = retriedAlready(q.jobs(List.of()));
            List<JobRequest> requests = chosen.stream().filter(j -> !retried.contains(j.id())).map(JobsPart::retryOf)
                    .toList();
            int skipped = chosen.size() - requests.size();
            if (requests.isEmpty()) {
                return "Nothing queued again: " + (skipped == 1 ? "the job was" : "the jobs were") + " retried already";
            }
            return "Queued " + Formats.count(q.submitAll(requests).size(), "job") + " again"
                    + (skipped > 0 ? " (" + skipped + " retried already)" : "");
        });
    }

    /** Marks a job queued again with the job it retries (the tag {@code comfy retry} gives it too). */
    private static final String RETRY_OF = "retry-of:";

    private static boolean retryable(Job job) {
        return job.state() == JobState.FAILED || job.state() == JobState.CANCELLED;
    }

    private static JobRequest retryOf(Job job) {
        Set<String> tags = new LinkedHashSet<>();
        job.request().tags().stream().filter(t -> !t.startsWith(RETRY_OF)).forEach(tags::add);
        tags.add(RETRY_OF + job.id());
        return job.request().withTags(tags);
    }

    /** The jobs a job in the list retries. */
    private static Set<String> retriedAlready(List<Job> jobs) {
        Set<String> retried = new HashSet<>();
        jobs.forEach(j -> j.request().tags().stream().filter(t -> t.startsWith(RETRY_OF))
                .forEach(t -> retried.add(t.substring(RETRY_OF.length()))));
        return retried;
    }

    /** Pauses the queue when it runs, resumes it when it is paused. */
    public void togglePause() {
        act("Pause/Resume", q -> {
            if (q.paused()) {
                q.resume();
                return "Queue resumed";
            }
            q.pause();
            return "Queue paused: jobs sent already go on";
        });
    }

    /** Moves the selected waiting job one priority up ({@code steps < 0}) or down ({@code steps > 0}). */
    public void changePriority(int steps) {
        Optional<Job> job = single().filter(j -> j.state().waiting());
        Optional<Priority> to = job.flatMap(j -> shifted(j.priority(), steps));
        if (to.isEmpty()) {
            return;
        }
        String id = job.get().id();
        String name = Formats.name(job.get());
        act("Change priority", q -> q.reprioritise(id, to.get()) ? name + " is now " + to.get().name()
                : name + " is no longer waiting: its priority stays");
    }

    // ---- state for the handlers

    /** Whether the queue is there to ask. */
    public boolean hasQueue() {
        return queue != null;
    }

    /** Whether the queue was paused when last read (false without a queue). */
    public boolean paused() {
        return shown.map(Snapshot::paused).orElse(false);
    }

    /**
     * Forgets every ended job the view shows (succeeded, failed, cancelled): they leave the list and the job store;
     * their output files stay on disk. The list otherwise only grew (an artist's review).
     */
    public void clearEnded() {
        List<String> ids = shownJobs().stream().filter(j -> j.state().terminal()).map(Job::id).toList();
        if (ids.isEmpty()) {
            return;
        }
        act("Clear", q -> "Cleared " + Formats.count(q.forget(ids), "ended job")
                + " from the list (their files stay on disk)");
    }

    /** The job's own folder, named by its id, above its outputs (which may sit in the server's subfolders). */
    static java.nio.file.Path jobFolder(Job job) {
        java.nio.file.Path first = job.outputs().get(0).getParent();
        for (java.nio.file.Path p = first; p != null; p = p.getParent()) {
            if (p.getFileName() != null && p.getFileName().toString().equals(job.id())) {
                return p;
            }
        }
        return first;
    }

    /** Whether the view shows an ended job to clear. */
    public boolean canClearEnded() {
        return queue != null && shownJobs().stream().anyMatch(j -> j.state().terminal());
    }

    private List<Job> shownJobs() {
        Object input = table == null ? null : table.viewer().getInput();
        return input instanceof List<?> l ? l.stream().filter(Job.class::isInstance).map(Job.class::cast).toList()
                : List.of();
    }

    /** Whether any selected job failed or was cancelled and was not retried already. */
    public boolean canRetrySelection() {
        if (queue == null) {
            return false;
        }
        Set<String> retried = retriedAlready(shown.map(Snapshot::jobs).orElse(List.of()));
        return selection().stream().anyMatch(j -> retryable(j) && !retried.contains(j.id()));
    }

    /** Whether any selected job can still be cancelled. */
    public boolean canCancelSelection() {
        return queue != null && selection().stream().anyMatch(j -> !j.state().terminal());
    }

    /** Whether the one selected job waits on this client and has a priority {@code steps} away. */
    public boolean canChangePriority(int steps) {
        return queue != null && single().filter(j -> j.state().waiting())
                .flatMap(j -> shifted(j.priority(), steps)).isPresent();
    }

    private static Optional<Priority> shifted(Priority p, int steps) {
        int to = p.ordinal() + steps;
        return steps != 0 && to >= 0 && to < Priority.values().length ? Optional.of(Priority.values()[to])
                : Optional.empty();
    }

    // ---- selection

    /** The selected jobs, as last read. */
    public List<Job> selection() {
        if (table == null) {
            return List.of();
        }
        return table.viewer().getStructuredSelection().stream().filter(Job.class::isInstance).map(Job.class::cast)
                .toList();
    }

    private Optional<Job> single() {
        List<Job> selected = selection();
        return selected.size() == 1 ? Optional.of(selected.get(0)) : Optional.empty();
    }

    /** Selects the rows of these jobs (those shown). */
    public void select(String... ids) {
        Set<String> wanted = Set.of(ids);
        Object input = table.viewer().getInput();
        List<?> rows = input instanceof List<?> l ? l : List.of();
        table.viewer().setSelection(new StructuredSelection(
                rows.stream().filter(r -> wanted.contains(((Job) r).id())).toList()), true);
        updateEnablement();
    }

    // ---- reading and rendering

    /**
     * Reads the queue on the view's thread and renders what it read, coalescing requests: a request while a read is
     * pending joins it, and reads are at least {@link #REFRESH_MILLIS} apart.
     */
    private void requestLoad() {
        reader.request();
    }

    private Optional<Snapshot> load() {
        JobQueue q = queue;
        if (q == null) {
            return Optional.empty();
        }
        try {
            Snapshot read = Snapshot.of(q, monitor, health, FINISHED_SHOWN);
            shownRunning = read.count(JobState.RUNNING);
            shownDispatched = read.count(JobState.DISPATCHED);
            return Optional.of(read);
        } catch (RuntimeException e) {
            // the queue is going away under us: the injection of its absence follows
            LOG.debug("the job queue could not be read", e);
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
            status.summary().setText(queue == null ? "Job queue not running: no jobs to show." : "Reading the job queue\u2026");
        } else {
            List<Job> all = read.get().jobs();
            List<Job> rows = filter.keepsAll() ? all : all.stream().filter(filter::keeps).toList();
            if (pointerOverTable) {
                List<Job> shownRows = new ArrayList<>();
                if (table.viewer().getInput() instanceof List<?> l) {
                    l.forEach(o -> shownRows.add((Job) o));
                }
                rows = JobOrder.keepingPlaces(shownRows, rows);
            }
            table.viewer().setInput(rows);
            status.summary().setText(Formats.summary(read.get())
                    + (filter.keepsAll() ? "" : " \u00b7 showing " + rows.size() + " of " + all.size()));
        }
        showPreview(); // the selected job may have finished: its outputs are there now
        watchLive();
        status.summary().getParent().layout();
        updateEnablement();
    }

    // ---- the selected job's outputs

    /** Shows thumbnails of the one selected job's outputs, read on the view's thread; hides the strip otherwise. */
    private void showPreview() {
        Optional<Job> job = single().filter(j -> !j.outputs().isEmpty());
        String wanted = job.map(j -> j.id() + "#" + j.outputs().size()).orElse("");
        if (wanted.equals(previewed)) {
            return;
        }
        previewed = wanted;
        if (job.isEmpty()) {
            renderPreview(List.of(), List.of());
            return;
        }
        List<Path> files = job.get().outputs().stream().limit(PREVIEWED_OUTPUTS).toList();
        OutputThumbnails source = thumbnails;
        try {
            reader.execute(() -> {
                List<Optional<ImageData>> images = files.stream().map(source::thumbnail).toList();
                sync.asyncExec(() -> {
                    if (wanted.equals(previewed)) {
                        renderPreview(files, images);
                    }
                });
            });
        } catch (RejectedExecutionException e) {
            // the view is closed
        }
    }

    private void renderPreview(List<Path> files, List<Optional<ImageData>> images) {
        if (preview == null || preview.isDisposed()) {
            return;
        }
        for (org.eclipse.swt.widgets.Control c : preview.getChildren()) {
            c.dispose();
        }
        previewImages.forEach(Image::dispose);
        previewImages.clear();
        for (int i = 0; i < files.size(); i++) {
            Label label = new Label(preview, SWT.NONE);
            label.setData(WIDGET_KEY, "jobs.preview.output");
            label.setToolTipText(files.get(i) + "\n(double-click opens it; its menu shows its folder or copies its path)");
            OutputMenu.attach(label, files.get(i), this::showMessage);
            if (images.get(i).isPresent()) {
                Image image = new Image(preview.getDisplay(), images.get(i).get());
                previewImages.add(image);
                label.setImage(image);
            } else {
                label.setText(String.valueOf(files.get(i).getFileName()));
            }
        }
        boolean shown = !files.isEmpty();
        preview.setVisible(shown);
        ((org.eclipse.swt.layout.GridData) preview.getLayoutData()).exclude = !shown;
        preview.getParent().layout(true, true);
    }

    /** Watches the one selected job while it runs, for its live preview; hides the preview of any other. */
    private void watchLive() {
        LivePreview.Watched wanted = single().filter(j -> j.state() == JobState.RUNNING && j.serverId() != null)
                .map(j -> new LivePreview.Watched(j.serverId(), j.id())).orElse(null);
        if (!Objects.equals(wanted, livePreview.watched())) {
            livePreview.watch(wanted);
            showLive(null);
        }
    }

    /** Shows a frame of the watched job's preview, or hides the preview ({@code null}). UI thread. */
    private void showLive(LivePreview.Frame frame) {
        if (live == null || live.isDisposed()) {
            return;
        }
        Image old = liveImage;
        liveImage = frame == null ? null : new Image(live.getDisplay(), frame.image());
        live.setImage(liveImage);
        live.setToolTipText(frame == null ? null : "Live preview from " + frame.of().serverId());
        // a sampler sends several frames a second of one size: the part is laid out again only when that changes
        boolean relayout = live.getVisible() != (frame != null)
                || old != null && liveImage != null && !old.getBounds().equals(liveImage.getBounds());
        if (old != null) {
            old.dispose();
        }
        if (relayout) {
            live.setVisible(frame != null);
            ((org.eclipse.swt.layout.GridData) live.getLayoutData()).exclude = frame == null;
            live.getParent().layout(true, true);
        }
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

    /** One operation on the queue, on the action thread; its outcome or failure is shown, and the view read again. */
    private void act(String title, Function<JobQueue, String> operation) {
        JobQueue q = queue;
        if (q == null) {
            return;
        }
        try {
            actions.execute(() -> {
                String outcome;
                boolean failed;
                try {
                    outcome = operation.apply(q);
                    failed = false;
                } catch (RuntimeException e) {
                    LOG.warn("{} failed", title, e);
                    outcome = title + " failed: " + e.getMessage();
                    failed = true;
                }
                requestLoad();
                String text = outcome;
                boolean red = failed;
                sync.asyncExec(() -> showMessage(text, red));
            });
        } catch (RejectedExecutionException e) {
            // the view is closed
        }
    }
}
