/**
 * Named caches shared by the workbench's bundles, with a memory tier, an optional disk tier, statistics and health.
 * <ul>
 * <li>{@link comfy.workbench.cache.api.CacheManager} (the service) creates and finds caches by name; a name is unique
 * in the framework, and creating it again with an equal spec returns the same cache (so a component that is
 * re-activated gets its cache back).</li>
 * <li>{@link comfy.workbench.cache.api.CacheSpec} names a cache and gives its
 * {@link comfy.workbench.cache.api.CachePolicy}: a bound in entries or in bytes (with a
 * {@link comfy.workbench.cache.api.CacheWeigher}), expiry after write or access, the eviction order
 * ({@link comfy.workbench.cache.api.CachePolicy.Eviction}: Caffeine's size-aware W-TinyLFU by default, or LRU, LFU),
 * and an optional disk tier with a byte budget, for which a {@link comfy.workbench.cache.api.CacheCodec} turns keys
 * into stable strings and values into bytes.</li>
 * <li>{@link comfy.workbench.cache.api.Cache}: look up, load on a miss (counted with its time; a failed load is not
 * cached), put, invalidate. A memory miss falls through to the disk tier, and a disk hit is promoted to memory.</li>
 * <li>{@link comfy.workbench.cache.api.BlobCache}: files (downloaded outputs, thumbnails) streamed to and from the disk
 * under {@code <data folder>/cache/<name>/}, never held whole in memory.</li>
 * <li>The disk tier keeps its files across restarts, evicts the least recently used when over budget, and checks each
 * file's checksum: a corrupt, truncated or foreign file is counted, deleted and read as a miss, never as wrong data.
 * A disk that cannot be written is a miss (and a {@link comfy.workbench.cache.api.CacheHealth.Status#CRITICAL}
 * health), never an exception for the caller.</li>
 * <li>{@link comfy.workbench.cache.api.CacheStats} and {@link comfy.workbench.cache.api.CacheHealth}: per-cache figures
 * (hits, misses, loads, evictions by cause, size, disk use) and advice, for the service manager and the UI.</li>
 * </ul>
 */
@org.osgi.annotation.versioning.Version("0.1.0")
package comfy.workbench.cache.api;
