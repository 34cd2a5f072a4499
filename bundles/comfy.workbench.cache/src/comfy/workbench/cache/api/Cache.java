package comfy.workbench.cache.api;

import java.util.Optional;
import java.util.function.Function;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A named, bounded cache, safe for concurrent use. With a disk tier, a memory miss is looked up on disk and a disk hit
 * is promoted to memory; writes go to both (write-through).
 *
 * @param <K> the key type; keys must have stable {@code equals}/{@code hashCode}
 * @param <V> the value type; values should be immutable
 */
@ProviderType
public interface Cache<K, V> {

    /** The cache's unique name. */
    String name();

    /** The value, if cached (in memory, or on disk); counted as a hit or a miss. */
    Optional<V> getIfPresent(K key);

    /**
     * The cached value, or the loader's value, which is then cached. Concurrent calls for one key run the loader once.
     * The load is counted with its time; a loader that returns {@code null} or throws is a load failure and nothing
     * is cached.
     *
     * @return the value, or {@code null} if the loader returned {@code null}
     * @throws RuntimeException what the loader threw
     */
    V get(K key, Function<? super K, ? extends V> loader);

    /** Caches a value, replacing any value of the key. */
    void put(K key, V value);

    /** Removes a key (from memory and disk). */
    void invalidate(K key);

    /** Removes every key (from memory and disk). */
    void invalidateAll();

    /** The number of entries in memory; approximate while entries are being evicted or expired. */
    long estimatedSize();

    /** A snapshot of the figures. */
    CacheStats stats();
}
