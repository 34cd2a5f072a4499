package comfy.workbench.queue.api;

import java.util.Objects;

import comfy.workbench.connection.api.ServerHealth;

/**
 * A server a waiting job may be sent to now, as the queue sees it.
 *
 * @param serverId  the server's id in the registry
 * @param freeSlots how many more prompts the queue may send it now (at least 1)
 * @param inFlight  the prompts the queue has sent it that have not finished
 * @param health    its last health probe (with its devices' free memory, when it answered)
 */
public record DispatchCandidate(String serverId, int freeSlots, int inFlight, ServerHealth health) {

    public DispatchCandidate {
        Objects.requireNonNull(serverId, "serverId");
        Objects.requireNonNull(health, "health");
        if (freeSlots < 1 || inFlight < 0) {
            throw new IllegalArgumentException("a candidate has a free slot and no negative count: " + freeSlots
                    + " free, " + inFlight + " in flight");
        }
    }

    /** The free memory of all its devices by its last probe, in bytes; 0 when unknown. */
    public long vramFree() {
        return health.capabilities().map(c -> c.stats().devices().stream().mapToLong(d -> Math.max(0, d.vramFree()))
                .sum()).orElse(0L);
    }
}
