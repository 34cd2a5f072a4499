package comfy.workbench.cache.api;

import java.time.Duration;

/**
 * A snapshot of one cache's figures since it was created in this run (the disk figures describe the files now on
 * disk). For a {@link BlobCache} the memory figures are zero and hits and misses are those of the disk.
 *
 * @param name the cache's name
 * @param hits lookups answered from the cache (memory or disk)
 * @param misses lookups the cache could not answer (a corrupt disk file is a miss)
 * @param loadSuccesses loader calls that returned a value
 * @param loadFailures loader calls that returned {@code null} or threw
 * @param totalLoadTime the time spent in loads, successful or not (with a disk tier, including the disk read that
 *            answered a memory miss without calling the loader)
 * @param sizeEvictions entries evicted from memory because the cache was full
 * @param expiredEvictions entries removed because they expired (memory and disk)
 * @param explicitRemovals entries removed by {@code invalidate} (not counting {@code invalidateAll})
 * @param replacements entries replaced by a {@code put} of the same key
 * @param entryCount entries in memory now
 * @param weightBytes the entries' weight in memory now (bytes as the weigher counts them; 0 without a weigher)
 * @param diskHits lookups answered by the disk tier after a memory miss
 * @param diskEntries files in the disk tier now
 * @param diskBytes bytes of those files (headers included)
 * @param diskEvictions files evicted because the disk tier was over its budget
 * @param diskCorrupt files found corrupt, truncated or foreign, deleted and read as misses
 * @param diskErrors disk operations that failed (the directory missing, not writable, full...)
 */
public record CacheStats(String name, long hits, long misses, long loadSuccesses, long loadFailures,
        Duration totalLoadTime, long sizeEvictions, long expiredEvictions, long explicitRemovals, long replacements,
        long entryCount, long weightBytes, long diskHits, long diskEntries, long diskBytes, long diskEvictions,
        long diskCorrupt, long diskErrors) {

    /** Lookups: hits and misses. */
    public long requests() {
        return hits + misses;
    }

    /** Hits per lookup, 1 when there were none (nothing was missed). */
    public double hitRate() {
        long requests = requests();
        return requests == 0 ? 1.0 : (double) hits / requests;
    }

    /** Evictions of any cause from memory and disk: size, expiry, disk budget. */
    public long evictions() {
        return sizeEvictions + expiredEvictions + diskEvictions;
    }

    /** The mean time of a load, zero when there was none. */
    public Duration averageLoadTime() {
        long loads = loadSuccesses + loadFailures;
        return loads == 0 ? Duration.ZERO : totalLoadTime.dividedBy(loads);
    }
}
