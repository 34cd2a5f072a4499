package comfy.workbench.cache.internal;

import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.function.Function;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Policy;
import com.github.benmanes.caffeine.cache.Ticker;

import comfy.workbench.cache.api.CachePolicy;
import comfy.workbench.cache.api.CacheWeigher;

/** {@code SIZE_AWARE}: Caffeine (W-TinyLFU) itself, recording into {@link Counters}; nothing else on the hot path. */
final class CaffeineTier<K, V> implements MemoryTier<K, V> {

    private final Cache<K, V> cache;
    private final ConcurrentMap<K, V> map;
    private final Counters counters = new Counters();
    private final Policy.Eviction<K, V> eviction;

    @SuppressWarnings({ "unchecked", "rawtypes" })
    CaffeineTier(CachePolicy policy, CacheWeigher<? super K, ? super V> weigher, Ticker ticker, Executor executor) {
        Caffeine<Object, Object> b = Caffeine.newBuilder().recordStats(() -> counters).executor(executor);
        if (policy.weighted()) {
            CacheWeigher w = weigher;
            b.maximumWeight(policy.maximumWeightBytes()).weigher((k, v) -> w.weigh(k, v));
        } else {
            b.maximumSize(policy.maximumEntries());
        }
        if (policy.expireAfterWrite() != null) {
            b.expireAfterWrite(policy.expireAfterWrite());
        }
        if (policy.expireAfterAccess() != null) {
            b.expireAfterAccess(policy.expireAfterAccess());
        }
        if (policy.expireAfterWrite() != null || policy.expireAfterAccess() != null) {
            b.ticker(ticker);
        }
        cache = (Cache<K, V>) b.build();
        map = cache.asMap();
        eviction = cache.policy().eviction().orElse(null);
    }

    /** Caffeine itself, for a cache that calls it directly ({@link CaffeineCache}). */
    Cache<K, V> cache() {
        return cache;
    }

    @Override
    public V getIfPresent(K key) {
        return cache.getIfPresent(key);
    }

    @Override
    public V get(K key, Function<? super K, ? extends V> loader) {
        return cache.get(key, loader);
    }

    @Override
    public void put(K key, V value) {
        if (map.put(key, value) != null) {
            counters.replacements.increment();
        }
    }

    @Override
    public void putIfAbsent(K key, V value) {
        map.putIfAbsent(key, value);
    }

    @Override
    public void invalidate(K key) {
        if (map.remove(key) != null) {
            counters.explicitRemovals.increment();
        }
    }

    @Override
    public void invalidateAll() {
        cache.invalidateAll();
    }

    @Override
    public long size() {
        return cache.estimatedSize();
    }

    @Override
    public long weight() {
        return eviction == null ? 0 : eviction.weightedSize().orElse(0);
    }

    @Override
    public void cleanUp() {
        cache.cleanUp();
    }

    @Override
    public Counters counters() {
        return counters;
    }
}
