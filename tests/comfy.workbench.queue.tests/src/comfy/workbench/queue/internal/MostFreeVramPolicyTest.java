package comfy.workbench.queue.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import comfy.workbench.connection.api.Device;
import comfy.workbench.connection.api.FeatureFlags;
import comfy.workbench.connection.api.HealthState;
import comfy.workbench.connection.api.ServerCapabilities;
import comfy.workbench.connection.api.ServerHealth;
import comfy.workbench.connection.api.SystemStats;
import comfy.workbench.model.api.PromptGraph;
import comfy.workbench.queue.api.DispatchCandidate;
import comfy.workbench.queue.api.DispatchPolicy;
import comfy.workbench.queue.api.Job;
import comfy.workbench.queue.api.JobRequest;
import comfy.workbench.queue.api.JobState;
import comfy.workbench.queue.api.Priority;
import comfy.workbench.testing.contracts.DispatchPolicyContract;
import comfy.workbench.testing.fake.TestPrompts;
import comfy.workbench.testing.osgi.Osgi;

class MostFreeVramPolicyTest {

    private static final long GIB = 1L << 30;
    private final MostFreeVramPolicy policy = new MostFreeVramPolicy();
    private final Job job = new Job("j", 1, JobRequest.of(PromptGraph.parse(TestPrompts.quick(1, "v"), "quick")),
            Priority.NORMAL, JobState.QUEUED, null, 0, Instant.EPOCH, Instant.EPOCH, null, null);

    private static DispatchCandidate server(String id, int freeSlots, int inFlight, long... freePerDevice) {
        List<Device> devices = new java.util.ArrayList<>();
        for (int i = 0; i < freePerDevice.length; i++) {
            devices.add(new Device("cuda:" + i, "cuda", i, 24 * GIB, freePerDevice[i], 24 * GIB, freePerDevice[i]));
        }
        SystemStats stats = new SystemStats("posix", "0.3.64", "", "", "", 0, 0, false, List.of(), devices);
        return new DispatchCandidate(id, freeSlots, inFlight, new ServerHealth(id, HealthState.UP, "ok",
                Optional.empty(), Optional.of(Duration.ofMillis(1)), Instant.EPOCH,
                Optional.of(new ServerCapabilities(stats, FeatureFlags.NONE, false))));
    }

    @Test
    void prefersTheServerWhoseDevicesHaveTheMostFreeMemory() {
        assertEquals(Optional.of("big"), policy.choose(job, List.of(server("small", 2, 0, 6 * GIB),
                server("big", 1, 0, 20 * GIB), server("two", 2, 0, 4 * GIB, 5 * GIB))));
        assertEquals(Optional.of("two"), policy.choose(job, List.of(server("small", 2, 0, 6 * GIB),
                server("two", 1, 0, 4 * GIB, 5 * GIB))), "the devices of a server add up");
    }

    @Test
    void sharesAServersFreeMemoryAmongThePromptsAlreadySentToIt() {
        // 20 GiB with one prompt in flight counts as 10, below an idle 12
        assertEquals(Optional.of("idle"), policy.choose(job, List.of(server("busy", 1, 1, 20 * GIB),
                server("idle", 2, 0, 12 * GIB))));
    }

    @Test
    void serversThatNeverReportedTheirDevicesComeLastAndEqualsGoByFreeSlots() {
        DispatchCandidate unknown = new DispatchCandidate("unknown", 2, 0, ServerHealth.unknown("unknown"));
        assertEquals(Optional.of("known"), policy.choose(job, List.of(unknown, server("known", 1, 0, GIB))));
        DispatchCandidate alsoUnknown = new DispatchCandidate("roomier", 3, 0, ServerHealth.unknown("roomier"));
        assertEquals(Optional.of("roomier"), policy.choose(job, List.of(unknown, alsoUnknown)));
    }

    @Nested
    class Contract extends DispatchPolicyContract {
        @Override
        protected DispatchPolicy policy() {
            return new MostFreeVramPolicy();
        }

        @Override
        protected Map<String, Object> properties() {
            return Osgi.component(MostFreeVramPolicy.class.getName()).properties; // as registered
        }
    }
}
