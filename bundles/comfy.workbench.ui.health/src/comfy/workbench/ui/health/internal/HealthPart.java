package comfy.workbench.ui.health.internal;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.eclipse.e4.core.di.extensions.Service;
import org.eclipse.e4.core.services.events.IEventBroker;
import org.eclipse.e4.ui.di.Focus;
import org.eclipse.e4.ui.di.UIEventTopic;
import org.eclipse.e4.ui.di.UISynchronize;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.e4.ui.workbench.UIEvents;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.CLabel;
import org.eclipse.swt.custom.SashForm;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Shell;
import org.osgi.service.event.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import comfy.workbench.cache.api.CacheManager;
import comfy.workbench.manager.api.ComponentInfo;
import comfy.workbench.manager.api.HealthReport;
import comfy.workbench.manager.api.HealthStatus;
import comfy.workbench.manager.api.ManagerTopics;
import comfy.workbench.manager.api.PlatformManager;
import comfy.workbench.ui.common.StatusLine;
import comfy.workbench.ui.common.ViewReader;

/**
 * The Platform Health view: the aggregated health of the platform with its reasons, every health check, every
 * Declarative Services component with what it misses or why it failed, the recent changes of the status, and every
 * cache with its statistics and advice; runs the checks and restarts components on request.
 * <p>
 * A POJO part. The {@link PlatformManager} is injected with {@code @Service} because it comes and goes with the
 * manager bundle; without it the view says that the service manager is not running. Changes of the aggregated status
 * and recoveries arrive as Event Admin topics on the UI thread; the view then reads the manager again on a thread of
 * its own (the components are read from the SCR runtime), and re-reads it on a slow poll as well, because a check's
 * message or a component's state can change without the aggregated status changing. Running the checks and restarting
 * a component take seconds and run on another thread of the view's.
 */
public final class HealthPart {

    /** Key of the widget data naming the view's widgets, so that tests and tools find them without guessing. */
    public static final String WIDGET_KEY = "comfy.workbench.widget";

    /**
     * Context key of how often, in milliseconds, the view re-reads the manager without being told ({@code Long});
     * {@code 0} turns the poll off, so that only events, the user and the view's own actions refresh it.
     */
    public static final String POLL_MILLIS_KEY = "comfy.workbench.ui.health.pollMillis";

    /** The default poll: the manager's report is in memory, so reading it often costs little. */
    static final long POLL_MILLIS = 5_000;

    /** How long a restart may wait for each of its steps (deactivation, activation). */
    static final Duration RESTART_DEADLINE = Duration.ofSeconds(20);

    private static final Logger LOG = LoggerFactory.getLogger(HealthPart.class);

    private final UISynchronize sync;
    /** Reads the manager; one thread, so that snapshots are rendered in the order they were read. */
    private final ViewReader<Optional<Snapshot>> reader;
    /** Runs the checks and restarts, which may take as long as their timeouts. */
    private final ExecutorService actions = Executors
            .newCachedThreadPool(ViewReader.daemonThreads("comfy-health-view-action"));
    private final Set<String> restarting = ConcurrentHashMap.newKeySet();
    private volatile PlatformManager manager;
    private IEventBroker broker;

    private CLabel header;
    private CheckTable checks;
    private ComponentTable components;
    private CacheTable cacheTable;
    private volatile CacheManager caches;
    private HistoryTable history;
    private StatusLine status;
    private Icons icons;

    @Inject
    public HealthPart(UISynchronize sync) {
        this.sync = sync;
        this.reader = new ViewReader<>("comfy-health-view", this::load, this::render, sync::asyncExec, Duration.ZERO);
    }

    /** The Platform Health part behind a model element, when that element is one. */
    public static Optional<HealthPart> of(MPart part) {
        return part != null && part.getObject() instanceof HealthPart p ? Optional.of(p) : Optional.empty();
    }

    @Inject
    void setManager(@org.eclipse.e4.core.di.annotations.Optional @Service PlatformManager manager) {
        this.manager = manager;
        requestLoad();
    }

    @Inject
    void setCaches(@org.eclipse.e4.core.di.annotations.Optional @Service CacheManager caches) {
        this.caches = caches;
        requestLoad();
    }

    @Inject
    void setEventBroker(@org.eclipse.e4.core.di.annotations.Optional IEventBroker broker) {
        this.broker = broker;
    }

