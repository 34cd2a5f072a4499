package comfy.workbench.monitor.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

import comfy.workbench.monitor.api.ConnectionState;
import comfy.workbench.monitor.api.EventType;
import comfy.workbench.monitor.api.MonitorStats;

/** The counters of one server's monitor; written by its socket thread and the listener threads, lock-free. */
final class ServerStatistics {

    private static final EventType[] TYPES = EventType.values();

    private final String serverId;
    private final LongAdder[] byType = new LongAdder[TYPES.length];
    private final LongAdder textFrames = new LongAdder();
    private final LongAdder binaryFrames = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder connects = new LongAdder();
    private final LongAdder reconnects = new LongAdder();
    private final LongAdder droppedPreviews = new LongAdder();
    private final LongAdder evictedListeners = new LongAdder();
    private final LongAdder reconciled = new LongAdder();
    private final LongAdder lost = new LongAdder();
    private final Map<String, LongAdder> badFrames = new ConcurrentHashMap<>();
    private final LatencyHistogram dispatchLatency = new LatencyHistogram();
    private final RateMeter messageRate;
    private final RateMeter byteRate;
    private final LongSupplier nanoClock;

    private volatile ConnectionState state = ConnectionState.CONNECTING;
    private volatile Instant connectedSince;
    private volatile long connectedSinceNanos;
    private volatile String lastError;
    private volatile Instant lastErrorAt;
    private volatile long lastFrameNanos;

    ServerStatistics(String serverId, LongSupplier nanoClock) {
        this.serverId = serverId;
        this.nanoClock = nanoClock;
        for (int i = 0; i < byType.length; i++) {
            byType[i] = new LongAdder();
        }
        messageRate = new RateMeter(nanoClock);
        byteRate = new RateMeter(nanoClock);
    }

    void frame(boolean binary, int length, long nowNanos) {
        (binary ? binaryFrames : textFrames).increment();
        bytes.add(length);
        messageRate.add(1);
        byteRate.add(length);
        lastFrameNanos = nowNanos;
        // an Instant per frame would cost at a million frames a second; the wall clock is derived when read
    }

    void decoded(EventType type) {
        byType[type.ordinal()].increment();
    }

    /** Counts an event the monitor made itself (connection changes, prompt ends). */
    void own(EventType type) {
        byType[type.ordinal()].increment();
    }

    void badFrame(String reason) {
        badFrames.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }

    void previewDropped() {
        droppedPreviews.increment();
    }

    void listenerEvicted() {
        evictedListeners.increment();
    }

    void dispatched(long latencyNanos) {
        dispatchLatency.record(latencyNanos);
    }

    void reconciled() {
        reconciled.increment();
    }

    void lost() {
        lost.increment();
    }

    void connected(Instant now) {
        if (connects.sum() > 0) {
            reconnects.increment();
        }
        connects.increment();
        connectedSince = now;
        connectedSinceNanos = nanoClock.getAsLong();
        state = ConnectionState.CONNECTED;
    }

    void state(ConnectionState newState) {
        state = newState;
        if (newState != ConnectionState.CONNECTED) {
            connectedSince = null;
        }
    }

    void error(String message, Instant at) {
        lastError = message;
        lastErrorAt = at;
    }

    /** Nanos since the last frame, or since connecting when none came yet. */
    long idleNanos() {
        long last = Math.max(lastFrameNanos, connectedSinceNanos);
        return nanoClock.getAsLong() - last;
    }

    long lastFrameNanos() {
        return lastFrameNanos;
    }

    MonitorStats snapshot() {
        Map<EventType, Long> types = new EnumMap<>(EventType.class);
        for (EventType t : TYPES) {
            long n = byType[t.ordinal()].sum();
            if (n > 0) {
                types.put(t, n);
            }
        }
        Map<String, Long> bad = new TreeMap<>();
        badFrames.forEach((reason, n) -> bad.put(reason, n.sum()));
        Instant since = connectedSince;
        long now = nanoClock.getAsLong();
        Duration uptime = since == null ? Duration.ZERO : Duration.ofNanos(now - connectedSinceNanos);
        long lastFrame = lastFrameNanos;
        Instant frameAt = lastFrame == 0 ? null : Instant.now().minusNanos(now - lastFrame);
        return new MonitorStats(serverId, state, since, uptime, connects.sum(), reconnects.sum(), types,
                textFrames.sum(), binaryFrames.sum(), bytes.sum(), messageRate.lastSecond(), messageRate.lastMinute(),
                byteRate.lastSecond(), byteRate.lastMinute(), dispatchLatency.percentile(50),
                dispatchLatency.percentile(99), droppedPreviews.sum(), bad, evictedListeners.sum(), reconciled.sum(),
                lost.sum(), lastError, lastErrorAt, frameAt);
    }
}
