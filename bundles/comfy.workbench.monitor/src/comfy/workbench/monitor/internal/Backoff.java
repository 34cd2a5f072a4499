package comfy.workbench.monitor.internal;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter: the n-th consecutive failure waits {@code initial * 2^n}, capped, then spread by
 * ±{@code jitter} and kept within [initial, max], so that many clients of one restarted server do not reconnect in step.
 *
 * @param initial the first delay
 * @param max     the cap
 * @param jitter  the spread, a fraction in [0, 1)
 */
record Backoff(Duration initial, Duration max, double jitter) {

    Backoff {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0 || jitter < 0 || jitter >= 1) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max and 0 <= jitter < 1, got " + initial
                    + ", " + max + ", " + jitter);
        }
    }

    /**
     * @param failures consecutive failures so far (0 for the first retry)
     * @param random   a uniform source in [0, 1)
     */
    Duration delay(int failures, DoubleSupplier random) {
        double base = initial.toNanos() * Math.pow(2, Math.min(failures, 40));
        double capped = Math.min(base, max.toNanos());
        double spread = capped * (1 + jitter * (2 * random.getAsDouble() - 1));
        // kept within [initial, max]: the configured bounds are promises to the user
        return Duration.ofNanos((long) Math.max(initial.toNanos(), Math.min(spread, max.toNanos())));
    }
}
