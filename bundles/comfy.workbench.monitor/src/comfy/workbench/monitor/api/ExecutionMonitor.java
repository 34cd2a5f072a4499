package comfy.workbench.monitor.api;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;

import comfy.workbench.connection.api.FeatureFlags;

/**
 * The monitor: one WebSocket per configured server, kept open for as long as the server is configured, and a
 * tracker of the prompts submitted through it.
 *
 * <p>To run a prompt and hear of its end: submit it with {@link #clientId(String)} as its {@code client_id}, then
 * {@link #track} it as soon as the server accepted it. From then on the monitor follows it over the socket and, after
 * every (re)connect, reconciles it from the server's history, so that exactly one {@link PromptFinishedEvent} reports
 * its end even when events were missed.
 */
@ProviderType
public interface ExecutionMonitor {

    /**
     * The client id the monitor connects to this server with: stable for the installation, so submit prompts with it
     * to receive their events.
     */
    String clientId(String serverId);

    /**
     * The server's answer to the monitor's feature-flag handshake on the current socket (what it will send: preview
     * metadata, upload size limit, ...), empty until it came or for a server that does not answer it.
     */
    Optional<FeatureFlags> featureFlags(String serverId);

    /** The state of the socket to this server ({@link ConnectionState#STOPPED} for an unknown server). */
    ConnectionState connectionState(String serverId);

    /**
     * Starts following a prompt the server accepted. Tracking a prompt twice is harmless.
     *
     * @param serverId the server it was submitted to
     * @param promptId its prompt id
     * @param nodeIds  the node ids of the submitted graph (for overall progress), or empty
     * @return the prompt's snapshot now
     */
    PromptExecution track(String serverId, String promptId, Collection<String> nodeIds);

    /**
     * Starts following a prompt the server accepted, sent when this monitor's socket may already have been
     * registered. Without the time it was sent, the monitor looks up the end of every prompt tracked near a
     * (re)connect, in case the prompt ran while no socket was registered for the client id; with it, only of those
     * sent before the socket was.
     *
     * @param sent when the prompt was sent (before the request left)
     * @see #track(String, String, Collection)
     * @since 0.3.0
     */
    PromptExecution track(String serverId, String promptId, Collection<String> nodeIds, Instant sent);

    /** The latest snapshot of a tracked prompt (finished prompts are kept for a while). */
    Optional<PromptExecution> execution(String serverId, String promptId);

    /** Snapshots of the prompts tracked on this server that have not finished. */
    List<PromptExecution> unfinished(String serverId);

    /**
     * Completes with the final snapshot when the prompt reaches its end (at once if it already did); fails with
     * {@link IllegalArgumentException} if the prompt is not tracked.
     */
    CompletionStage<PromptExecution> completion(String serverId, String promptId);

    /**
     * Stops following a prompt without reporting an end (for a caller that cancelled it and no longer cares); for a
     * prompt that has ended, forgets how, so that the same prompt id can be tracked afresh (submitted again after the
     * server lost it).
     */
    void untrack(String serverId, String promptId);

    /** Closes and reopens the socket to a server now, then reconciles. */
    void reconnect(String serverId);
}
