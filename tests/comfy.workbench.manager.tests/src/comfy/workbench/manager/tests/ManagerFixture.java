package comfy.workbench.manager.tests;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

import comfy.workbench.connection.api.ServerDescriptor;
import comfy.workbench.connection.api.ServerRegistry;
import comfy.workbench.manager.api.ManagerTopics;
import comfy.workbench.manager.api.PlatformManager;
import comfy.workbench.testing.fake.FakeComfyServer;
import comfy.workbench.testing.osgi.Osgi;
import comfy.workbench.testing.osgi.TestPlatform;

/** The platform under a private data folder, the manager configured for quick tests, and its events collected. */
final class ManagerFixture implements AutoCloseable {

    static final String QUEUE = "comfy.workbench.queue.internal.QueueComponent";
    static final String MONITOR = TestPlatform.MONITOR;
    static final String DATA = TestPlatform.DATA;
    static final String HEALTH = "comfy.workbench.connection.internal.ServerHealthComponent";
    static final String MANAGER = "comfy.workbench.manager.internal.ManagerComponent";
    static final List<String> BUILT_IN_CHECKS = List.of("comfy.workbench.manager.internal.ServersReachableCheck",
            "comfy.workbench.manager.internal.MonitorConnectedCheck", "comfy.workbench.manager.internal.QueueHealthCheck",
            "comfy.workbench.manager.internal.DiskSpaceCheck", "comfy.workbench.manager.internal.CachesHealthCheck");

    final List<org.osgi.service.event.Event> events = new CopyOnWriteArrayList<>();
    final List<FakeComfyServer> fakes = new CopyOnWriteArrayList<>();
    final List<String> serverIds = new CopyOnWriteArrayList<>();
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
    private final List<String> disabled = new ArrayList<>();

    static ManagerFixture start(Path data) throws Exception {
        ManagerFixture f = new ManagerFixture();
        TestPlatform.configure(data);
        Osgi.configure("comfy.workbench.queue", QUEUE, Map.of("perServerLimit", 2, "tickMillis", 50L,
                "reconcileRetryMillis", 200L, "fixture", UUID.randomUUID().toString()));
        Osgi.configure("comfy.workbench.manager", MANAGER, Map.of("initialDelayMillis", 0L,
                "recoveryInitialMillis", 50L, "recoveryMaxMillis", 400L, "fixture", UUID.randomUUID().toString()));
        Osgi.service(ServerRegistry.class).remove(ServerDescriptor.DEFAULT_ID);
        Map<String, Object> topics = new HashMap<>();
        topics.put(EventConstants.EVENT_TOPIC, ManagerTopics.ALL);
        f.registrations.add(Osgi.context().registerService(EventHandler.class, f.events::add,
                new java.util.Hashtable<>(topics)));
        return f;
    }

    PlatformManager manager() {
        return Osgi.service(PlatformManager.class);
    }

    String addServer(FakeComfyServer fake) {
        String id = "fake-" + UUID.randomUUID().toString().substring(0, 8);
        Osgi.service(ServerRegistry.class).add(new ServerDescriptor(id, "Fake " + fake.port(), fake.baseUri(), null));
        fakes.add(fake);
        serverIds.add(id);
        return id;
    }

    /** Disables the built-in checks, so that only a test's own checks make the platform's health. */
    void withoutBuiltInChecks() throws Exception {
        ServiceComponentRuntime scr = Osgi.service(ServiceComponentRuntime.class);
        for (String check : BUILT_IN_CHECKS) {
            scr.disableComponent(Osgi.component(check)).getValue();
            disabled.add(check);
        }
        // the built-in checks may have run already: start from a clean slate
        Osgi.await("no check left", () -> manager().health().checks().isEmpty());
        Osgi.await("status OK", () -> manager().health().status() == comfy.workbench.manager.api.HealthStatus.OK);
        events.clear();
    }

    List<org.osgi.service.event.Event> events(String topic) {
        return events.stream().filter(e -> e.getTopic().equals(topic)).toList();
    }

    @Override
    public void close() throws Exception {
        registrations.forEach(ServiceRegistration::unregister);
        ServiceComponentRuntime scr = Osgi.service(ServiceComponentRuntime.class);
        for (String check : disabled) {
            scr.enableComponent(Osgi.component(check)).getValue();
        }
        fakes.forEach(FakeComfyServer::close);
    }
}
