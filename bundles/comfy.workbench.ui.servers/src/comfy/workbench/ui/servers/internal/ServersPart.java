package comfy.workbench.ui.servers.internal;

import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;

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
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.jface.window.Window;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Shell;
import org.osgi.service.event.Event;

import comfy.workbench.connection.api.ComfyClients;
import comfy.workbench.connection.api.ServerCredentials;
import comfy.workbench.connection.api.ConnectionTopics;
import comfy.workbench.connection.api.HealthState;
import comfy.workbench.connection.api.ServerDescriptor;
import comfy.workbench.connection.api.ServerHealth;
import comfy.workbench.connection.api.ServerHealthService;
import comfy.workbench.connection.api.ServerRegistry;
import comfy.workbench.monitor.api.MonitorStatistics;
import comfy.workbench.monitor.api.MonitorTopics;
import comfy.workbench.ui.common.StatusLine;

/**
 * The Servers view: every configured ComfyUI server with its health, latency, ComfyUI version, devices with VRAM
 * and queue, refreshed live; adds, edits, removes and tests servers.
 * <p>
 * A POJO part. The connection services are injected with {@code @Service} because they come and go with the
 * connection bundle; the view shows what it can while one is missing. Health changes and registry changes arrive as
 * Event Admin topics on the UI thread; the queue is polled on a thread of the view's own.
 */
public final class ServersPart {

    /** Key of the widget data naming the view's widgets, so that tests and tools find them without guessing. */
    public static final String WIDGET_KEY = "comfy.workbench.widget";

    /** How often queues are polled: often enough to feel live, rarely enough not to load a busy server. */
    static final long POLL_MILLIS = 2_000;

    private final UISynchronize sync;
    private final AtomicBoolean renderQueued = new AtomicBoolean();
    private volatile ServerRegistry registry;
    private volatile ServerHealthService health;
    private volatile ComfyClients clients;
    private volatile ServerCredentials credentials;
    private volatile MonitorStatistics events;
    private IEventBroker broker;

    private ServerTable table;
    private StatusLine status;
    private Icons icons;
    private QueuePoller poller;

    @Inject
    public ServersPart(UISynchronize sync) {
        this.sync = sync;
    }

    /** The Servers part behind a model element, when that element is one. */
    public static Optional<ServersPart> of(MPart part) {
        return part != null && part.getObject() instanceof ServersPart p ? Optional.of(p) : Optional.empty();
    }

    @Inject
    void setRegistry(@org.eclipse.e4.core.di.annotations.Optional @Service ServerRegistry registry) {
        this.registry = registry;
        requestRender();
    }

    @Inject
    void setHealth(@org.eclipse.e4.core.di.annotations.Optional @Service ServerHealthService health) {
        this.health = health;
        requestRender();
    }

    @Inject
    void setClients(@org.eclipse.e4.core.di.annotations.Optional @Service ComfyClients clients) {
        this.clients = clients;
    }

    @Inject
    void setCredentials(@org.eclipse.e4.core.di.annotations.Optional @Service ServerCredentials credentials) {
        this.credentials = credentials;
    }

    @Inject
    void setEvents(@org.eclipse.e4.core.di.annotations.Optional @Service MonitorStatistics events) {
        this.events = events;
        requestRender();
    }

    @Inject
    void setEventBroker(@org.eclipse.e4.core.di.annotations.Optional IEventBroker broker) {
        this.broker = broker;
    }

