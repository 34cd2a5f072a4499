package comfy.workbench.queue.api;

import java.util.Objects;

import comfy.workbench.connection.api.ServerHealth;

/**
 * A server a waiting job may be sent to now, as the queue sees it.
 *
 * @param serverId  the server's id in the registry
 * @param freeSlots how many more prompts the queue may send it now (at least 1)
 * @param inFlight  the prompts the queue has sent it that have not finished
 * @param queued    the prompts running or waiting on the server, this client's and other clients' (a job sent now
 *                  waits for them): its last status message's count, and at least {@code inFlight}
 * @param health    its last health probe (with its devices' free memory, when it answered)
 */
public record DispatchCandidate(String serverId, int freeSlots, int inFlight, int queued, ServerHealth health) {

    public DispatchCandidate {
        Objects.requireNonNull(serverId, "serverId");
        Objects.requireNonNull(health, "health");
        if (freeSlots < 1 || inFlight < 0 || queued < inFlight) {
            throw new IllegalArgumentException("a candidate has a free slot, no negative count and at least its own "
                    + "prompts queued: " + freeSlots + " free, " + inFlight + " in flight, " + queued + " queued");
        }
    }

    /** A candidate on which nothing but this client's own prompts is queued. */
    public DispatchCandidate(String serverId, int freeSlots, int inFlight, ServerHealth health) {
        this(serverId, freeSlots, inFlight, inFlight, health);
    }

    /** The prompts of other clients running or waiting on the server, by its last status message. */
    public int othersQueued() {
        return queued - inFlight;
    }

    /** The free memory of all its devices by its last probe, in bytes; 0 when unknown. */
    public long vramFree() {
        return health.capabilities().map(c -> c.stats().devices().stream().mapToLong(d -> Math.max(0, d.vramFree()))
                .sum()).orElse(0L);
    }
}
