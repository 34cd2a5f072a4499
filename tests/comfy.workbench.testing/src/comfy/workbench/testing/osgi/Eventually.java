package comfy.workbench.testing.osgi;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;

/** Waits for a value that a remote server will have at some point: polls a probe until it answers or a deadline passes. */
public final class Eventually {

    public static final Duration DEADLINE = Duration.ofSeconds(20);

    private Eventually() {
    }

    /** The first present value of the probe, polling it until {@link #DEADLINE}. */
    public static <T> T value(String what, Callable<Optional<T>> probe) throws Exception {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (true) {
            Optional<T> value = probe.call();
            if (value.isPresent()) {
                return value.get();
            }
            if (System.nanoTime() > end) {
                fail("timed out after " + DEADLINE + " waiting for " + what);
            }
            // a condition poll: the probe decides, the pause only keeps it from spinning
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
    }

    /** Polls until the condition holds. */
    public static void until(String what, Callable<Boolean> condition) throws Exception {
        value(what, () -> condition.call() ? Optional.of(Boolean.TRUE) : Optional.empty());
    }
}
