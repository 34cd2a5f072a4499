package comfy.workbench.monitor.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Statistics of the monitor for one server since the monitor started.
 *
 * @param serverId              the server
 * @param state                 the socket's state now
 * @param connectedSince        when the current socket opened, or null
 * @param uptime                how long the current socket has been open ({@link Duration#ZERO} when closed)
 * @param connects              sockets opened
 * @param reconnects            sockets opened after a lost or failed one
 * @param messagesByType        decoded messages by type
 * @param textFrames            text messages received
 * @param binaryFrames          binary messages received
 * @param bytes                 payload bytes received
 * @param messagesPerSecond1s   message rate over the last second
 * @param messagesPerSecond1m   message rate over the last minute
 * @param bytesPerSecond1s      byte rate over the last second
 * @param bytesPerSecond1m      byte rate over the last minute
 * @param dispatchP50Nanos      median time from receipt to a listener being called
 * @param dispatchP99Nanos      99th percentile of that time
 * @param droppedPreviews       previews dropped because a listener fell behind
 * @param badFrames             frames that could not be decoded, by reason
 * @param evictedListeners      listeners disconnected because their buffer overflowed
 * @param reconciledPrompts     prompts whose end was found through the server's history
 * @param lostPrompts           prompts the server no longer knew
 * @param lastError             the last connection or decoding error, or null
 * @param lastErrorAt           when it happened, or null
 * @param lastFrameAt           when the last frame arrived, or null
 */
public record MonitorStats(String serverId, ConnectionState state, Instant connectedSince, Duration uptime,
        long connects, long reconnects, Map<EventType, Long> messagesByType, long textFrames, long binaryFrames,
        long bytes, double messagesPerSecond1s, double messagesPerSecond1m, double bytesPerSecond1s,
        double bytesPerSecond1m, long dispatchP50Nanos, long dispatchP99Nanos, long droppedPreviews,
        Map<String, Long> badFrames, long evictedListeners, long reconciledPrompts, long lostPrompts,
        String lastError, Instant lastErrorAt, Instant lastFrameAt) {

    public MonitorStats {
        Objects.requireNonNull(serverId, "serverId");
        Objects.requireNonNull(state, "state");
        messagesByType = Map.copyOf(messagesByType);
        badFrames = Map.copyOf(badFrames);
    }

    /** All messages decoded, of any type. */
    public long messages() {
        return messagesByType.values().stream().mapToLong(Long::longValue).sum();
    }

    /** All frames that could not be decoded. */
    public long badFrameCount() {
        return badFrames.values().stream().mapToLong(Long::longValue).sum();
    }
}
