package comfy.workbench.cache.api;

import java.time.Duration;

/**
 * How a cache is bounded, expires and evicts. Exactly one of {@link #maximumEntries()} and
 * {@link #maximumWeightBytes()} is positive (the other is zero). Build with {@link #entries(long)} or
 * {@link #weight(long)} and the {@code with...} methods:
 *
 * <pre>
 * CachePolicy.entries(500).withExpireAfterWrite(Duration.ofHours(1)).withDiskBytes(64L &lt;&lt; 20)
 * </pre>
 *
 * @param maximumEntries the most entries kept in memory, or 0 when bounded by weight
 * @param maximumWeightBytes the most bytes kept in memory as the {@link CacheSpec#weigher()} counts them, or 0 when
 *            bounded by entries
 * @param expireAfterWrite how long an entry lives after it was written (memory and disk), or {@code null} for ever
 * @param expireAfterAccess how long an entry lives after it was last read or written (memory and disk), or
 *            {@code null} for ever
 * @param eviction which entries go first when the cache is full
 * @param diskBytes the disk tier's budget in bytes, or 0 for no disk tier (then a {@link CacheSpec#codec()} is
 *            needed)
 */
public record CachePolicy(long maximumEntries, long maximumWeightBytes, Duration expireAfterWrite,
        Duration expireAfterAccess, Eviction eviction, long diskBytes) {

    /** Which entries a full cache evicts first. */
    public enum Eviction {
        /**
         * Caffeine's W-TinyLFU: admits new entries by their estimated frequency, with a small recency window; the
         * best hit rate on most workloads and the recommended default.
         */
        SIZE_AWARE,
        /** Least recently used first. */
        LRU,
        /** Least frequently used first (ties: the least recently used of them). */
        LFU
    }

    /** Validates; each exception names the bad field. */
    public CachePolicy {
        if (maximumEntries < 0) {
            throw new IllegalArgumentException("maximumEntries must not be negative: " + maximumEntries);
        }
        if (maximumWeightBytes < 0) {
            throw new IllegalArgumentException("maximumWeightBytes must not be negative: " + maximumWeightBytes);
        }
        if ((maximumEntries > 0) == (maximumWeightBytes > 0)) {
            throw new IllegalArgumentException("exactly one of maximumEntries (" + maximumEntries
                    + ") and maximumWeightBytes (" + maximumWeightBytes + ") must be positive");
        }
        requirePositive("expireAfterWrite", expireAfterWrite);
        requirePositive("expireAfterAccess", expireAfterAccess);
        if (eviction == null) {
            throw new IllegalArgumentException("eviction must be given");
        }
        if (diskBytes < 0) {
            throw new IllegalArgumentException("diskBytes must not be negative: " + diskBytes);
        }
    }

    private static void requirePositive(String field, Duration d) {
        if (d != null && (d.isZero() || d.isNegative())) {
            throw new IllegalArgumentException(field + " must be positive: " + d);
        }
    }

    /** At most {@code maximumEntries} entries in memory, {@link Eviction#SIZE_AWARE}, no expiry, no disk tier. */
    public static CachePolicy entries(long maximumEntries) {
        if (maximumEntries <= 0) {
            throw new IllegalArgumentException("maximumEntries must be positive: " + maximumEntries);
        }
        return new CachePolicy(maximumEntries, 0, null, null, Eviction.SIZE_AWARE, 0);
    }

    /** At most {@code maximumWeightBytes} bytes in memory, {@link Eviction#SIZE_AWARE}, no expiry, no disk tier. */
    public static CachePolicy weight(long maximumWeightBytes) {
        if (maximumWeightBytes <= 0) {
            throw new IllegalArgumentException("maximumWeightBytes must be positive: " + maximumWeightBytes);
        }
        return new CachePolicy(0, maximumWeightBytes, null, null, Eviction.SIZE_AWARE, 0);
    }

    /** This policy with entries expiring this long after their last write ({@code null}: never). */
    public CachePolicy withExpireAfterWrite(Duration d) {
        return new CachePolicy(maximumEntries, maximumWeightBytes, d, expireAfterAccess, eviction, diskBytes);
    }

    /** This policy with entries expiring this long after their last read or write ({@code null}: never). */
    public CachePolicy withExpireAfterAccess(Duration d) {
        return new CachePolicy(maximumEntries, maximumWeightBytes, expireAfterWrite, d, eviction, diskBytes);
    }

    /** This policy with another eviction order. */
    public CachePolicy withEviction(Eviction e) {
        return new CachePolicy(maximumEntries, maximumWeightBytes, expireAfterWrite, expireAfterAccess, e, diskBytes);
    }

    /** This policy with a disk tier of this budget in bytes (0: none). */
    public CachePolicy withDiskBytes(long bytes) {
        return new CachePolicy(maximumEntries, maximumWeightBytes, expireAfterWrite, expireAfterAccess, eviction, bytes);
    }

    /** Whether entries are bounded by weight rather than count. */
    public boolean weighted() {
        return maximumWeightBytes > 0;
    }

    /** Whether there is a disk tier. */
    public boolean hasDiskTier() {
        return diskBytes > 0;
    }
}