    @PostConstruct
    public void createControls(Composite parent) {
        GridLayoutFactory.fillDefaults().spacing(0, 0).applyTo(parent);
        table = new ServerTable(parent);
        TableViewer viewer = table.viewer();
        viewer.getTable().setData(WIDGET_KEY, "servers.table");
        GridDataFactory.fillDefaults().grab(true, true).applyTo(viewer.getTable().getParent());
        viewer.addSelectionChangedListener(e -> updateEnablement());
        viewer.addDoubleClickListener(e -> editSelected());
        viewer.getTable().addListener(SWT.KeyDown, e -> {
            if (e.keyCode == SWT.DEL) {
                removeSelected();
            } else if (e.keyCode == SWT.F5) {
                refresh();
            }
        });
        icons = new Icons(viewer.getControl());

        status = new StatusLine(parent, WIDGET_KEY, "servers");

        poller = new QueuePoller(() -> new QueuePoller.Services(registry, health, clients), this::requestRender);
        poller.start(POLL_MILLIS);
        render();
    }

    @Focus
    public void focus() {
        table.viewer().getControl().setFocus();
    }

    @PreDestroy
    public void dispose() {
        if (poller != null) {
            poller.stop();
        }
    }

    @Inject
    void healthChanged(@org.eclipse.e4.core.di.annotations.Optional @UIEventTopic(ConnectionTopics.HEALTH) Event event) {
        render();
    }

    /** A monitor socket opened, closed or failed. */
    @Inject
    void eventStreamChanged(
            @org.eclipse.e4.core.di.annotations.Optional @UIEventTopic(MonitorTopics.PREFIX + "CONNECTION") Event event) {
        render();
    }

    @Inject
    void serversChanged(@org.eclipse.e4.core.di.annotations.Optional @UIEventTopic(ConnectionTopics.SERVERS) Event event) {
        render();
        if (poller != null) {
            poller.pollNow();
        }
    }

    // ---- actions (the handlers of the view's toolbar call these)

    /** Probes every server now and polls their queues. */
    public void refresh() {
        ServerHealthService h = health;
        if (h != null) {
            h.refreshAll().thenRun(this::requestRender);
        }
        poller.pollNow();
    }

    /** Probes the selected server now and reports the result below the table. */
    public void testConnection() {
        ServerHealthService h = health;
        Optional<ServerDescriptor> selected = selection();
        if (h == null || selected.isEmpty()) {
            return;
        }
        ServerDescriptor server = selected.get();
        showMessage(HealthState.UNKNOWN, "Testing " + server.label() + " at " + server.baseUrl() + "\u2026");
        h.refresh(server.id()).thenAccept(result -> sync.asyncExec(() -> {
            if (!table.viewer().getControl().isDisposed()) {
                showMessage(result.state(), describe(server, result));
                render();
            }
        }));
    }

    /** The credential providers registered now, for the dialog's choice. */
    private SortedSet<String> providers() {
        ServerCredentials current = credentials;
        return current == null ? new TreeSet<>() : current.providers();
    }

    /** Asks for a new server and adds it. */
    public void addServer() {
        ServerDialog dialog = new ServerDialog(shell(), null, knownServers(), clients, providers());
        if (dialog.open() == Window.OK) {
            apply("Add Server", () -> add(dialog.result()));
        }
    }

    /** Edits the selected server. */
    public void editSelected() {
        selection().ifPresent(server -> {
            ServerDialog dialog = new ServerDialog(shell(), server, knownServers(), clients, providers());
            if (dialog.open() == Window.OK) {
                apply("Edit Server", () -> update(dialog.result()));
            }
        });
    }

    /** Removes the selected server after the user confirmed. */
    public void removeSelected() {
        selection().ifPresent(server -> {
            if (MessageDialog.openConfirm(shell(), "Remove Server", "Remove " + server.label() + " ("
                    + server.baseUrl() + ") from the workbench? Its stored credentials are deleted too.")) {
                apply("Remove Server", () -> remove(server.id()));
            }
        });
    }

    /** Adds a server without asking and selects it; throws as {@link ServerRegistry#add} does. */
    public void add(ServerDescriptor server) {
        requireRegistry().add(server);
        render();
        select(server.id());
    }

    /** Replaces a server without asking; throws as {@link ServerRegistry#update} does. */
    public void update(ServerDescriptor server) {
        requireRegistry().update(server);
        render();
    }

