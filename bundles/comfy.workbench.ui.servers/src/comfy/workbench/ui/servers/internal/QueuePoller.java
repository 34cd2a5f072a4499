package comfy.workbench.ui.servers.internal;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import comfy.workbench.connection.api.ComfyClient;
import comfy.workbench.connection.api.ComfyClients;
import comfy.workbench.connection.api.ComfyException;
import comfy.workbench.connection.api.HealthState;
import comfy.workbench.connection.api.QueueSnapshot;
import comfy.workbench.connection.api.ServerDescriptor;
import comfy.workbench.connection.api.ServerHealthService;
import comfy.workbench.connection.api.ServerRegistry;

/**
 * Polls the queue of every server that is up, on a thread of its own so that a slow server never stalls the UI.
 * The health service probes only every half minute and announces only changes of state; the queue poll is what
 * makes the view feel live, and a poll that fails asks the health service to probe at once, so that a server that
 * went away turns DOWN within a poll rather than at the next scheduled probe.
 * <p>
 * Not ui.common's {@code ViewReader}: that one counts its poll period from the start of a read, so a server slower to
 * answer than the period would be asked again at once; here the period runs from the end of a poll. And the view
 * renders from events too, with the queues last seen, not only after a poll.
 */
final class QueuePoller {

    private static final Logger LOG = LoggerFactory.getLogger(QueuePoller.class);

    /** The services a poll needs; any of them may be absent while the connection bundle restarts. */
    record Services(ServerRegistry registry, ServerHealthService health, ComfyClients clients) {
    }

    private final Map<String, QueueSnapshot> queues = new ConcurrentHashMap<>();
    private final Supplier<Services> services;
    private final Runnable afterPoll;
    private final ScheduledExecutorService executor;

    /**
     * @param services  the services as they are now
     * @param afterPoll called on the poll thread after each poll; must return quickly
     */
    QueuePoller(Supplier<Services> services, Runnable afterPoll) {
        this.services = services;
        this.afterPoll = afterPoll;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "comfy-servers-view-poll");
            t.setDaemon(true);
            return t;
        });
    }

    void start(long periodMillis) {
        executor.scheduleWithFixedDelay(this::pollSafely, 0, periodMillis, TimeUnit.MILLISECONDS);
    }

    /** Polls now, in addition to the schedule. */
    void pollNow() {
        if (!executor.isShutdown()) {
            executor.execute(this::pollSafely);
        }
    }

    void stop() {
        executor.shutdownNow();
    }

    /** The last queue seen of a server; empty when it was not up at the last poll. */
    Optional<QueueSnapshot> queue(String serverId) {
        return Optional.ofNullable(queues.get(serverId));
    }

    private void pollSafely() {
        try {
            poll();
        } catch (RuntimeException e) {
            // a bug here must not end the schedule: the view would silently stop being live
            LOG.error("queue poll of the Servers view failed", e);
        }
        afterPoll.run();
    }

    private void poll() {
        Services s = services.get();
        if (s.registry() == null || s.health() == null || s.clients() == null) {
            queues.clear();
            return;
        }
        queues.keySet().retainAll(s.registry().servers().stream().map(ServerDescriptor::id).toList());
        for (ServerDescriptor server : s.registry().servers()) {
            HealthState state = s.health().health(server.id()).state();
            if (state != HealthState.UP && state != HealthState.DEGRADED) {
                queues.remove(server.id());
                continue;
            }
            Optional<ComfyClient> client = s.clients().client(server.id());
            if (client.isEmpty()) {
                queues.remove(server.id());
                continue;
            }
            try {
                queues.put(server.id(), client.get().queue());
            } catch (ComfyException e) {
                if (e.kind() == ComfyException.Kind.INTERRUPTED) {
                    return; // the view is closing
                }
                LOG.debug("queue of {} not available: {}", server.id(), e.getMessage());
                queues.remove(server.id());
                s.health().refresh(server.id()).thenRun(afterPoll);
            }
        }
    }
}
