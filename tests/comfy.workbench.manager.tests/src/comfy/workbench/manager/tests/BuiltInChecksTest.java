package comfy.workbench.manager.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Hashtable;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.ServiceRegistration;

import comfy.workbench.manager.api.CheckResult;
import comfy.workbench.manager.api.HealthReport;
import comfy.workbench.manager.api.HealthStatus;
import comfy.workbench.manager.api.PlatformManager;
import comfy.workbench.queue.api.DispatchPolicy;
import comfy.workbench.testing.fake.FakeComfyServer;
import comfy.workbench.testing.fake.Stall;
import comfy.workbench.testing.osgi.Eventually;
import comfy.workbench.testing.osgi.Osgi;

class BuiltInChecksTest {

    @TempDir
    Path data;
    private ManagerFixture fixture;

    @BeforeEach
    void start() throws Exception {
        fixture = ManagerFixture.start(data);
    }

    @AfterEach
    void stop() throws Exception {
        fixture.close();
    }

    private static Optional<CheckResult> check(HealthReport report, String name, HealthStatus status) {
        return report.checks().stream().filter(c -> c.name().equals(name) && c.status() == status).findFirst();
    }

    @Test
    void builtInChecksFollowAServerThatGoesAwayAndComesBack() throws Exception {
        PlatformManager manager = fixture.manager();
        FakeComfyServer fake = FakeComfyServer.builder().start();
        String id = fixture.addServer(fake);

        CheckResult reachable = Eventually.value("servers reachable OK",
                () -> check(manager.checkNow(), "servers reachable", HealthStatus.OK));
        assertEquals("1 of 1 servers reachable", reachable.result().message());
        Eventually.value("monitor connected OK", () -> check(manager.checkNow(), "monitor connected", HealthStatus.OK));
        HealthReport report = manager.checkNow();
        CheckResult queue = check(report, "queue", HealthStatus.OK).orElseThrow(() -> new AssertionError(report));
        assertEquals("0 running; job store writable", queue.result().message());
        CheckResult disk = report.checks().stream().filter(c -> c.name().equals("disk space")).findFirst().orElseThrow();
        assertTrue(disk.result().message().contains("MiB free for " + data), disk.result().message());
        assertTrue(disk.tags().contains("storage"));
        CheckResult caches = check(report, "caches", HealthStatus.OK).orElseThrow(() -> new AssertionError(report));
        assertTrue(caches.result().message().endsWith("caches healthy"), caches.result().message());

        fake.refuseConnections(true);
        fake.dropWebSockets();
        CheckResult down = Eventually.value("servers reachable CRITICAL",
                () -> check(manager.checkNow(), "servers reachable", HealthStatus.CRITICAL));
        assertTrue(down.result().message().startsWith("unreachable: " + id + " (" + fake.baseUri()),
                down.result().message());
        // its socket is closed too, and put down to the server being down (the servers check's CRITICAL says why)
        CheckResult closed = Eventually.value("monitor connected WARN, server down",
                () -> check(manager.checkNow(), "monitor connected", HealthStatus.WARN)
                        .filter(r -> r.result().message().contains("server down")));
        assertTrue(closed.result().message().startsWith("no event stream from " + id), closed.result().message());
        assertNotEquals(HealthStatus.OK, manager.health().status());
        assertTrue(manager.health().reasons().stream().anyMatch(r -> r.startsWith("servers reachable: unreachable: " + id)),
                manager.health().reasons().toString());

        fake.refuseConnections(false);
        Eventually.value("servers reachable OK again", () -> check(manager.checkNow(), "servers reachable", HealthStatus.OK));
        Eventually.value("monitor connected OK again", () -> check(manager.checkNow(), "monitor connected", HealthStatus.OK));

        // a server that answers over HTTP but whose event stream does not come back is this check's CRITICAL
        try (Stall ws = fake.stall("GET /ws")) {
            fake.dropWebSockets();
            CheckResult stuck = Eventually.value("monitor connected CRITICAL",
                    () -> check(manager.checkNow(), "monitor connected", HealthStatus.CRITICAL));
            assertTrue(stuck.result().message().startsWith("no event stream from " + id + " (")
                    && !stuck.result().message().contains("server down"), stuck.result().message());
        }
        Eventually.value("monitor connected OK once the stream is back",
                () -> check(manager.checkNow(), "monitor connected", HealthStatus.OK));
    }

