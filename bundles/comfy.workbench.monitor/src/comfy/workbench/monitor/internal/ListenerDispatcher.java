package comfy.workbench.monitor.internal;

import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import comfy.workbench.monitor.api.ExecutionListener;

/** Fans events out to every listener's {@link ListenerChannel}. */
final class ListenerDispatcher {

    private final CopyOnWriteArrayList<ListenerChannel> channels = new CopyOnWriteArrayList<>();
    private final AtomicInteger names = new AtomicInteger();
    private volatile int capacity;
    private volatile int previewCapacity;

    ListenerDispatcher(int capacity, int previewCapacity) {
        resize(capacity, previewCapacity);
    }

    /** Applies to every listener at once. */
    void resize(int newCapacity, int newPreviewCapacity) {
        this.capacity = newCapacity;
        this.previewCapacity = newPreviewCapacity;
    }

    int capacity() {
        return capacity;
    }

    int previewCapacity() {
        return previewCapacity;
    }

    void add(ExecutionListener listener, Map<String, ?> properties) {
        ListenerFilter filter = ListenerFilter.of(properties);
        String name = names.incrementAndGet() + "-" + listener.getClass().getSimpleName();
        ListenerChannel channel = new ListenerChannel(listener, name, filter, this, channels::remove);
        channels.add(channel);
        channel.start();
    }

    void remove(ExecutionListener listener) {
        for (ListenerChannel channel : channels) {
            if (channel.listener() == listener) {
                channels.remove(channel);
                channel.close();
            }
        }
    }

    void dispatch(Delivery delivery) {
        for (ListenerChannel channel : channels) {
            channel.offer(delivery);
        }
    }

    void close() {
        for (ListenerChannel channel : channels) {
            channel.close();
        }
        channels.clear();
    }
}
