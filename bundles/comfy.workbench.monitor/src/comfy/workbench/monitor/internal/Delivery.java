package comfy.workbench.monitor.internal;

import comfy.workbench.monitor.api.MonitorEvent;

/**
 * An event on its way to the listeners, with what the statistics need: the server's statistics and the moment
 * ({@link System#nanoTime()}) its frame arrived. One per event, shared by every listener channel.
 */
record Delivery(MonitorEvent event, ServerStatistics statistics, long receivedNanos) {
}
