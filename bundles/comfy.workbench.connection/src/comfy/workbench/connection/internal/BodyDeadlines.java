package comfy.workbench.connection.internal;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The deadlines of answers' bodies, checked a few times a second by one thread: a timer per request would wake a
 * thread for each of the thousands of requests a busy queue makes a second, almost all of which end in time.
 */
final class BodyDeadlines implements AutoCloseable {

    /** What is told that its deadline passed. */
    @FunctionalInterface
    interface Late {
        void late();
    }

    private static final Duration SWEEP = Duration.ofMillis(200);

    private final Map<Late, Long> due = new ConcurrentHashMap<>();
    private final ScheduledThreadPoolExecutor sweeper = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "comfy http deadlines");
        t.setDaemon(true);
        return t;
    });

    BodyDeadlines() {
        sweeper.scheduleWithFixedDelay(this::sweep, SWEEP.toMillis(), SWEEP.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** {@code late} is told if {@link #done} is not called for it within {@code timeout}. */
    void watch(Late late, Duration timeout) {
        due.put(late, System.nanoTime() + timeout.toNanos());
    }

    void done(Late late) {
        due.remove(late);
    }

    private void sweep() {
        long now = System.nanoTime();
        due.forEach((late, at) -> {
            if (now - at > 0 && due.remove(late) != null) {
                late.late();
            }
        });
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
    }
}
