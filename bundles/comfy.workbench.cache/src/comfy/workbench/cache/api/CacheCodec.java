package comfy.workbench.cache.api;

import java.io.IOException;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * How a cache with a disk tier writes its entries: a key as a stable string (the same in every run, unique per key),
 * a value as bytes and back. The disk tier checks the bytes' checksum before {@link #decode(byte[])}, so a decoder
 * never sees damaged data; it may still throw on data written by an older version of the codec, which is then a miss.
 */
@ConsumerType
public interface CacheCodec<K, V> {

    /** The key as a string that is stable across runs and unique per key. */
    String key(K key);

    /** The value as bytes. */
    byte[] encode(V value);

    /**
     * The value of bytes that {@link #encode(Object)} wrote.
     *
     * @throws IOException if the bytes cannot be read (the entry is then dropped and is a miss)
     */
    V decode(byte[] bytes) throws IOException;
}
