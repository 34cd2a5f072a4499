package comfy.workbench.example.renderlog;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.service.component.annotations.Component;

import comfy.workbench.queue.api.DispatchCandidate;
import comfy.workbench.queue.api.DispatchPolicy;
import comfy.workbench.queue.api.Job;

/**
 * Dispatch policy "round-robin": each job goes to the free server that this policy chose longest ago (never chosen
 * first, then in configured order), so that the work of a batch spreads evenly over like servers even when the
 * built-in choice would keep filling the first one. Select it with the queue's {@code dispatchPolicy} setting or
 * {@code comfy run --dispatch-policy round-robin}.
 */
@Component(property = DispatchPolicy.NAME + "=" + RoundRobinPolicy.NAME)
public final class RoundRobinPolicy implements DispatchPolicy {

    static final String NAME = "round-robin";

    private final Map<String, Long> lastChosen = new HashMap<>();
    private long turn;

    @Override
    public synchronized Optional<String> choose(Job job, List<DispatchCandidate> candidates) {
        String best = null;
        long bestTurn = Long.MAX_VALUE;
        for (DispatchCandidate c : candidates) {
            long last = lastChosen.getOrDefault(c.serverId(), -1L);
            if (last < bestTurn) {
                best = c.serverId();
                bestTurn = last;
            }
        }
        if (best != null) {
            lastChosen.put(best, turn++);
        }
        return Optional.ofNullable(best);
    }
}
