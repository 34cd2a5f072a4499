package comfy.workbench.cli.internal;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Standard output buffered and flushed every {@value #FLUSH_MILLIS} ms, instead of {@code System.out}'s write per
 * line: a run of thousands of jobs prints several lines per job, and a reader (a person, {@code jq}, a script) still
 * sees each line within moments of its event. Everything is flushed on {@link #close()}, and when the process is
 * stopped before it.
 */
final class BufferedStdout implements AutoCloseable {

    static final long FLUSH_MILLIS = 25;

    private final PrintStream out = new PrintStream(
            new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 64 << 10), false);
    private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "comfy-stdout-flush");
        t.setDaemon(true);
        return t;
    });

    /** Flushes when the process is stopped (Ctrl-C, SIGTERM) before {@link #close()}: the last lines are not lost. */
    private final Thread flushAtExit = new Thread(out::flush, "comfy-stdout-flush-at-exit");

    BufferedStdout() {
        flusher.scheduleWithFixedDelay(out::flush, FLUSH_MILLIS, FLUSH_MILLIS, TimeUnit.MILLISECONDS);
        Runtime.getRuntime().addShutdownHook(flushAtExit);
    }

    PrintStream stream() {
        return out;
    }

    @Override
    public void close() {
        flusher.shutdownNow();
        out.flush();
        try {
            Runtime.getRuntime().removeShutdownHook(flushAtExit);
        } catch (IllegalStateException e) {
            // the process is already stopping: the hook flushes once more, harmlessly
        }
    }
}
