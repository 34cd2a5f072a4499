package comfy.workbench.cache.internal;

/**
 * Least frequently used first, in O(1) (Shah, Mitra and Matani's scheme): a list of frequency buckets in ascending
 * order, each holding its nodes in recency order, so ties go to the least recently used. Frequencies never age.
 */
final class LfuOrder<K, V> implements EvictionOrder<K, V> {

    /** The nodes used {@link #frequency} times, eldest after the sentinel. */
    static final class Bucket<K, V> {
        final long frequency;
        final Node<K, V> nodes = new Node<>(null);
        Bucket<K, V> prev;
        Bucket<K, V> next;

        Bucket(long frequency) {
            this.frequency = frequency;
            nodes.next = nodes;
            nodes.prev = nodes;
        }

        boolean isEmpty() {
            return nodes.next == nodes;
        }
    }

    private final Bucket<K, V> head = new Bucket<>(0);

    LfuOrder() {
        clear();
    }

    @Override
    public void inserted(Node<K, V> node) {
        Bucket<K, V> first = head.next;
        if (first == head || first.frequency != 1) {
            first = bucketAfter(head, 1);
        }
        add(first, node);
    }

    @Override
    public void accessed(Node<K, V> node) {
        Bucket<K, V> current = node.bucket;
        Bucket<K, V> target = current.next;
        if (target == head || target.frequency != current.frequency + 1) {
            target = bucketAfter(current, current.frequency + 1);
        }
        unlink(node);
        add(target, node);
        dropIfEmpty(current);
    }

    @Override
    public void removed(Node<K, V> node) {
        Bucket<K, V> current = node.bucket;
        unlink(node);
        dropIfEmpty(current);
    }

    @Override
    public Node<K, V> victim() {
        return head.next == head ? null : head.next.nodes.next;
    }

    @Override
    public void clear() {
        head.next = head;
        head.prev = head;
    }

    private Bucket<K, V> bucketAfter(Bucket<K, V> before, long frequency) {
        Bucket<K, V> b = new Bucket<>(frequency);
        b.prev = before;
        b.next = before.next;
        before.next.prev = b;
        before.next = b;
        return b;
    }

    private void dropIfEmpty(Bucket<K, V> b) {
        if (b.isEmpty()) {
            b.prev.next = b.next;
            b.next.prev = b.prev;
        }
    }

    private static <K, V> void add(Bucket<K, V> b, Node<K, V> node) {
        node.prev = b.nodes.prev;
        node.next = b.nodes;
        b.nodes.prev.next = node;
        b.nodes.prev = node;
        node.bucket = b;
    }

    private static <K, V> void unlink(Node<K, V> node) {
        node.prev.next = node.next;
        node.next.prev = node.prev;
        node.prev = null;
        node.next = null;
        node.bucket = null;
    }
}
