package comfy.workbench.monitor.internal;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import comfy.workbench.monitor.api.EventType;
import comfy.workbench.monitor.api.ExecutionListener;

/**
 * One listener's buffer and thread. Producers (socket threads, the reconciler) never block: they append to a
 * lock-free queue and wake the thread only when it sleeps. Previews beyond the dispatcher's preview capacity are dropped and
 * counted; more than the dispatcher's capacity of other events waiting means the listener is stuck, and it is evicted.
 */
final class ListenerChannel {

    private static final Logger LOG = LoggerFactory.getLogger(ListenerChannel.class);
    private static final int SPINS_BEFORE_SLEEP = 64;
    /*
     * Events in quick succession: parking after each would cost the producer a futex wake-up per event, so a channel
     * that just delivered a few (a job's last events) yields the core a little before it parks. Under a flood
     * (a long run of them) yielding until the next event costs a system call per try and CPU the socket needs, so the
     * channel naps instead: a timed park that the producer does not cut short, after which it takes everything that
     * came meanwhile in one go. Events further apart (a job's progress, a few a millisecond) are no burst: the
     * channel then parks at once. A wake-up costs a few microseconds, so yielding longer than this would not pay.
     */
    private static final long BURST_GAP_NANOS = 20_000;
    private static final int FLOOD_RUN = 32;
    /** Short against the 5 ms an event may take to reach its listener, long enough that the wake-ups cost little. */
    private static final long NAP_NANOS = 200_000;

    private final ExecutionListener listener;
    private final String name;
    private final ListenerFilter filter;
    private final ListenerDispatcher limits;
    private final Consumer<ListenerChannel> evicted;

    private final ConcurrentLinkedQueue<Delivery> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger waitingEvents = new AtomicInteger();
    private final AtomicInteger waitingPreviews = new AtomicInteger();
    private final AtomicLong failures = new AtomicLong();
    private final Thread thread;
    private volatile boolean sleeping;
    private volatile boolean closed;

    ListenerChannel(ExecutionListener listener, String name, ListenerFilter filter, ListenerDispatcher limits,
            Consumer<ListenerChannel> evicted) {
        this.listener = listener;
        this.name = name;
        this.filter = filter;
        this.limits = limits;
        this.evicted = evicted;
        this.thread = new Thread(this::run, "comfy-monitor-listener-" + name);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    ExecutionListener listener() {
        return listener;
    }

    String name() {
        return name;
    }

    /** Queues the event if the filter accepts it; never blocks. */
    void offer(Delivery delivery) {
        if (closed || !filter.accepts(delivery.event())) {
            return;
        }
        if (delivery.event().type() == EventType.PREVIEW) {
            if (waitingPreviews.incrementAndGet() > limits.previewCapacity()) {
                waitingPreviews.decrementAndGet();
                delivery.statistics().previewDropped();
                return;
            }
        } else if (waitingEvents.incrementAndGet() > limits.capacity()) {
            evict(delivery.statistics());
            return;
        }
        queue.offer(delivery);
        if (sleeping) {
            LockSupport.unpark(thread);
        }
    }

    /** Stops the thread; events still queued are discarded (the listener is going away). */
    void close() {
        closed = true;
        queue.clear();
        LockSupport.unpark(thread);
        if (Thread.currentThread() != thread) {
            // a listener blocked in onEvent would keep a stopped channel's thread forever
            thread.interrupt();
        }
    }

    boolean closed() {
        return closed;
    }

    private void evict(ServerStatistics statistics) {
        synchronized (this) {
            if (closed) {
                return;
            }
            close();
        }
        statistics.listenerEvicted();
        LOG.error("monitor listener {} fell {} events behind and was disconnected; register it again once it keeps up",
                name, limits.capacity());
        evicted.accept(this);
    }

    private void run() {
        int idle = 0;
        long lastDelivery = 0;
        long gap = Long.MAX_VALUE; // between the last two deliveries
        int run = 0; // deliveries since the channel last slept or napped
        while (!closed) {
            Delivery delivery = queue.poll();
            if (delivery == null) {
                if (++idle < SPINS_BEFORE_SLEEP) {
                    Thread.onSpinWait();
                    continue;
                }
                if (gap < BURST_GAP_NANOS) {
                    if (run >= FLOOD_RUN) {
                        run = 0;
                        LockSupport.parkNanos(this, NAP_NANOS);
                        idle = 0;
                        continue;
                    }
                    if (System.nanoTime() - lastDelivery < BURST_GAP_NANOS) {
                        Thread.yield();
                        continue;
                    }
                }
                sleeping = true;
                if (queue.isEmpty() && !closed) {
                    LockSupport.park(this);
                }
                sleeping = false;
                idle = 0;
                run = 0;
                continue;
            }
            idle = 0;
            run++;
            long now = System.nanoTime();
            gap = now - lastDelivery;
            lastDelivery = now;
            if (delivery.event().type() == EventType.PREVIEW) {
                waitingPreviews.decrementAndGet();
            } else {
                waitingEvents.decrementAndGet();
            }
            delivery.statistics().dispatched(now - delivery.receivedNanos());
            try {
                listener.onEvent(delivery.event());
            } catch (RuntimeException | LinkageError | AssertionError e) {
                long n = failures.incrementAndGet();
                if (n == 1 || n % 1000 == 0) {
                    LOG.warn("monitor listener {} failed on {} ({} failure(s) so far)", name, delivery.event().type(), n, e);
                }
            }
        }
    }
}
