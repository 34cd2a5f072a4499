package comfy.workbench.queue.internal;

import java.util.List;
import java.util.Optional;

import org.osgi.service.component.annotations.Component;

import comfy.workbench.queue.api.DispatchCandidate;
import comfy.workbench.queue.api.DispatchPolicy;
import comfy.workbench.queue.api.Job;

/**
 * For a farm of unlike GPUs: the candidate whose devices had the most free memory at its last health probe, less a
 * share for each prompt already sent to it since (the probe does not see those yet); servers that never reported
 * their devices come last, then the built-in choice decides.
 */
@Component(property = DispatchPolicy.NAME + "=" + MostFreeVramPolicy.NAME)
public final class MostFreeVramPolicy implements DispatchPolicy {

    static final String NAME = "most-free-vram";

    @Override
    public Optional<String> choose(Job job, List<DispatchCandidate> candidates) {
        DispatchCandidate best = null;
        long bestFree = -1;
        for (DispatchCandidate c : candidates) {
            long free = c.vramFree() / (1 + c.inFlight());
            if (free > bestFree || (free == bestFree && c.freeSlots() > best.freeSlots())) {
                best = c;
                bestFree = free;
            }
        }
        return Optional.ofNullable(best).map(DispatchCandidate::serverId);
    }
}
