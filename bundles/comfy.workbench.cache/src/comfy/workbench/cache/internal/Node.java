package comfy.workbench.cache.internal;

/** An entry of a {@link BoundedTier}, linked into its {@link EvictionOrder}; guarded by the tier's lock. */
final class Node<K, V> {

    final K key;
    V value;
    int weight;
    long writeNanos;
    long accessNanos;
    Node<K, V> prev;
    Node<K, V> next;
    /** The LFU frequency bucket holding this node. */
    LfuOrder.Bucket<K, V> bucket;

    Node(K key) {
        this.key = key;
    }
}
