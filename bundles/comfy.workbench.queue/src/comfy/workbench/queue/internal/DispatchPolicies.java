package comfy.workbench.queue.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import comfy.workbench.queue.api.DispatchCandidate;
import comfy.workbench.queue.api.DispatchPolicy;
import comfy.workbench.queue.api.Job;

/**
 * The registered {@link DispatchPolicy} services by name, and the choice of the one the queue's configuration names.
 * Registrations come from any thread; {@link #choose} runs on the engine thread.
 */
final class DispatchPolicies {

    private static final Logger LOG = LoggerFactory.getLogger(DispatchPolicies.class);

    /**
     * The choice the queue makes itself: the fewest prompts queued (its own and other clients'), then the most free
     * slots, then the first configured. With no other client on the servers, that is the most free slots.
     */
    static Optional<String> builtIn(List<DispatchCandidate> candidates) {
        DispatchCandidate best = null;
        for (DispatchCandidate c : candidates) {
            if (best == null || c.queued() < best.queued()
                    || (c.queued() == best.queued() && c.freeSlots() > best.freeSlots())) {
                best = c;
            }
        }
        return Optional.ofNullable(best).map(DispatchCandidate::serverId);
    }

    private final String configured;
    private final Map<String, DispatchPolicy> registered = new ConcurrentHashMap<>();
    private volatile String lastFailure;
    private String loggedFailure;

    /** @param configured the name of the policy to use; blank for the built-in one */
    DispatchPolicies(String configured) {
        this.configured = configured == null || configured.isBlank() ? DispatchPolicy.BUILT_IN : configured.strip();
    }

    String configured() {
        return configured;
    }

    /** Adds a registered policy; false when its registration has no name (it is then ignored). */
    boolean add(DispatchPolicy policy, Map<String, ?> properties) {
        String name = name(properties);
        if (name == null) {
            LOG.warn("dispatch policy {} ignored: it is registered without the service property {}", policy,
                    DispatchPolicy.NAME);
            return false;
        }
        DispatchPolicy earlier = registered.putIfAbsent(name, policy);
        if (earlier != null && earlier != policy) {
            LOG.warn("dispatch policy {} ignored: {} is registered under the name '{}' already", policy, earlier, name);
            return false;
        }
        return true;
    }

    void remove(DispatchPolicy policy, Map<String, ?> properties) {
        String name = name(properties);
        if (name != null) {
            registered.remove(name, policy);
        }
    }

    private static String name(Map<String, ?> properties) {
        Object name = properties.get(DispatchPolicy.NAME);
        return name instanceof String s && !s.isBlank() ? s.strip() : null;
    }

    /** Why the configured policy does not decide now; empty when it does. */
    Optional<String> problem() {
        if (!configured.equals(DispatchPolicy.BUILT_IN) && !registered.containsKey(configured)) {
            return Optional.of("dispatch policy '" + configured + "' is not registered: jobs wait for it ("
                    + (registered.isEmpty() ? "none is registered" : "registered: " + String.join(", ",
                            registered.keySet().stream().sorted().toList())) + ")");
        }
        return Optional.ofNullable(lastFailure);
    }

    /**
     * The server for {@code job}: the configured policy's choice, or the built-in one when that policy fails; empty
     * to keep the job waiting (the policy said so, or it is not registered).
     */
    Optional<String> choose(Job job, List<DispatchCandidate> candidates) {
        if (configured.equals(DispatchPolicy.BUILT_IN)) {
            return builtIn(candidates);
        }
        DispatchPolicy policy = registered.get(configured);
        if (policy == null) {
            return Optional.empty();
        }
        String failure;
        try {
            Optional<String> choice = policy.choose(job, candidates);
            if (choice == null) {
                failure = "it returned null instead of a server or empty";
            } else if (choice.isEmpty() || candidates.stream().anyMatch(c -> c.serverId().equals(choice.get()))) {
                lastFailure = null;
                return choice;
            } else {
                failure = "it chose " + choice.get() + ", which is not among the candidates "
                        + candidates.stream().map(DispatchCandidate::serverId).toList();
            }
        } catch (Exception | LinkageError e) {
            failure = "it threw " + e;
        }
        String message = "dispatch policy '" + configured + "' failed on job " + job.id() + ": " + failure
                + "; the job went by the built-in choice";
        lastFailure = message;
        // one log line per kind of failure, not one per job and dispatch round
        String kind = failure.replace(job.id(), "");
        if (!kind.equals(loggedFailure)) {
            loggedFailure = kind;
            LOG.warn(message);
        }
        return builtIn(candidates);
    }
}
