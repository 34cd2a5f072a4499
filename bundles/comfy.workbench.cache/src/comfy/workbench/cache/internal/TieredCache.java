package comfy.workbench.cache.internal;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import comfy.workbench.cache.api.Cache;
import comfy.workbench.cache.api.CacheCodec;
import comfy.workbench.cache.api.CacheHealth;
import comfy.workbench.cache.api.CacheSpec;
import comfy.workbench.cache.api.CacheStats;

/**
 * A memory tier over a disk tier: a memory miss is looked up on disk and a disk hit promoted to memory; writes and
 * loads go to both (write-through), so a memory eviction leaves the entry on disk.
 */
final class TieredCache<K, V> implements Cache<K, V>, Managed {

    private static final Logger LOG = LoggerFactory.getLogger(TieredCache.class);

    private final CacheSpec<K, V> spec;
    private final MemoryTier<K, V> tier;
    private final DiskStore disk;
    private final CacheCodec<K, V> codec;
    private final LongAdder diskHits = new LongAdder();
    private final LongAdder diskLoadHits = new LongAdder();

    TieredCache(CacheSpec<K, V> spec, MemoryTier<K, V> tier, DiskStore disk) {
        this.spec = spec;
        this.tier = tier;
        this.disk = disk;
        this.codec = spec.codec();
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
        V v = tier.getIfPresent(key);
        if (v == null) {
            v = fromDisk(key);
            if (v != null) {
                diskHits.increment();
                tier.putIfAbsent(key, v);
            }
        }
        return Optional.ofNullable(v);
    }

    @Override
    public V get(K key, Function<? super K, ? extends V> loader) {
        return tier.get(key, k -> {
            V v = fromDisk(k);
            if (v != null) {
                diskHits.increment();
                diskLoadHits.increment();
                return v;
            }
            v = loader.apply(k);
            if (v != null) {
                toDisk(k, v);
            }
            return v;
        });
    }

    private V fromDisk(K key) {
        String k = codec.key(key);
        byte[] bytes = disk.read(k);
        if (bytes == null) {
            return null;
        }
        try {
            V v = codec.decode(bytes);
            if (v != null) {
                return v;
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("cache {}: cannot decode the disk entry of {}: {}", spec.name(), k, e.toString());
        }
        // the checksum held, so an older codec wrote it: as good as corrupt
        disk.corrupt.increment();
        disk.hits.decrement();
        disk.remove(k);
        return null;
    }

    private void toDisk(K key, V value) {
        byte[] bytes;
        try {
            bytes = codec.encode(value);
        } catch (RuntimeException e) {
            LOG.warn("cache {}: the codec cannot encode a value; kept in memory only", spec.name(), e);
            disk.errors.increment();
            return;
        }
        disk.write(codec.key(key), bytes);
    }

    @Override
    public void put(K key, V value) {
        tier.put(key, value);
        toDisk(key, value);
    }

    @Override
    public void invalidate(K key) {
        tier.invalidate(key);
        disk.remove(codec.key(key));
    }

    @Override
    public void invalidateAll() {
        tier.invalidateAll();
        disk.clear();
    }

    @Override
    public long estimatedSize() {
        return tier.size();
    }

    @Override
    public CacheStats stats() {
        return MemoryCache.memoryStats(spec.name(), tier, disk, diskHits.sum(), diskLoadHits.sum());
    }

    @Override
    public CacheHealth health() {
        return HealthRules.assess(stats(), spec.policy(), disk, tier.counters().failingLoads.get());
    }

    @Override
    public void drop() {
        tier.invalidateAll();
        disk.destroy();
    }
}
