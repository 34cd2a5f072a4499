package comfy.workbench.monitor.api;

import java.time.Instant;

/**
 * One event from a server's WebSocket, or from the monitor itself. Events are immutable values; each names the
 * server it came from and the moment the monitor received it.
 */
public sealed interface MonitorEvent permits StatusEvent, FeatureFlagsEvent, ExecutionStartEvent,
        ExecutionCachedEvent, ExecutingEvent, ProgressEvent, ProgressStateEvent, ExecutedEvent, ExecutionSuccessEvent,
        ExecutionErrorEvent, ExecutionInterruptedEvent, LogsEvent, PreviewEvent, ProgressTextEvent, ConnectionEvent,
        PromptFinishedEvent, UnknownEvent {

    /** The id of the server (as in the server registry) the event came from. */
    String serverId();

    /** When the monitor received (or, for its own events, created) the event. */
    Instant receivedAt();

    /** The kind of event. */
    EventType type();

    /** The prompt the event belongs to, or {@code null} for events that belong to none (or do not say). */
    String promptId();
}
