package comfy.workbench.monitor.internal;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counts durations in log-linear buckets (powers of two split in eight, so within 12.5 %), lock-free, for
 * percentiles of the dispatch latency without keeping samples.
 */
final class LatencyHistogram {

    private static final int SUB_BITS = 3;
    private static final int SUBS = 1 << SUB_BITS;
    private final AtomicLongArray counts = new AtomicLongArray(64 * SUBS);

    void record(long nanos) {
        counts.incrementAndGet(index(Math.max(0, nanos)));
    }

    /** The upper bound of the bucket holding the given percentile (0..100), 0 when nothing was recorded. */
    long percentile(double percent) {
        long total = 0;
        for (int i = 0; i < counts.length(); i++) {
            total += counts.get(i);
        }
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(total * percent / 100.0);
        long seen = 0;
        for (int i = 0; i < counts.length(); i++) {
            seen += counts.get(i);
            if (seen >= Math.max(1, rank)) {
                return upperBound(i);
            }
        }
        return upperBound(counts.length() - 1);
    }

    static int index(long v) {
        if (v < SUBS) {
            return (int) v;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(v);
        int sub = (int) (v >>> (exponent - SUB_BITS)) & (SUBS - 1);
        return (exponent - SUB_BITS + 1) * SUBS + sub;
    }

    static long upperBound(int index) {
        if (index < SUBS) {
            return index;
        }
        int exponent = index / SUBS + SUB_BITS - 1;
        long sub = index % SUBS;
        return ((SUBS + sub + 1) << (exponent - SUB_BITS)) - 1;
    }
}
