package comfy.workbench.queue.api;

import java.time.Duration;
import java.util.Objects;

/**
 * How often a job is tried. Transient faults (connection failures, 5xx, a server that lost the job, timeouts) are
 * retried with exponential backoff; validation and execution errors only when {@code retryExecutionErrors}.
 *
 * @param maxAttempts          attempts in all, at least 1
 * @param initialBackoff       the wait before the second attempt; doubled each time
 * @param maxBackoff           the longest wait
 * @param retryExecutionErrors whether an execution error (the node raised) is tried again
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, boolean retryExecutionErrors) {

    public static final RetryPolicy DEFAULT = new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofMinutes(1), false);

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
        }
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
    }

    /** The wait before attempt {@code attempt + 1} after {@code attempt} failed (1-based). */
    public Duration backoff(int attempt) {
        long factor = 1L << Math.min(20, Math.max(0, attempt - 1));
        Duration d = initialBackoff.multipliedBy(factor);
        return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
    }
}
