package comfy.workbench.testing.contracts;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import comfy.workbench.connection.api.ComfyException;
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
import comfy.workbench.queue.api.ServerPolicy;

/**
 * The contract of a {@link DispatchPolicy}: subclass it, return your policy and the service properties you register
 * it with. The queue calls a policy for every waiting job with the servers free for it, described as the queue knows
 * them — some never probed, some without devices, some with several — and sends the job where it answers; the tests
 * put it through such rounds. Override {@link #jobs()} to add the jobs your policy looks at closely (tags, batches).
 */
public abstract class DispatchPolicyContract {

    private static final long GIB = 1L << 30;

    /** The policy under test. */
    protected abstract DispatchPolicy policy() throws Exception;

    /** The service properties it is registered with ({@link DispatchPolicy#NAME} at least). */
    protected abstract Map<String, Object> properties();

    /** Jobs the policy is asked about: by default one of each priority, for any server, a pool and capable ones. */
    protected List<Job> jobs() {
        PromptGraph graph = ContractGraphs.quick(0);
        List<Job> jobs = new ArrayList<>();
        Instant now = Instant.now();
        ServerPolicy[] policies = { ServerPolicy.any(), ServerPolicy.named("a", "b"), ServerPolicy.capable() };
        int n = 0;
        for (Priority priority : Priority.values()) {
            JobRequest request = JobRequest.of(graph).withName("contract " + priority).withPriority(priority)
                    .withPolicy(policies[n % policies.length]).withTags(Set.of("contract"))
                    .withBatch(n % 2 == 0 ? null : "batch-" + n);
            jobs.add(new Job("job-" + n, n, request, priority, JobState.QUEUED, null, n % 2, now, now, null, null));
            n++;
        }
        return jobs;
    }

    /** Rounds of candidates such as the queue gives: one server, unknown ones, down ones, several devices. */
    protected List<List<DispatchCandidate>> rounds() {
        DispatchCandidate a = new DispatchCandidate("a", 2, 0, up("a", device(24 * GIB, 20 * GIB)));
        DispatchCandidate b = new DispatchCandidate("b", 1, 1, up("b", device(12 * GIB, 3 * GIB),
                device(12 * GIB, 11 * GIB)));
        DispatchCandidate unknown = new DispatchCandidate("c", 2, 0, ServerHealth.unknown("c"));
        DispatchCandidate noDevices = new DispatchCandidate("d", 1, 0, up("d"));
        DispatchCandidate degraded = new DispatchCandidate("e", 1, 0, new ServerHealth("e", HealthState.DEGRADED,
                "slow", Optional.of(ComfyException.Kind.TIMEOUT), Optional.empty(), Instant.now(), Optional.empty()));
        return List.of(List.of(a), List.of(unknown), List.of(a, b), List.of(b, a), List.of(unknown, noDevices, b),
                List.of(a, b, unknown, noDevices, degraded));
    }

    private static Device device(long total, long free) {
        return new Device("cuda:0 NVIDIA", "cuda", 0, total, free, total, free);
    }

    private static ServerHealth up(String id, Device... devices) {
        SystemStats stats = new SystemStats("posix", "0.3.64", "3.12", "2.8", "", 64 * GIB, 32 * GIB, false,
                List.of("main.py"), List.of(devices));
        return new ServerHealth(id, HealthState.UP, "ok", Optional.empty(), Optional.of(Duration.ofMillis(3)),
                Instant.now(), Optional.of(new ServerCapabilities(stats, FeatureFlags.NONE, false)));
    }

    @Test
    void isRegisteredUnderAName() {
        Object name = properties().get(DispatchPolicy.NAME);
        assertTrue(name instanceof String s && !s.isBlank(),
                DispatchPolicy.NAME + " must be a non-blank string (the queue's configuration names the policy): "
                        + name);
    }

    @Test
    void choosesOneOfTheCandidatesOrNoneForEveryJobAndRound() throws Exception {
        DispatchPolicy policy = policy();
        for (Job job : jobs()) {
            for (List<DispatchCandidate> round : rounds()) {
                Optional<String> choice = assertDoesNotThrow(() -> policy.choose(job, round),
                        "a policy that throws sends the job by the built-in choice: job " + job.id() + ", candidates "
                                + ids(round));
                assertNotNull(choice, "a policy answers a server or empty, never null: job " + job.id());
                choice.ifPresent(server -> assertTrue(ids(round).contains(server), "chose " + server
                        + ", which is not among the candidates " + ids(round) + " of job " + job.id()));
            }
        }
    }

    private static List<String> ids(List<DispatchCandidate> round) {
        return round.stream().map(DispatchCandidate::serverId).toList();
    }
}
