package comfy.workbench.cache.internal;

/** The order in which a {@link BoundedTier} evicts; every method is O(1) and called under the tier's lock. */
interface EvictionOrder<K, V> {

    void inserted(Node<K, V> node);

    void accessed(Node<K, V> node);

    void removed(Node<K, V> node);

    /** The next entry to evict, {@code null} when empty. */
    Node<K, V> victim();

    void clear();
}
