package comfy.workbench.cache.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

import com.github.benmanes.caffeine.cache.Ticker;

import comfy.workbench.cache.api.BlobCache;
import comfy.workbench.cache.api.Cache;
import comfy.workbench.cache.api.CacheHealth;
import comfy.workbench.cache.api.CacheManager;
import comfy.workbench.cache.api.CachePolicy;
import comfy.workbench.cache.api.CacheSpec;
import comfy.workbench.cache.api.CacheStats;

/** The caches by name, their disk tiers under one folder. */
public final class CacheManagerImpl implements CacheManager {

    private final Path root;
    private final Ticker ticker;
    private final Clock clock;
    private final Executor executor;
    /** Guarded by {@code this}. */
    private final Map<String, Managed> caches = new TreeMap<>();

    /** Caches on the system's clocks, with disk tiers under {@code root/<name>}. */
    public CacheManagerImpl(Path root) {
        this(root, Ticker.systemTicker(), Clock.systemUTC(), ForkJoinPool.commonPool());
    }

    /**
     * For tests and benchmarks: {@code ticker} times memory expiry and loads, {@code clock} disk expiry and recency; Caffeine's
     * maintenance runs on {@code executor} ({@code Runnable::run} makes it deterministic).
     */
    public CacheManagerImpl(Path root, Ticker ticker, Clock clock, Executor executor) {
        this.root = root;
        this.ticker = ticker;
        this.clock = clock;
        this.executor = executor;
    }

    Path root() {
        return root;
    }

    @Override
    @SuppressWarnings("unchecked")
    public synchronized <K, V> Cache<K, V> create(CacheSpec<K, V> spec) {
        if (spec == null) {
            throw new IllegalArgumentException("spec must be given");
        }
        spec.validate();
        Managed existing = caches.get(spec.name());
        if (existing != null) {
            CacheSpec<?, ?> old = existing.spec();
            if (old == null) {
                throw new IllegalStateException("cache " + spec.name() + " exists as a blob cache");
            }
            if (!spec.isCompatibleWith(old)) {
                throw new IllegalStateException("cache " + spec.name() + " exists with another spec: " + old.policy()
                        + " (asked for " + spec.policy() + ")");
            }
            return (Cache<K, V>) existing;
        }
        boolean sizeAware = spec.policy().eviction() == CachePolicy.Eviction.SIZE_AWARE;
        MemoryTier<K, V> tier = sizeAware ? new CaffeineTier<>(spec.policy(), spec.weigher(), ticker, executor)
                : new BoundedTier<>(spec.policy(), spec.weigher(), ticker);
        Managed made;
        if (sizeAware && !spec.policy().hasDiskTier()) {
            made = new CaffeineCache<>(spec, (CaffeineTier<K, V>) tier);
        } else if (spec.policy().hasDiskTier()) {
            CachePolicy p = spec.policy();
            made = new TieredCache<>(spec, tier, new DiskStore(root.resolve(spec.name()), p.diskBytes(),
                    p.expireAfterWrite(), p.expireAfterAccess(), clock));
        } else {
            made = new MemoryCache<>(spec, tier);
        }
        caches.put(spec.name(), made);
        return (Cache<K, V>) made;
    }

    @Override
    public synchronized BlobCache blobCache(String name, long maximumBytes) {
        CacheSpec.requireName(name);
        if (maximumBytes <= 0) {
            throw new IllegalArgumentException("maximumBytes must be positive: " + maximumBytes);
        }
        Managed existing = caches.get(name);
        if (existing != null) {
            if (!(existing instanceof DiskBlobCache b)) {
                throw new IllegalStateException("cache " + name + " exists as a memory cache, not a blob cache");
            }
            if (b.maximumBytes() != maximumBytes) {
                throw new IllegalStateException("blob cache " + name + " exists with maximumBytes "
                        + b.maximumBytes() + " (asked for " + maximumBytes + ")");
            }
            return b;
        }
        DiskBlobCache made = new DiskBlobCache(name, new DiskStore(root.resolve(name), maximumBytes, null, null, clock));
        caches.put(name, made);
        return made;
    }

    @Override
    public synchronized Optional<Cache<?, ?>> find(String name) {
        return caches.get(name) instanceof Cache<?, ?> c ? Optional.of(c) : Optional.empty();
    }

    @Override
    public synchronized Optional<BlobCache> findBlobCache(String name) {
        return caches.get(name) instanceof BlobCache b ? Optional.of(b) : Optional.empty();
    }

    private synchronized List<Managed> all() {
        return new ArrayList<>(caches.values());
    }

    @Override
    public List<CacheStats> statistics() {
        return all().stream().map(Managed::stats).sorted(Comparator.comparing(CacheStats::name)).toList();
    }

    @Override
    public List<CacheHealth> health() {
        return all().stream().map(Managed::health).sorted(Comparator.comparing(CacheHealth::name)).toList();
    }

    @Override
    public void remove(String name) {
        CacheSpec.requireName(name);
        Managed removed;
        synchronized (this) {
            removed = caches.remove(name);
        }
        if (removed != null) {
            removed.drop();
        }
        // also the files of a cache that this run has not created
        DiskStore.deleteTree(root.resolve(name));
    }
}
