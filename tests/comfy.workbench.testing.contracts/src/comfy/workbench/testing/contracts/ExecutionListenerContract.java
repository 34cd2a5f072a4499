package comfy.workbench.testing.contracts;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.osgi.framework.ServiceRegistration;

import comfy.workbench.connection.api.ComfyClients;
import comfy.workbench.connection.api.PromptAccepted;
import comfy.workbench.connection.api.PromptRequest;
import comfy.workbench.connection.api.ServerDescriptor;
import comfy.workbench.connection.api.ServerRegistry;
import comfy.workbench.model.api.PromptGraph;
import comfy.workbench.monitor.api.ConnectionState;
import comfy.workbench.monitor.api.EventType;
import comfy.workbench.monitor.api.ExecutingEvent;
import comfy.workbench.monitor.api.ExecutionListener;
import comfy.workbench.monitor.api.ExecutionMonitor;
import comfy.workbench.monitor.api.MonitorEvent;
import comfy.workbench.monitor.api.PreviewEvent;
import comfy.workbench.monitor.api.ProgressEvent;
import comfy.workbench.monitor.api.PromptFinishedEvent;
import comfy.workbench.monitor.api.UnknownEvent;
import comfy.workbench.testing.fake.FakeComfyServer;
import comfy.workbench.testing.osgi.Osgi;

/**
 * The contract of an {@link ExecutionListener}: subclass it, return your listener and the service properties you
 * register it with, and run it in an OSGi test beside the platform (the connection and monitor bundles). The monitor
 * delivers every event a server sends — its own types, types it does not know ({@link UnknownEvent}), previews, and
 * events of prompts the listener never saw start (it came later, or a reconnect replays them) — and a listener must
 * take each without throwing: a throw is logged and counted, and the listener's own work for that event is lost.
 * The events come from a real run on the fake ComfyUI server, as the monitor decoded them.
 */
public abstract class ExecutionListenerContract {

    /** The listener under test. */
    protected abstract ExecutionListener listener() throws Exception;

    /** The service properties it is registered with (filters; may be empty). */
    protected abstract Map<String, Object> properties();

    @Test
    void declaresWellFormedFilters() {
        Map<String, Object> p = properties();
        for (String key : List.of(ExecutionListener.SERVERS, ExecutionListener.PROMPTS, ExecutionListener.TYPES)) {
            Object value = p.get(key);
            assertTrue(value == null || value instanceof String || value instanceof String[]
                    || value instanceof Collection<?> c && c.stream().allMatch(String.class::isInstance),
                    key + " must be a string or strings: " + value);
        }
        for (String type : strings(p.get(ExecutionListener.TYPES))) {
            assertTrue(EnumSet.allOf(EventType.class).stream().anyMatch(t -> t.name().equals(type)),
                    ExecutionListener.TYPES + " names an event type the monitor does not have: " + type);
        }
    }

    private static List<String> strings(Object value) {
        if (value instanceof String s) {
            return List.of(s);
        }
        if (value instanceof String[] a) {
            return List.of(a);
        }
        List<String> all = new ArrayList<>();
        if (value instanceof Collection<?> c) {
            c.forEach(v -> all.add(String.valueOf(v)));
        }
        return all;
    }

    @Test
    void takesEveryEventOfARealRunAndOfPromptsItNeverSaw() throws Exception {
        String server = "contract-" + UUID.randomUUID().toString().substring(0, 8);
        List<MonitorEvent> seen = new CopyOnWriteArrayList<>();
        ServerRegistry registry = Osgi.service(ServerRegistry.class);
        try (FakeComfyServer fake = FakeComfyServer.builder().progressSteps("EmptyImage", 3).start()) {
            Hashtable<String, Object> only = new Hashtable<>(Map.of(ExecutionListener.SERVERS, server));
            ServiceRegistration<ExecutionListener> recorder = Osgi.context().registerService(ExecutionListener.class,
                    seen::add, only);
            try {
                registry.add(new ServerDescriptor(server, "Contract", fake.baseUri(), null));
                ExecutionMonitor monitor = Osgi.service(ExecutionMonitor.class);
                Osgi.await(server + " connected", () -> monitor.connectionState(server) == ConnectionState.CONNECTED);
                PromptGraph graph = ContractGraphs.quick(7);
                // as the queue runs a prompt: events to the monitor's socket, and the monitor told to follow it
                PromptAccepted accepted = Osgi.service(ComfyClients.class).client(registry.server(server).orElseThrow())
                        .submit(PromptRequest.of(graph).withClientId(monitor.clientId(server)));
                monitor.track(server, accepted.promptId(), graph.nodes().keySet());
                Osgi.await("the run finished", () -> seen.stream().anyMatch(e -> e instanceof PromptFinishedEvent f
                        && f.execution().promptId().equals(accepted.promptId())));
            } finally {
                recorder.unregister();
                registry.remove(server);
            }
        }
        Instant now = Instant.now();
        String stranger = UUID.randomUUID().toString();
        List<MonitorEvent> events = new ArrayList<>(seen);
        events.add(new ExecutingEvent(server, now, stranger, "9", "9"));
        events.add(new ProgressEvent(server, now, stranger, "9", 3, 20));
        events.add(new PreviewEvent(server, now, stranger, "9", "9", "image/jpeg",
                ByteBuffer.wrap(new byte[] { (byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xD9 })));
        events.add(new UnknownEvent(server, now, "crystools.monitor", "{\"cpu_utilization\": 12.5}", null));
        Set<Class<?>> types = new java.util.HashSet<>();
        ExecutionListener listener = listener();
        for (MonitorEvent event : events) {
            types.add(event.getClass());
            assertDoesNotThrow(() -> listener.onEvent(event), () -> "the listener threw on " + event);
        }
        assertTrue(types.size() >= 8, "a run gives the listener many kinds of event: " + types);
    }
}
