package comfy.workbench.cache.api;

import java.util.List;

/**
 * Whether a cache works as configured, with advice when it does not: for example a low hit rate with many size
 * evictions (raise the bound), many corrupt files on disk, or a disk tier that cannot be written.
 *
 * @param name the cache's name
 * @param status the worst finding
 * @param advice one sentence per finding, for a person; empty when {@link Status#OK}
 */
public record CacheHealth(String name, Status status, List<String> advice) {

    /** How bad the worst finding is. */
    public enum Status {
        /** Working as configured. */
        OK,
        /** Working, but poorly: see the advice. */
        WARN,
        /** A tier does not work (for example the disk cannot be written): lookups are misses. */
        CRITICAL
    }

    /** Copies the advice. */
    public CacheHealth {
        if (name == null || status == null) {
            throw new IllegalArgumentException("name and status must be given");
        }
        advice = List.copyOf(advice);
    }
}