    /** Removes a server without asking. */
    public boolean remove(String serverId) {
        boolean removed = requireRegistry().remove(serverId);
        render();
        return removed;
    }

    // ---- selection

    public Optional<ServerDescriptor> selection() {
        if (table == null) {
            return Optional.empty();
        }
        Object first = table.viewer().getStructuredSelection().getFirstElement();
        return first instanceof ServerRow row ? Optional.of(row.server()) : Optional.empty();
    }

    public boolean hasSelection() {
        return selection().isPresent();
    }

    /** Selects the row of a server, if there is one. */
    public void select(String serverId) {
        List<?> rows = (List<?>) table.viewer().getInput();
        rows.stream().filter(r -> ((ServerRow) r).id().equals(serverId)).findFirst().ifPresent(row -> table.viewer()
                .setSelection(new org.eclipse.jface.viewers.StructuredSelection(row), true));
        updateEnablement();
    }

    // ---- rendering

    /** Schedules a render on the UI thread, coalescing requests from other threads. */
    private void requestRender() {
        if (renderQueued.compareAndSet(false, true)) {
            sync.asyncExec(() -> {
                renderQueued.set(false);
                render();
            });
        }
    }

    private void render() {
        if (table == null || table.viewer().getControl().isDisposed()) {
            return;
        }
        ServerRegistry r = registry;
        ServerHealthService h = health;
        if (r == null || h == null) {
            table.viewer().setInput(List.of());
            status.summary().setText("Connection services are not available.");
            updateEnablement();
            return;
        }
        MonitorStatistics m = events;
        List<ServerRow> rows = r.servers().stream().map(s -> new ServerRow(s, h.health(s.id()), poller.queue(s.id()),
                m == null ? Optional.empty() : m.statistics(s.id()))).toList();
        table.viewer().setInput(rows);
        status.summary().setText(summarize(rows));
        status.summary().getParent().layout();
        updateEnablement();
    }

    private static String summarize(List<ServerRow> rows) {
        if (rows.isEmpty()) {
            return "No servers. Add one to get started.";
        }
        String states = rows.stream().collect(Collectors.groupingBy(row -> row.health().state(),
                java.util.TreeMap::new, Collectors.counting())).entrySet().stream()
                .map(e -> e.getValue() + " " + e.getKey().name().toLowerCase(java.util.Locale.ROOT))
                .collect(Collectors.joining(", "));
        return rows.size() + (rows.size() == 1 ? " server: " : " servers: ") + states;
    }

    private static String describe(ServerDescriptor server, ServerHealth result) {
        StringBuilder b = new StringBuilder(server.label()).append(" is ").append(result.state().name());
        result.latency().ifPresent(l -> b.append(" (").append(l.toMillis()).append(" ms)"));
        result.capabilities().ifPresent(c -> b.append(", ComfyUI ").append(c.version().isEmpty() ? "?" : c.version()));
        if (result.state() != HealthState.UP) {
            b.append(": ").append(result.reason());
        }
        return b.toString();
    }

    private void showMessage(HealthState state, String text) {
        status.message(text, icons.state(state), null);
    }

    private void updateEnablement() {
        IEventBroker b = broker;
        if (b != null) {
            // tool items ask their handlers' @CanExecute again only when told to
            b.send(UIEvents.REQUEST_ENABLEMENT_UPDATE_TOPIC, UIEvents.ALL_ELEMENT_ID);
        }
    }

    private void apply(String title, Runnable change) {
        try {
            change.run();
        } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
            MessageDialog.openError(shell(), title, e.getMessage());
        }
    }

    private ServerRegistry requireRegistry() {
        ServerRegistry r = registry;
        if (r == null) {
            throw new IllegalStateException("the server registry is not available");
        }
        return r;
    }

    private List<ServerDescriptor> knownServers() {
        ServerRegistry r = registry;
        return r == null ? List.of() : r.servers();
    }

    private Shell shell() {
        return table.viewer().getControl().getShell();
    }
}
