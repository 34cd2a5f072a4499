package comfy.workbench.monitor.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard service: register one to receive monitor events. Each listener has its own thread and its own bounded
 * buffer, so a slow, blocking or throwing listener delays only itself. Events reach a listener in the order the
 * monitor received them from each server.
 *
 * <p>Filters, as service properties (all optional; absent means everything):
 * <ul>
 * <li>{@value #SERVERS}: server ids (String or String[]);</li>
 * <li>{@value #PROMPTS}: prompt ids (String or String[]); events that belong to no prompt still pass unless
 * {@value #TYPES} excludes them;</li>
 * <li>{@value #TYPES}: {@link EventType} names (String or String[]).</li>
 * </ul>
 *
 * <p>Back-pressure: when a listener falls behind, its oldest previews are dropped first (counted in the
 * statistics). A listener that holds more than its buffer of other events (default 100,000) is disconnected and
 * logged, the way Event Admin blacklists a handler that times out; nothing else is ever dropped.
 */
@ConsumerType
@FunctionalInterface
public interface ExecutionListener {

    /** Service property: the server ids to receive events of. */
    String SERVERS = "comfy.monitor.servers";

    /** Service property: the prompt ids to receive events of. */
    String PROMPTS = "comfy.monitor.prompts";

    /** Service property: the {@link EventType} names to receive. */
    String TYPES = "comfy.monitor.types";

    /** Receives one event. Called on this listener's own thread, never concurrently. */
    void onEvent(MonitorEvent event);
}
