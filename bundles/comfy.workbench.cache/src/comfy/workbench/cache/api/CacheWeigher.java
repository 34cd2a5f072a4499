package comfy.workbench.cache.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * The weight of an entry in bytes (an estimate of its memory), for caches bounded by
 * {@link CachePolicy#maximumWeightBytes()}. Called once when an entry is written; must be fast and not change for an
 * entry.
 */
@ConsumerType
@FunctionalInterface
public interface CacheWeigher<K, V> {

    /** The entry's weight in bytes, zero or more. */
    int weigh(K key, V value);
}
