package comfy.workbench.monitor.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

import com.google.gson.JsonObject;

import comfy.workbench.monitor.api.ExecutedEvent;
import comfy.workbench.monitor.api.ExecutingEvent;
import comfy.workbench.monitor.api.ExecutionCachedEvent;
import comfy.workbench.monitor.api.ExecutionErrorEvent;
import comfy.workbench.monitor.api.ExecutionFailure;
import comfy.workbench.monitor.api.ExecutionInterruptedEvent;
import comfy.workbench.monitor.api.ExecutionStartEvent;
import comfy.workbench.monitor.api.ExecutionSuccessEvent;
import comfy.workbench.monitor.api.MonitorEvent;
import comfy.workbench.monitor.api.NodeProgress;
import comfy.workbench.monitor.api.ProgressEvent;
import comfy.workbench.monitor.api.ProgressStateEvent;
import comfy.workbench.monitor.api.PromptExecution;
import comfy.workbench.monitor.api.PromptFinishedEvent;
import comfy.workbench.monitor.api.PromptState;

/**
 * The prompts of one server the monitor follows. Socket events and reconciliation both end prompts through here;
 * a prompt ends once: the first terminal fact wins and produces the one {@link PromptFinishedEvent}.
 */
final class PromptTracker {

    private final String serverId;
    private final Executor completions;
    private final int retention;
    private final Map<String, TrackedPrompt> unfinished = new HashMap<>();
    /** Recently finished prompts, oldest first, so that late events and queries still find them. */
    private final LinkedHashMap<String, TrackedPrompt> finished;
    private boolean incompleteEnds;

