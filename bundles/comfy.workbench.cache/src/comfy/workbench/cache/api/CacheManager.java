package comfy.workbench.cache.api;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The service that owns every named cache. Caches live until {@link #remove(String)}, whoever created them; their disk
 * tiers live across restarts under {@code <data folder>/cache/<name>/}.
 */
@ProviderType
public interface CacheManager {

    /**
     * The cache of this spec's name, created if there is none.
     *
     * @return the new cache, or the existing one if its spec is {@linkplain CacheSpec#isCompatibleWith(CacheSpec)
     *         compatible} with this one
     * @throws IllegalArgumentException if the spec is not {@linkplain CacheSpec#validate() complete}
     * @throws IllegalStateException naming the cache if the name is taken by a cache of another spec or by a blob cache
     */
    <K, V> Cache<K, V> create(CacheSpec<K, V> spec);

    /**
     * The blob cache of this name, created if there is none: files under {@code <data folder>/cache/<name>/} within a
     * budget of {@code maximumBytes}, the least recently used evicted first.
     *
     * @throws IllegalArgumentException if the name is not a simple folder name or the budget is not positive
     * @throws IllegalStateException naming the cache if the name is taken by a memory cache or by a blob cache of
     *             another budget
     */
    BlobCache blobCache(String name, long maximumBytes);

    /** The (memory) cache of this name; blob caches are found by {@link #findBlobCache(String)}. */
    Optional<Cache<?, ?>> find(String name);

    /** The blob cache of this name. */
    Optional<BlobCache> findBlobCache(String name);

    /** A snapshot of every cache's and blob cache's figures, by name. */
    List<CacheStats> statistics();

    /** Every cache's and blob cache's health, by name. */
    List<CacheHealth> health();

    /**
     * Drops a cache or blob cache: its memory and its files on disk. References to it that callers still hold keep
     * working as an empty cache without a disk tier. Nothing happens if there is no cache of this name.
     */
    void remove(String name);
}
