package comfy.workbench.cache.internal;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Ticker;

import comfy.workbench.cache.api.CachePolicy;
import comfy.workbench.cache.api.CacheWeigher;

/**
 * {@code LRU} and {@code LFU}: a hash map and an {@link EvictionOrder} under one lock, bounded by entries or weight,
 * with lazy expiry (an expired entry is removed when it is found, or by {@link #cleanUp()}). Loads run outside the
 * lock, one per key at a time.
 */
final class BoundedTier<K, V> implements MemoryTier<K, V> {

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<K, Node<K, V>> map = new HashMap<>();
    private final Map<K, CompletableFuture<V>> loading = new ConcurrentHashMap<>();
    private final EvictionOrder<K, V> order;
    private final long maximumEntries;
    private final long maximumWeight;
    private final CacheWeigher<? super K, ? super V> weigher;
    private final long writeNanos;
    private final long accessNanos;
    private final Ticker ticker;
    private final Counters counters = new Counters();
    private long weight;

    BoundedTier(CachePolicy policy, CacheWeigher<? super K, ? super V> weigher, Ticker ticker) {
        this.order = policy.eviction() == CachePolicy.Eviction.LFU ? new LfuOrder<>() : new LruOrder<>();
        this.maximumEntries = policy.maximumEntries();
        this.maximumWeight = policy.maximumWeightBytes();
        this.weigher = weigher;
        this.writeNanos = policy.expireAfterWrite() == null ? 0 : policy.expireAfterWrite().toNanos();
        this.accessNanos = policy.expireAfterAccess() == null ? 0 : policy.expireAfterAccess().toNanos();
        this.ticker = ticker;
    }

    private long now() {
        return writeNanos == 0 && accessNanos == 0 ? 0 : ticker.read();
    }

    private boolean expired(Node<K, V> n, long now) {
        return (writeNanos > 0 && now - n.writeNanos >= writeNanos)
                || (accessNanos > 0 && now - n.accessNanos >= accessNanos);
    }

    @Override
    public V getIfPresent(K key) {
        V v = lookup(key);
        if (v == null) {
            counters.misses.increment();
        } else {
            counters.hits.increment();
        }
        return v;
    }

    /** The value, marked as used, or null (an expired one is removed); not counted. */
    private V lookup(K key) {
        long now = now();
        lock.lock();
        try {
            Node<K, V> n = map.get(key);
            if (n == null) {
                return null;
            }
            if (expired(n, now)) {
                remove(n, RemovalCause.EXPIRED);
                return null;
            }
            n.accessNanos = now;
            order.accessed(n);
            return n.value;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public V get(K key, Function<? super K, ? extends V> loader) {
        V v = getIfPresent(key);
        if (v != null) {
            return v;
        }
        CompletableFuture<V> mine = new CompletableFuture<>();
        CompletableFuture<V> other = loading.putIfAbsent(key, mine);
        if (other != null) {
            try {
                return other.join();
            } catch (CompletionException e) {
                throw unwrap(e);
            }
        }
        try {
            // a load that finished between the miss and taking the key's slot
            V loaded = lookup(key);
            if (loaded == null) {
                long start = ticker.read();
                try {
                    loaded = loader.apply(key);
                } catch (RuntimeException | Error e) {
                    counters.recordLoadFailure(ticker.read() - start);
                    mine.completeExceptionally(e);
                    throw e;
                }
                if (loaded == null) {
                    counters.recordLoadFailure(ticker.read() - start);
                } else {
                    counters.recordLoadSuccess(ticker.read() - start);
                    store(key, loaded, false);
                }
            }
            mine.complete(loaded);
            return loaded;
        } finally {
            loading.remove(key, mine);
        }
    }

    private static RuntimeException unwrap(CompletionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException r) {
            return r;
        }
        if (cause instanceof Error err) {
            throw err;
        }
        return e;
    }

    @Override
    public void put(K key, V value) {
        store(key, value, false);
    }

    @Override
    public void putIfAbsent(K key, V value) {
        store(key, value, true);
    }

    private void store(K key, V value, boolean ifAbsent) {
        if (key == null || value == null) {
            throw new NullPointerException("key and value must not be null");
        }
        int w = weigher == null ? 0 : weigher.weigh(key, value);
        if (w < 0) {
            throw new IllegalArgumentException("weigher returned a negative weight: " + w);
        }
        long now = now();
        lock.lock();
        try {
            Node<K, V> n = map.get(key);
            if (n != null && expired(n, now)) {
                remove(n, RemovalCause.EXPIRED);
                n = null;
            }
            if (n != null) {
                if (ifAbsent) {
                    return;
                }
                counters.replacements.increment();
                weight += w - n.weight;
                n.value = value;
                n.weight = w;
                n.writeNanos = now;
                n.accessNanos = now;
                order.accessed(n);
            } else {
                // make room first, so that a new entry is not its own victim
                while (!map.isEmpty() && (maximumEntries > 0 ? map.size() >= maximumEntries
                        : weight + w > maximumWeight)) {
                    remove(order.victim(), RemovalCause.SIZE);
                }
                n = new Node<>(key);
                n.value = value;
                n.weight = w;
                n.writeNanos = now;
                n.accessNanos = now;
                map.put(key, n);
                order.inserted(n);
                weight += w;
            }
            // a heavier replacement, or an entry heavier than the whole cache
            while (maximumWeight > 0 && weight > maximumWeight && !map.isEmpty()) {
                remove(order.victim(), RemovalCause.SIZE);
            }
        } finally {
            lock.unlock();
        }
    }

    private void remove(Node<K, V> n, RemovalCause cause) {
        map.remove(n.key);
        order.removed(n);
        weight -= n.weight;
        counters.recordEviction(n.weight, cause);
    }

    @Override
    public void invalidate(K key) {
        lock.lock();
        try {
            Node<K, V> n = map.remove(key);
            if (n != null) {
                order.removed(n);
                weight -= n.weight;
                counters.explicitRemovals.increment();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void invalidateAll() {
        lock.lock();
        try {
            map.clear();
            order.clear();
            weight = 0;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long size() {
        lock.lock();
        try {
            return map.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long weight() {
        lock.lock();
        try {
            return weight;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void cleanUp() {
        if (writeNanos == 0 && accessNanos == 0) {
            return;
        }
        long now = ticker.read();
        lock.lock();
        try {
            for (Iterator<Node<K, V>> it = map.values().iterator(); it.hasNext();) {
                Node<K, V> n = it.next();
                if (expired(n, now)) {
                    it.remove();
                    order.removed(n);
                    weight -= n.weight;
                    counters.recordEviction(n.weight, RemovalCause.EXPIRED);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Counters counters() {
        return counters;
    }
}