    /**
     * @param completions runs the completion of {@link #completion} futures, so that callers' continuations never
     *                    run on a socket thread
     * @param retention   how many finished prompts to remember
     */
    PromptTracker(String serverId, Executor completions, int retention) {
        this.serverId = serverId;
        this.completions = completions;
        this.retention = retention;
        this.finished = new LinkedHashMap<>(16, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, TrackedPrompt> eldest) {
                return size() > PromptTracker.this.retention;
            }
        };
    }

    synchronized PromptExecution track(String promptId, Collection<String> nodeIds, Instant now) {
        TrackedPrompt p = find(promptId);
        if (p == null) {
            p = new TrackedPrompt(serverId, promptId, now);
            unfinished.put(promptId, p);
        }
        if (nodeIds != null && !nodeIds.isEmpty()) {
            p.nodeIds = Set.copyOf(nodeIds);
        }
        return p.snapshot();
    }

    synchronized void untrack(String promptId) {
        TrackedPrompt p = unfinished.remove(promptId);
        if (p != null) {
            p.completion.cancel(false);
        } else {
            finished.remove(promptId); // so that the id can be tracked afresh (resubmitted after a loss)
        }
    }

    synchronized Optional<PromptExecution> snapshot(String promptId) {
        TrackedPrompt p = find(promptId);
        return p == null ? Optional.empty() : Optional.of(p.snapshot());
    }

    synchronized List<PromptExecution> unfinishedSnapshots() {
        List<PromptExecution> list = new ArrayList<>(unfinished.size());
        for (TrackedPrompt p : unfinished.values()) {
            list.add(p.snapshot());
        }
        return list;
    }

    synchronized List<String> unfinishedIds() {
        return List.copyOf(unfinished.keySet());
    }

    synchronized boolean isUnfinished(String promptId) {
        return unfinished.containsKey(promptId);
    }

    synchronized CompletionStage<PromptExecution> completion(String promptId) {
        TrackedPrompt p = find(promptId);
        if (p == null) {
            return CompletableFuture.failedFuture(
                    new IllegalArgumentException("prompt " + promptId + " is not tracked on server " + serverId));
        }
        // a copy: callers must not be able to complete the tracker's own future
        return p.completion.copy();
    }

    /**
     * Applies a socket event to its prompt.
     *
     * @return the prompt's end when this event ended it, else null
     */
    PromptFinishedEvent apply(MonitorEvent event) {
        String promptId = event.promptId();
        if (promptId == null) {
            return null;
        }
        synchronized (this) {
            TrackedPrompt p = unfinished.get(promptId);
            if (p == null) {
                if (!(event instanceof ExecutionStartEvent) || finished.containsKey(promptId)) {
                    // late socket events of a prompt the history already ended are hints that came too late
                    return null;
                }
                // our socket gets execution_start only for prompts submitted with our client id: follow them too
                p = new TrackedPrompt(serverId, promptId, event.receivedAt());
                unfinished.put(promptId, p);
            }
            return update(p, event);
        }
    }

    private PromptFinishedEvent update(TrackedPrompt p, MonitorEvent event) {
        Instant at = event.receivedAt();
        if (event instanceof ProgressEvent e) {
            p.running(at);
            if (e.node() != null && !e.node().equals(p.currentNode)) {
                p.advance(e.node());
            }
            p.stepValue = e.value();
            p.stepMax = e.max();
        } else if (event instanceof ProgressStateEvent e) {
            p.running(at);
            p.nodes.putAll(e.nodes());
            for (NodeProgress n : e.nodes().values()) {
                if (n.state() == NodeProgress.NodeState.FINISHED) {
                    p.doneNodes.add(n.realNodeId() != null ? n.realNodeId() : n.nodeId());
                }
            }
        } else if (event instanceof ExecutingEvent e) {
            if (e.promptDone()) {
                // execution_success/_error/_interrupted normally came first; without one, the prompt still ended well
                return succeeded(p, at);
            }
            p.running(at);
            p.advance(e.node());
        } else if (event instanceof ExecutionStartEvent) {
            p.running(at);
            p.sawStart = true;
        } else if (event instanceof ExecutionCachedEvent e) {
            p.running(at);
            p.cachedNodes.addAll(e.nodes());
            p.doneNodes.addAll(e.nodes());
        } else if (event instanceof ExecutedEvent e) {
            p.outputs.put(e.node(), e.output());
            p.doneNodes.add(e.node());
        } else if (event instanceof ExecutionSuccessEvent) {
            return succeeded(p, at);
        } else if (event instanceof ExecutionErrorEvent e) {
            return finish(p, PromptState.FAILED, null, e.failure(), false, at);
        } else if (event instanceof ExecutionInterruptedEvent e) {
            return finish(p, PromptState.INTERRUPTED, null, e.failure(), false, at);
        }
        return null;
    }

    /**
     * A success over the socket ends the prompt with the outputs its {@code executed} messages carried, if the socket
     * saw it from its start. Otherwise some of them went nowhere (the prompt began before this socket was registered):
     * the prompt waits for {@link #takeIncompleteEnds()} callers to reconcile it from the history, which has them all.
     */
    private PromptFinishedEvent succeeded(TrackedPrompt p, Instant at) {
        p.advance(null);
        if (!p.sawStart) {
            incompleteEnds = true;
            return null;
        }
        return finish(p, PromptState.SUCCEEDED, null, null, false, at);
    }

    /** Whether a prompt ended over the socket without its start, and must be reconciled; clears the flag. */
    synchronized boolean takeIncompleteEnds() {
        boolean any = incompleteEnds;
        incompleteEnds = false;
        return any;
    }

    /**
     * Ends a prompt from what the server's history (or its absence) says.
     *
     * @return the prompt's end, or null if it had already ended or is not tracked
     */
    synchronized PromptFinishedEvent reconcile(String promptId, PromptState state, Map<String, JsonObject> outputs,
            ExecutionFailure failure, Instant at) {
        TrackedPrompt p = unfinished.get(promptId);
        if (p == null) {
            return null;
        }
        p.advance(null);
        return finish(p, state, outputs, failure, true, at);
    }

    /** The server says the prompt is running (seen in its queue during reconciliation). */
    synchronized void runningOnServer(String promptId, Instant at) {
        TrackedPrompt p = unfinished.get(promptId);
        if (p != null) {
            p.running(at);
        }
    }

    private PromptFinishedEvent finish(TrackedPrompt p, PromptState state, Map<String, JsonObject> outputs,
            ExecutionFailure failure, boolean reconciled, Instant at) {
        unfinished.remove(p.promptId);
        p.state = state;
        p.finishedAt = at;
        p.failure = failure;
        p.reconciled = reconciled;
        if (outputs != null) {
            // the history has every output, including those of cached nodes that sent no 'executed'
            p.outputs.clear();
            p.outputs.putAll(outputs);
        }
        finished.put(p.promptId, p);
        PromptExecution snapshot = p.snapshot();
        completions.execute(() -> p.completion.complete(snapshot));
        return new PromptFinishedEvent(serverId, at, snapshot);
    }

    private TrackedPrompt find(String promptId) {
        TrackedPrompt p = unfinished.get(promptId);
        return p != null ? p : finished.get(promptId);
    }
}
