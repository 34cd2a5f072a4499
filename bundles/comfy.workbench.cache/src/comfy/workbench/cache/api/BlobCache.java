package comfy.workbench.cache.api;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A cache of files (downloaded outputs, thumbnails) on disk only, within a byte budget, the least recently used evicted
 * first. Data is streamed both ways and never held whole in memory. Each file carries a checksum that is checked
 * before it is opened: a corrupt file is a miss, never wrong data. Keys are any strings (file names are hashes of
 * them).
 */
@ProviderType
public interface BlobCache {

    /** The cache's unique name (also its folder's name). */
    String name();

    /**
     * The stored data, checked against its checksum, as a stream the caller closes; empty on a miss, on a corrupt file
     * and when the disk cannot be read.
     */
    Optional<InputStream> open(String key);

    /**
     * Stores the stream's data under the key (replacing any), read to its end (or until it exceeds the whole budget:
     * then nothing is stored) but not closed. The data becomes visible at once when complete; a failed or partial
     * write leaves the previous data (or nothing). Written without {@code fsync}: after a power failure a file may be
     * damaged, which its checksum then turns into a miss.
     *
     * @return whether the data was stored (false when it exceeds the budget or the disk cannot be written)
     * @throws IOException only if reading {@code data} fails; disk failures are not thrown (see {@link CacheHealth})
     */
    boolean put(String key, InputStream data) throws IOException;

    /** Whether the key is stored (without checking the file's checksum or counting a hit). */
    boolean contains(String key);

    /** Removes a key. */
    void invalidate(String key);

    /** Removes every key. */
    void invalidateAll();

    /** A snapshot of the figures (the disk ones; the memory ones are zero). */
    CacheStats stats();
}
