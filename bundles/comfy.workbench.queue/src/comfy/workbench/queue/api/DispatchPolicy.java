package comfy.workbench.queue.api;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard service: decides which server runs a waiting job, among the servers its {@link ServerPolicy} allows that
 * have a free slot now. A server with at least as many prompts queued (other clients' included) as one the job may go
 * to that is full of this client's own prompts is not offered: the job waits for a slot on that one rather than queue behind
 * other clients' prompts. Register it with the service property {@link #NAME}; the queue uses the policy its
 * configuration names ({@code dispatchPolicy} of PID {@code comfy.workbench.queue}), by default {@link #BUILT_IN}.
 * While the named policy is not registered, jobs wait for it and the queue's diagnostics say so: a studio's policy may
 * keep work off some servers, and another policy would not.
 * <p>
 * Called on the queue's engine thread, for each waiting job every time the queue dispatches (a job ends, a server
 * comes back, a job is submitted): return quickly, with no I/O; what the queue knows of each server is in its
 * {@link DispatchCandidate}. A policy that throws, or names a server that is not a candidate, has failed: the job
 * goes by the built-in choice that time, and the failure is in {@link QueueDiagnostics#dispatchProblem()}.
 */
@ConsumerType
@FunctionalInterface
public interface DispatchPolicy {

    /** Service property: the policy's name, as the queue's configuration gives it. */
    String NAME = "dispatch.policy";

    /**
     * The queue's own policy: the candidate with the fewest prompts {@link DispatchCandidate#queued() queued}, then
     * the most free slots, then the first configured. (Named for what it does when no other client uses the servers.)
     */
    String BUILT_IN = "most-free-slots";

    /**
     * The server to send {@code job} to now.
     *
     * @param job        the waiting job (its request has the graph, priority, tags and batch)
     * @param candidates the servers it may go to now, in the order they are configured; never empty
     * @return one of the candidates' {@link DispatchCandidate#serverId() ids}, or empty to keep the job waiting
     */
    Optional<String> choose(Job job, List<DispatchCandidate> candidates) throws Exception;
}
