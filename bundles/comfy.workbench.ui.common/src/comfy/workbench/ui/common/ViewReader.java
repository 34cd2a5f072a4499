package comfy.workbench.ui.common;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Reads what a view shows on a thread of its own and hands each reading to the UI thread. Requests coalesce: one made
 * while a read is pending joins it, and reads are at least the given interval apart, so a burst of events costs one
 * read per interval and one runnable on the UI thread. Requests may come from any thread; after {@link #close()} they
 * are ignored.
 *
 * @param <T> what a read yields
 */
public final class ViewReader<T> implements AutoCloseable {

    private final ScheduledExecutorService thread;
    private final Supplier<T> read;
    private final Consumer<T> render;
    private final Executor ui;
    private final long intervalNanos;
    private final AtomicBoolean queued = new AtomicBoolean();
    private volatile long lastReadNanos;

    /**
     * @param threadName the reading thread's name
     * @param read       reads (on the reading thread)
     * @param render     shows a reading (on the UI thread)
     * @param ui         runs on the UI thread, e.g. {@code UISynchronize::asyncExec}
     * @param interval   the shortest time between two reads
     */
    public ViewReader(String threadName, Supplier<T> read, Consumer<T> render, Executor ui, Duration interval) {
        this.thread = Executors.newSingleThreadScheduledExecutor(daemonThreads(threadName));
        this.read = read;
        this.render = render;
        this.ui = ui;
        this.intervalNanos = interval.toNanos();
        this.lastReadNanos = System.nanoTime() - intervalNanos;
    }

    /** Asks for a read (and its rendering) soon. */
    public void request() {
        if (!queued.compareAndSet(false, true)) {
            return;
        }
        long wait = lastReadNanos + intervalNanos - System.nanoTime();
        try {
            thread.schedule(() -> {
                queued.set(false);
                lastReadNanos = System.nanoTime();
                T reading = read.get();
                ui.execute(() -> render.accept(reading));
            }, Math.max(0, wait), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // closed: the view is gone
        }
    }

    /** Reads every {@code period} as well, for what sends no event. */
    public void poll(Duration period) {
        thread.scheduleWithFixedDelay(this::request, period.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Runs other background work of the view on the reading thread, in order with the reads. */
    public void execute(Runnable task) {
        try {
            thread.execute(task);
        } catch (RejectedExecutionException e) {
            // closed: the view is gone
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }

    /** Daemon threads named {@code <prefix>-<n>}, for a view's background work. */
    public static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
