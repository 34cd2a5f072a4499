package comfy.workbench.cache.internal;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

import comfy.workbench.cache.api.Cache;
import comfy.workbench.cache.api.CacheHealth;
import comfy.workbench.cache.api.CacheSpec;
import comfy.workbench.cache.api.CacheStats;

/** A cache with an {@code LRU} or {@code LFU} memory tier only: a thin face on the tier. */
final class MemoryCache<K, V> implements Cache<K, V>, Managed {

    private final CacheSpec<K, V> spec;
    private final MemoryTier<K, V> tier;

    MemoryCache(CacheSpec<K, V> spec, MemoryTier<K, V> tier) {
        this.spec = spec;
        this.tier = tier;
    }

    @Override
    public CacheSpec<K, V> spec() {
        return spec;
    }

    @Override
    public String name() {
        return spec.name();
    }

    @Override
    public Optional<V> getIfPresent(K key) {
        return Optional.ofNullable(tier.getIfPresent(key));
    }

    @Override
    public V get(K key, Function<? super K, ? extends V> loader) {
        return tier.get(key, loader);
    }

    @Override
    public void put(K key, V value) {
        tier.put(key, value);
    }

    @Override
    public void invalidate(K key) {
        tier.invalidate(key);
    }

    @Override
    public void invalidateAll() {
        tier.invalidateAll();
    }

    @Override
    public long estimatedSize() {
        return tier.size();
    }

    @Override
    public CacheStats stats() {
        return memoryStats(spec.name(), tier, null, 0, 0);
    }

    @Override
    public CacheHealth health() {
        return HealthRules.assess(stats(), spec.policy(), null, tier.counters().failingLoads.get());
    }

    @Override
    public void drop() {
        tier.invalidateAll();
    }

    /** The tier's figures, with the disk's when there is one (diskHits moved from misses to hits). */
    static CacheStats memoryStats(String name, MemoryTier<?, ?> tier, DiskStore disk, long diskHits,
            long diskLoadHits) {
        tier.cleanUp();
        Counters c = tier.counters();
        long expired = c.expiredEvictions.sum() + (disk == null ? 0 : disk.expired.sum());
        return new CacheStats(name, c.hits.sum() + diskHits, Math.max(0, c.misses.sum() - diskHits),
                Math.max(0, c.loadSuccesses.sum() - diskLoadHits), c.loadFailures.sum(),
                Duration.ofNanos(c.loadNanos.sum()), c.sizeEvictions.sum(), expired, c.explicitRemovals.sum(),
                c.replacements.sum(), tier.size(), tier.weight(), diskHits,
                disk == null ? 0 : disk.entries(), disk == null ? 0 : disk.bytes(),
                disk == null ? 0 : disk.evictions.sum(), disk == null ? 0 : disk.corrupt.sum(),
                disk == null ? 0 : disk.errors.sum());
    }
}
