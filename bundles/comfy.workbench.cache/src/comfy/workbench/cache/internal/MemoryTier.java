package comfy.workbench.cache.internal;

import java.util.function.Function;

/** A cache's memory tier: lookups return {@code null} on a miss; every method counts into {@link #counters()}. */
interface MemoryTier<K, V> {

    /** The value or {@code null}; a hit or a miss. */
    V getIfPresent(K key);

    /** The value, loaded on a miss (once per key at a time); a {@code null} or thrown load is not cached. */
    V get(K key, Function<? super K, ? extends V> loader);

    /** Puts; a replaced value is counted. */
    void put(K key, V value);

    /** Puts unless the key has a value (a promotion from disk: not counted). */
    void putIfAbsent(K key, V value);

    /** Removes; counted as explicit if there was a value. */
    void invalidate(K key);

    void invalidateAll();

    /** Entries now (after expired ones are removed by {@link #cleanUp()}). */
    long size();

    /** The entries' weight now, 0 without a weigher. */
    long weight();

    /** Removes expired entries and finishes pending evictions. */
    void cleanUp();

    Counters counters();
}
