package comfy.workbench.monitor.internal;

import java.time.Duration;

/**
 * The validated configuration of the monitor.
 *
 * @param backoff            reconnect delays
 * @param connectTimeout     how long a connect and upgrade may take
 * @param pingInterval       how often an open socket is pinged (and checked for idleness)
 * @param idleTimeout        no frame for this long: ask the server over HTTP whether it is alive, and reconcile
 * @param reconcileInterval  unfinished prompts are looked up in the server's queue and history at least this often
 * @param listenerBuffer     events (other than previews) a listener may have waiting before it is evicted
 * @param previewBuffer      previews a listener may have waiting before new ones are dropped
 * @param finishedRetention  finished prompts remembered per server
 * @param maxMessageBytes    the largest WebSocket message accepted
 * @param eventAdminPreviews whether previews are posted to Event Admin too
 */
record MonitorSettings(Backoff backoff, Duration connectTimeout, Duration pingInterval, Duration idleTimeout,
        Duration reconcileInterval, int listenerBuffer, int previewBuffer, int finishedRetention, int maxMessageBytes,
        boolean eventAdminPreviews) {

    MonitorSettings {
        if (connectTimeout.isNegative() || connectTimeout.isZero() || pingInterval.isNegative()
                || pingInterval.isZero() || idleTimeout.isNegative() || idleTimeout.isZero()
                || reconcileInterval.isNegative() || reconcileInterval.isZero()) {
            throw new IllegalArgumentException("monitor: timeouts and intervals must be positive");
        }
        if (listenerBuffer < 1 || previewBuffer < 0 || finishedRetention < 0 || maxMessageBytes < 1024) {
            throw new IllegalArgumentException("monitor: listenerBuffer >= 1, previewBuffer >= 0, "
                    + "finishedRetention >= 0 and maxMessageBytes >= 1024 are required");
        }
    }
}
