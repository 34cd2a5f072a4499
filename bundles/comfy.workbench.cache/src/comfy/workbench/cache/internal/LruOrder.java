package comfy.workbench.cache.internal;

/** Least recently used first: a doubly linked list in access order, the eldest after the sentinel. */
final class LruOrder<K, V> implements EvictionOrder<K, V> {

    private final Node<K, V> head = new Node<>(null);

    LruOrder() {
        clear();
    }

    @Override
    public void inserted(Node<K, V> node) {
        append(node);
    }

    @Override
    public void accessed(Node<K, V> node) {
        unlink(node);
        append(node);
    }

    @Override
    public void removed(Node<K, V> node) {
        unlink(node);
    }

    @Override
    public Node<K, V> victim() {
        return head.next == head ? null : head.next;
    }

    @Override
    public void clear() {
        head.next = head;
        head.prev = head;
    }

    private void append(Node<K, V> node) {
        node.prev = head.prev;
        node.next = head;
        head.prev.next = node;
        head.prev = node;
    }

    private static <K, V> void unlink(Node<K, V> node) {
        node.prev.next = node.next;
        node.next.prev = node.prev;
        node.prev = null;
        node.next = null;
    }
}
