package comfy.workbench.cache.internal;

import java.util.concurrent.atomic.LongAdder;

import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import com.github.benmanes.caffeine.cache.stats.StatsCounter;

/**
 * A memory tier's figures: Caffeine records into it as its {@link StatsCounter}; the LRU and LFU maps call the same
 * methods. Evictions are kept by cause; explicit removals and replacements are counted by the tiers themselves.
 */
final class Counters implements StatsCounter {

    final LongAdder hits = new LongAdder();
    final LongAdder misses = new LongAdder();
    final LongAdder loadSuccesses = new LongAdder();
    final LongAdder loadFailures = new LongAdder();
    final LongAdder loadNanos = new LongAdder();
    final LongAdder sizeEvictions = new LongAdder();
    final LongAdder expiredEvictions = new LongAdder();
    final LongAdder explicitRemovals = new LongAdder();
    final LongAdder replacements = new LongAdder();
    /** Loads failed since the last one that succeeded: whether the source fails now, not only did once. */
    final java.util.concurrent.atomic.AtomicLong failingLoads = new java.util.concurrent.atomic.AtomicLong();

    @Override
    public void recordHits(int count) {
        hits.add(count);
    }

    @Override
    public void recordMisses(int count) {
        misses.add(count);
    }

    @Override
    public void recordLoadSuccess(long loadTime) {
        loadSuccesses.increment();
        failingLoads.set(0);
        loadNanos.add(loadTime);
    }

    @Override
    public void recordLoadFailure(long loadTime) {
        loadFailures.increment();
        failingLoads.incrementAndGet();
        loadNanos.add(loadTime);
    }

    @Override
    public void recordEviction(int weight, RemovalCause cause) {
        if (cause == RemovalCause.EXPIRED) {
            expiredEvictions.increment();
        } else if (cause == RemovalCause.SIZE || cause == RemovalCause.COLLECTED) {
            sizeEvictions.increment();
        }
    }

    @Override
    public CacheStats snapshot() {
        return CacheStats.of(hits.sum(), misses.sum(), loadSuccesses.sum(), loadFailures.sum(), loadNanos.sum(),
                sizeEvictions.sum() + expiredEvictions.sum(), 0);
    }
}
