package comfy.workbench.cache.internal;

import java.util.Optional;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

import comfy.workbench.cache.api.Cache;
import comfy.workbench.cache.api.CacheHealth;
import comfy.workbench.cache.api.CacheSpec;
import comfy.workbench.cache.api.CacheStats;

/**
 * A {@code SIZE_AWARE} cache without a disk tier, the common case: it calls Caffeine directly, one call deep, so that
 * the API costs as little as possible over Caffeine itself (docs/benchmarks.md, "Cache"). Figures and maintenance go
 * through its {@link CaffeineTier}.
 */
final class CaffeineCache<K, V> implements Cache<K, V>, Managed {

    private final CacheSpec<K, V> spec;
    private final CaffeineTier<K, V> tier;
    private final com.github.benmanes.caffeine.cache.Cache<K, V> cache;
    private final ConcurrentMap<K, V> map;
    private final LongAdder replacements;
    private final LongAdder explicitRemovals;

    CaffeineCache(CacheSpec<K, V> spec, CaffeineTier<K, V> tier) {
        this.spec = spec;
        this.tier = tier;
        this.cache = tier.cache();
        this.map = cache.asMap();
        this.replacements = tier.counters().replacements;
        this.explicitRemovals = tier.counters().explicitRemovals;
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
        return Optional.ofNullable(cache.getIfPresent(key));
    }

    @Override
    public V get(K key, Function<? super K, ? extends V> loader) {
        return cache.get(key, loader);
    }

    @Override
    public void put(K key, V value) {
        if (map.put(key, value) != null) {
            replacements.increment();
        }
    }

    @Override
    public void invalidate(K key) {
        if (map.remove(key) != null) {
            explicitRemovals.increment();
        }
    }

    @Override
    public void invalidateAll() {
        cache.invalidateAll();
    }

    @Override
    public long estimatedSize() {
        return cache.estimatedSize();
    }

    @Override
    public CacheStats stats() {
        return MemoryCache.memoryStats(spec.name(), tier, null, 0, 0);
    }

    @Override
    public CacheHealth health() {
        return HealthRules.assess(stats(), spec.policy(), null, tier.counters().failingLoads.get());
    }

    @Override
    public void drop() {
        cache.invalidateAll();
    }
}