    @PostConstruct
    public void createControls(Composite parent,
            @org.eclipse.e4.core.di.annotations.Optional @Named(POLL_MILLIS_KEY) Long pollMillis) {
        GridLayoutFactory.fillDefaults().spacing(0, 0).applyTo(parent);
        header = new CLabel(parent, SWT.LEFT);
        header.setData(WIDGET_KEY, "health.header");
        header.setFont(JFaceResources.getFontRegistry().getBold(JFaceResources.DEFAULT_FONT));
        header.setMargins(6, 4, 6, 4);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(header);
        icons = new Icons(header);

        SashForm vertical = new SashForm(parent, SWT.VERTICAL);
        GridDataFactory.fillDefaults().grab(true, true).applyTo(vertical);
        SashForm top = new SashForm(vertical, SWT.HORIZONTAL);
        checks = new CheckTable(top, icons);
        checks.viewer().getTable().setData(WIDGET_KEY, "health.checks");
        history = new HistoryTable(top, icons);
        history.viewer().getTable().setData(WIDGET_KEY, "health.history");
        top.setWeights(new int[] { 70, 30 });
        components = new ComponentTable(vertical, icons);
        components.viewer().getTable().setData(WIDGET_KEY, "health.components");
        cacheTable = new CacheTable(vertical, icons);
        cacheTable.viewer().getTable().setData(WIDGET_KEY, "health.caches");
        vertical.setWeights(new int[] { 35, 45, 20 });
        components.viewer().addSelectionChangedListener(e -> updateEnablement());
        for (TableViewer viewer : List.of(checks.viewer(), history.viewer(), components.viewer(), cacheTable.viewer())) {
            viewer.getTable().addListener(SWT.KeyDown, e -> {
                if (e.keyCode == SWT.F5) {
                    refresh();
                }
            });
        }

        status = new StatusLine(parent, WIDGET_KEY, "health");

        long poll = pollMillis == null ? POLL_MILLIS : pollMillis;
        if (poll > 0) {
            reader.poll(Duration.ofMillis(poll));
        }
        render(Optional.empty());
        requestLoad();
    }

    @Focus
    public void focus() {
        components.viewer().getControl().setFocus();
    }

    @PreDestroy
    public void dispose() {
        reader.close();
        // a restart under way finishes: interrupted, it could leave its component disabled
        actions.shutdown();
    }

    @Inject
    void healthChanged(
            @org.eclipse.e4.core.di.annotations.Optional @UIEventTopic(ManagerTopics.HEALTH_CHANGED) Event event) {
        if (event != null) {
            requestLoad();
        }
    }

    @Inject
    void recovering(@org.eclipse.e4.core.di.annotations.Optional @UIEventTopic(ManagerTopics.RECOVERY) Event event) {
        if (event != null) {
            showMessage(HealthStatus.WARN, "Recovering " + event.getProperty("check") + ": " + event.getProperty("action"));
            requestLoad();
        }
    }

    // ---- actions (the handlers of the view's toolbar call these)

    /** Reads the components and the latest health again. */
    public void refresh() {
        requestLoad();
    }

    /** Runs every health check now, off the UI thread, and shows the outcome. */
    public void runChecks() {
        PlatformManager m = manager;
        if (m == null) {
            return;
        }
        showMessage(null, "Running the health checks\u2026");
        run("Run Checks Now", () -> {
            HealthReport report = m.checkNow();
            requestLoad();
            String text = "Checks run at " + Formats.time(report.at()) + ": " + report.status().name() + ", "
                    + Formats.count(report.checks().size(), "check") + (report.reasons().isEmpty() ? ""
                            : " (" + report.reasons().size() + " not OK)");
            sync.asyncExec(() -> showMessage(report.status(), text));
        });
    }

    /** Restarts the selected component after the user confirmed. */
    public void restartSelected() {
        selection().filter(this::canRestart).ifPresent(c -> {
            if (MessageDialog.openConfirm(shell(), "Restart Component", "Restart " + c.name() + " of " + c.bundle()
                    + "?\n\nIt is deactivated and activated afresh with its configuration. The services it provides "
                    + "go away meanwhile, and components that need them stop and start again with it.")) {
                restart(c.name());
            }
        });
    }

    /** Restarts a component without asking, off the UI thread, and shows the outcome. */
    public void restart(String componentName) {
        PlatformManager m = manager;
        if (m == null || !restarting.add(componentName)) {
            return;
        }
        String shortName = Formats.simpleName(componentName);
        showMessage(null, "Restarting " + shortName + "\u2026");
        updateEnablement();
        boolean started = run("Restart " + shortName, () -> {
            try {
                Optional<ComponentInfo> after = m.restart(componentName, RESTART_DEADLINE);
                sync.asyncExec(() -> showMessage(
                        after.map(c -> Formats.isProblem(c.state()) ? HealthStatus.CRITICAL : HealthStatus.OK)
                                .orElse(HealthStatus.WARN),
                        after.map(c -> "Restarted " + shortName + ": " + c.state().name()
                                + (Formats.isProblem(c.state()) ? " (" + Formats.problem(c) + ")" : ""))
                                .orElse(shortName + " is not a component (any more)")));
            } finally {
                restarting.remove(componentName);
                requestLoad();
            }
        });
        if (!started) {
            restarting.remove(componentName);
        }
    }

