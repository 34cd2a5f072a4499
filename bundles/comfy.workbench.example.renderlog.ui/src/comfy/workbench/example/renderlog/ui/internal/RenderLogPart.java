package comfy.workbench.example.renderlog.ui.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.core.di.extensions.EventTopic;
import org.eclipse.e4.core.di.extensions.Service;
import org.eclipse.e4.ui.di.Focus;
import org.eclipse.e4.ui.di.UISynchronize;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Table;
import org.osgi.service.event.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import comfy.workbench.example.renderlog.api.RenderLog;
import comfy.workbench.example.renderlog.api.RenderLogLine;
import comfy.workbench.example.renderlog.api.RenderLogTail;
import comfy.workbench.queue.api.QueueTopics;
import comfy.workbench.ui.common.RowTable;
import comfy.workbench.ui.common.StatusLine;
import comfy.workbench.ui.common.Times;
import comfy.workbench.ui.common.ViewReader;

/**
 * The Render Log view: the newest lines of the example extension's render log, newest first (when a job ended, its
 * name, how it ended, where it ran, how long it took, why it failed), with a clear word when the render log is not
 * running, has no file yet, cannot be read, or has lines that are not its own (skipped and counted).
 * <p>
 * A POJO part. The {@link RenderLog} is injected with {@code @Service}: it comes and goes with its bundle. A job that
 * ends is heard on {@link QueueTopics#JOB_STATE} on the Event Admin's thread, which only asks for a read; the file is
 * read on a thread of the view's own, at most once every {@link #REFRESH_MILLIS} however many jobs change, and one
 * runnable per read goes to the UI thread.
 */
public final class RenderLogPart {

    /** Key of the widget data naming the view's widgets, so that tests and tools find them without guessing. */
    public static final String WIDGET_KEY = "comfy.workbench.widget";

    /**
     * Context key of how often, in milliseconds, the view reads the log without being told ({@code Long}), for lines
     * another process appends; {@code 0} turns the poll off.
     */
    public static final String POLL_MILLIS_KEY = "comfy.workbench.example.renderlog.ui.pollMillis";

    static final long POLL_MILLIS = 10_000;

    /** The shortest time between two reads of the file: a batch's burst of job events costs one read per interval. */
    static final long REFRESH_MILLIS = 300;

    /** How many of the newest lines the view shows. */
    static final int SHOWN = 500;

    private static final Logger LOG = LoggerFactory.getLogger(RenderLogPart.class);

    /** What one read found: the tail of the log, or why there is none to show. */
    private record Reading(RenderLogTail tail, String absence) {
        static Reading of(RenderLogTail tail) {
            return new Reading(tail, "");
        }

        static Reading none(String why) {
            return new Reading(null, why);
        }
    }

    private final ViewReader<Reading> reader;
    private volatile RenderLog log;
    private RowTable<RenderLogLine> table;
    private StatusLine status;

    @Inject
    public RenderLogPart(UISynchronize sync) {
        this.reader = new ViewReader<>("comfy-render-log-view", this::read, this::render, sync::asyncExec,
                Duration.ofMillis(REFRESH_MILLIS));
    }

    @Inject
    void setLog(@Optional @Service RenderLog log) {
        this.log = log;
        reader.request();
    }

    @PostConstruct
    public void createControls(Composite parent, @Optional @Named(POLL_MILLIS_KEY) Long pollMillis) {
        GridLayoutFactory.fillDefaults().spacing(0, 0).applyTo(parent);
        table = new RowTable<>(parent, RenderLogLine.class, l -> l.job() + "@" + l.ended(), SWT.SINGLE)
                .column("Ended", 14, 70, l -> Times.time(l.ended()), l -> Times.fullTime(l.ended(), Times.NONE), null)
                .column("Name", 22, 80, l -> l.name().isEmpty() ? l.job() : l.name(), RenderLogLine::job, null)
                .column("State", 12, 70, RenderLogLine::state, null, null)
                .column("Server", 14, 70, l -> l.server().isEmpty() ? Times.NONE : l.server(), null, null)
                .column("Seconds", 10, 55, l -> String.format(Locale.ROOT, "%.1f", l.seconds()), null, null)
                .column("Error", 28, 80, RenderLogLine::error, RenderLogLine::error, null);
        Table widget = table.viewer().getTable();
        widget.setData(WIDGET_KEY, "renderlog.table");
        widget.addListener(SWT.KeyDown, e -> {
            if (e.keyCode == SWT.F5) {
                refresh();
            }
        });
        GridDataFactory.fillDefaults().grab(true, true).applyTo(table.holder());
        status = new StatusLine(parent, WIDGET_KEY, "renderlog");
        long poll = pollMillis == null ? POLL_MILLIS : pollMillis;
        if (poll > 0) {
            reader.poll(Duration.ofMillis(poll));
        }
        status.summary().setText("Reading the render log\u2026");
        reader.request();
    }

    @Focus
    public void focus() {
        table.viewer().getControl().setFocus();
    }

    @PreDestroy
    public void dispose() {
        reader.close();
    }

    /** A job changed state (it may have ended: a line more); Event Admin's thread, so it only asks for a read. */
    @Inject
    void jobChanged(@Optional @EventTopic(QueueTopics.JOB_STATE) Event event) {
        if (event != null) {
            reader.request();
        }
    }

    /** Reads the log again. */
    public void refresh() {
        reader.request();
    }

    /** On the view's thread. */
    private Reading read() {
        RenderLog source = log;
        if (source == null) {
            return Reading.none("Render log not running: its bundle (comfy.workbench.example.renderlog) is not "
                    + "installed or not started, so there are no lines to show.");
        }
        try {
            RenderLogTail tail = source.tail(SHOWN);
            return tail.exists() ? Reading.of(tail) : Reading.none("No render log yet: " + tail.file()
                    + " does not exist; a line is written when a job ends.");
        } catch (IOException | RuntimeException e) {
            LOG.warn("the render log cannot be read", e);
            return Reading.none("The render log cannot be read: " + e.getMessage());
        }
    }

    /** On the UI thread. */
    private void render(Reading reading) {
        if (status == null || status.isDisposed()) {
            return;
        }
        if (reading.tail() == null) {
            table.viewer().setInput(List.of());
            status.summary().setText(reading.absence());
        } else {
            RenderLogTail tail = reading.tail();
            table.viewer().setInput(tail.newestFirst());
            int n = tail.newestFirst().size();
            String summary = (n == 0 ? "No jobs" : n + (n == 1 ? " job" : " jobs")) + " in " + tail.file()
                    + (n >= SHOWN ? " (the newest " + SHOWN + ")" : "") + ", newest first";
            if (tail.malformed() > 0) {
                summary += "; " + tail.malformed() + (tail.malformed() == 1 ? " malformed line" : " malformed lines")
                        + " skipped";
            }
            status.summary().setText(summary);
        }
        status.summary().setToolTipText(status.summary().getText());
        status.summary().getParent().layout();
    }
}