    @Test
    void theQueueCheckWarnsWhileTheDispatchPolicyTheQueueIsConfiguredWithIsNotRegistered() throws Exception {
        String name = "studio-" + UUID.randomUUID().toString().substring(0, 8);
        Osgi.configure("comfy.workbench.queue", ManagerFixture.QUEUE, Map.of("perServerLimit", 2,
                "dispatchPolicy", name, "fixture", UUID.randomUUID().toString()));
        PlatformManager manager = fixture.manager();
        // (the queue is restarted with the new configuration: WARN "not running" first)
        CheckResult waiting = Eventually.value("queue WARN of the dispatch policy", () -> check(manager.checkNow(),
                "queue", HealthStatus.WARN).filter(r -> r.result().message().contains("dispatch policy")));
        assertTrue(waiting.result().message().startsWith("dispatch policy '" + name + "' is not registered: jobs wait"),
                waiting.result().message());

        Hashtable<String, Object> properties = new Hashtable<>(Map.of(DispatchPolicy.NAME, name));
        ServiceRegistration<DispatchPolicy> policy = Osgi.context().registerService(DispatchPolicy.class,
                (job, candidates) -> Optional.of(candidates.get(0).serverId()), properties);
        try {
            CheckResult ok = Eventually.value("queue OK", () -> check(manager.checkNow(), "queue", HealthStatus.OK));
            assertEquals("0 running; job store writable; dispatch policy " + name, ok.result().message());
        } finally {
            policy.unregister();
        }
    }

    @Test
    void theQueueCheckSaysWhereOtherClientsPromptsAreQueued() throws Exception {
        PlatformManager manager = fixture.manager();
        FakeComfyServer fake = FakeComfyServer.builder().start();
        String id = fixture.addServer(fake);
        try (Stall held = fake.holdNode(FakeComfyServer.OTHER_CLIENT_NODE)) {
            fake.queueFromAnotherClient("another-artist", 2);
            CheckResult ok = Eventually.value("queue OK naming the other client's prompts", () -> check(
                    manager.checkNow(), "queue", HealthStatus.OK).filter(r -> r.result().message().contains("other")));
            assertEquals("0 running; job store writable; prompts of other clients queued on " + id + ": 2",
                    ok.result().message());
        }
        Eventually.value("queue OK without them once they ran", () -> check(manager.checkNow(), "queue",
                HealthStatus.OK).filter(r -> r.result().message().equals("0 running; job store writable")));
    }

    @Test
    void aServerThatDoesNotAnswerIsNamedByTheServersCheckWhileTheOthersCount() throws Exception {
        PlatformManager manager = fixture.manager();
        FakeComfyServer answering = FakeComfyServer.builder().start();
        FakeComfyServer frozen = FakeComfyServer.builder().start();
        fixture.addServer(answering);
        String id = fixture.addServer(frozen);
        Eventually.value("both reachable", () -> check(manager.checkNow(), "servers reachable", HealthStatus.OK));
        try (Stall stalled = frozen.stall(".*")) {
            CheckResult warn = Eventually.value("servers reachable WARN", () -> check(manager.checkNow(),
                    "servers reachable", HealthStatus.WARN));
            String message = warn.result().message();
            assertTrue(message.startsWith("unreachable: " + id + " (" + frozen.baseUri())
                    && message.endsWith("): no answer within 12 s (a frozen server or a network problem)"), message);
        }
    }
}
