package comfy.workbench.cache.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import comfy.workbench.cache.api.CacheHealth;
import comfy.workbench.cache.api.CachePolicy;
import comfy.workbench.cache.api.CacheStats;

/** Judges a cache by its figures, with advice a person can act on. */
final class HealthRules {

    /** Fewer lookups than this say nothing about the hit rate. */
    static final long MIN_REQUESTS = 1_000;
    /** Below this hit rate a cache is worth a look. */
    static final double LOW_HIT_RATE = 0.5;
    static final long MIN_LOADS = 10;

    private HealthRules() {
    }

    /**
     * @param policy the memory cache's policy; {@code null} for a blob cache
     * @param disk the disk tier, or {@code null}
     */
    static CacheHealth assess(CacheStats s, CachePolicy policy, DiskStore disk) {
        return assess(s, policy, disk, -1);
    }

    /**
     * @param failingLoads loads failed since the last that succeeded, or -1 when not known: a source that failed for a
     *                     while and works again (a server back) is not reported as failing
     */
    static CacheHealth assess(CacheStats s, CachePolicy policy, DiskStore disk, long failingLoads) {
        List<String> critical = new ArrayList<>();
        List<String> warn = new ArrayList<>();
        if (disk != null) {
            String failure = disk.failure();
            if (failure != null) {
                critical.add("The disk tier cannot be written (" + failure + "): lookups that miss memory are misses; "
                        + "make " + disk.directory() + " a writable folder");
            }
            if (s.diskBytes() > disk.budget()) {
                critical.add("The disk tier holds " + s.diskBytes() + " bytes, over its budget of " + disk.budget()
                        + ": files in " + disk.directory() + " cannot be deleted");
            }
            long reads = s.diskHits() + s.diskCorrupt();
            if (s.diskCorrupt() > 0 && (s.diskCorrupt() * 10 >= reads || s.diskCorrupt() >= 100)) {
                warn.add(s.diskCorrupt() + " corrupt disk entries were discarded (of " + reads + " read): check the "
                        + "disk holding " + disk.directory() + " and that nothing else writes there");
            }
        }
        boolean lowHitRate = s.requests() >= MIN_REQUESTS && s.hitRate() < LOW_HIT_RATE;
        String rate = String.format(Locale.ROOT, "%.0f%%", s.hitRate() * 100);
        if (lowHitRate && policy != null && s.sizeEvictions() * 2 >= s.misses()) {
            String bound = policy.weighted() ? "maximumWeightBytes (now " + policy.maximumWeightBytes() + ")"
                    : "maximumEntries (now " + policy.maximumEntries() + ")";
            warn.add("Hit rate " + rate + " with " + s.sizeEvictions() + " size evictions: raise " + bound);
        }
        if (lowHitRate && s.expiredEvictions() * 2 >= s.misses()) {
            warn.add("Hit rate " + rate + " with " + s.expiredEvictions()
                    + " expirations: lengthen expireAfterWrite/expireAfterAccess if stale entries are acceptable");
        }
        if (lowHitRate && disk != null && policy == null && s.diskEvictions() * 2 >= s.misses()) {
            warn.add("Hit rate " + rate + " with " + s.diskEvictions() + " evictions over the disk budget: raise "
                    + "maximumBytes (now " + disk.budget() + ")");
        }
        long loads = s.loadSuccesses() + s.loadFailures();
        if (loads >= MIN_LOADS && s.loadFailures() * 2 > loads && failingLoads != 0) {
            warn.add(s.loadFailures() + " of " + loads + " loads failed: the source of this cache is failing "
                    + "(failed loads are not cached)");
        }
        List<String> advice = new ArrayList<>(critical);
        advice.addAll(warn);
        CacheHealth.Status status = !critical.isEmpty() ? CacheHealth.Status.CRITICAL
                : !warn.isEmpty() ? CacheHealth.Status.WARN : CacheHealth.Status.OK;
        return new CacheHealth(s.name(), status, advice);
    }
}