    // ---- state for the handlers

    /** Whether the service manager is there to ask. */
    public boolean hasManager() {
        return manager != null;
    }

    /** Whether the selected component can be restarted now. */
    public boolean canRestartSelection() {
        return selection().filter(this::canRestart).isPresent();
    }

    private boolean canRestart(ComponentInfo c) {
        // the manager restarting itself would pull the service from under the restart
        return manager != null && !restarting.contains(c.name())
                && !c.services().contains(PlatformManager.class.getName());
    }

    // ---- selection

    /** The selected component, if any. */
    public Optional<ComponentInfo> selection() {
        if (components == null) {
            return Optional.empty();
        }
        Object first = components.viewer().getStructuredSelection().getFirstElement();
        return first instanceof ComponentInfo c ? Optional.of(c) : Optional.empty();
    }

    /** Selects the (first) row of a component, if there is one. */
    public void select(String componentName) {
        Object input = components.viewer().getInput();
        if (input instanceof List<?> rows) {
            rows.stream().filter(r -> ((ComponentInfo) r).name().equals(componentName)).findFirst()
                    .ifPresent(row -> components.viewer().setSelection(new StructuredSelection(row), true));
        }
        updateEnablement();
    }

    // ---- reading and rendering

    /** Reads the manager on the view's thread and renders what it read, coalescing requests. */
    private void requestLoad() {
        reader.request();
    }

    private Optional<Snapshot> load() {
        PlatformManager m = manager;
        if (m == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Snapshot.of(m, caches));
        } catch (RuntimeException e) {
            // the manager is going away under us: the injection of its absence follows
            LOG.debug("the service manager could not be read", e);
            return Optional.empty();
        }
    }

    private void render(Optional<Snapshot> read) {
        if (header == null || header.isDisposed()) {
            return;
        }
        Optional<String> selected = selection().map(ComponentInfo::name);
        if (read.isEmpty()) {
            header.setImage(icons.unknown());
            header.setForeground(null);
            header.setText(manager == null ? "Service manager not running: no health checks or components to show."
                    : "Reading the service manager\u2026");
            header.setToolTipText(null);
            checks.viewer().setInput(List.of());
            components.viewer().setInput(List.of());
            history.viewer().setInput(List.of());
            cacheTable.viewer().setInput(List.of());
            status.summary().setText("");
        } else {
            Snapshot s = read.get();
            HealthReport report = s.health();
            header.setImage(icons.status(report.status()));
            header.setForeground(colour(header, report.status()));
            header.setText(Formats.header(report));
            header.setToolTipText(Formats.headerDetail(report));
            checks.viewer().setInput(CheckTable.problemsFirst(report.checks()));
            components.viewer().setInput(s.components());
            history.viewer().setInput(s.history());
            cacheTable.viewer().setInput(s.caches());
            long problems = s.components().stream().map(ComponentInfo::state).filter(Formats::isProblem).count();
            status.summary().setText(Formats.componentSummary(s.components())
                    + (problems == 0 ? "" : " \u2014 " + problems + (problems == 1 ? " needs" : " need")
                            + " attention (listed first)"));
            if (selection().isEmpty() && selected.isPresent()) {
                select(selected.get()); // a restarted component is a new configuration: keep it selected
            }
        }
        header.getParent().layout(new Control[] { header, status.summary() });
        updateEnablement();
    }

    private static Color colour(Control control, HealthStatus status) {
        return control.getDisplay().getSystemColor(switch (status) {
            case OK -> SWT.COLOR_DARK_GREEN;
            case WARN -> SWT.COLOR_DARK_YELLOW;
            case CRITICAL -> SWT.COLOR_RED;
        });
    }

    private void showMessage(HealthStatus outcome, String text) {
        if (status != null) {
            status.message(text, outcome == null ? null : icons.status(outcome), null);
        }
    }

    private void updateEnablement() {
        IEventBroker b = broker;
        if (b != null) {
            // tool items ask their handlers' @CanExecute again only when told to
            b.send(UIEvents.REQUEST_ENABLEMENT_UPDATE_TOPIC, UIEvents.ALL_ELEMENT_ID);
        }
    }

    /** Runs an action on the action thread; a failure is shown, not thrown. Answers whether it was started. */
    private boolean run(String title, Runnable action) {
        try {
            actions.execute(() -> {
                try {
                    action.run();
                } catch (RuntimeException e) {
                    LOG.warn("{} failed", title, e);
                    sync.asyncExec(() -> showMessage(HealthStatus.CRITICAL, title + " failed: " + e.getMessage()));
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    private Shell shell() {
        return components.viewer().getControl().getShell();
    }
}
