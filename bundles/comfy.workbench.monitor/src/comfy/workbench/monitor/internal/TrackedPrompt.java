package comfy.workbench.monitor.internal;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import com.google.gson.JsonObject;

import comfy.workbench.monitor.api.ExecutionFailure;
import comfy.workbench.monitor.api.NodeProgress;
import comfy.workbench.monitor.api.PromptExecution;
import comfy.workbench.monitor.api.PromptState;

/** The mutable state of one tracked prompt; guarded by its {@link PromptTracker}. */
final class TrackedPrompt {

    final String serverId;
    final String promptId;
    final Instant trackedAt;
    final CompletableFuture<PromptExecution> completion = new CompletableFuture<>();
    Set<String> nodeIds = Set.of();
    PromptState state = PromptState.QUEUED;
    Instant startedAt;
    Instant finishedAt;
    final Set<String> cachedNodes = new LinkedHashSet<>();
    final Set<String> doneNodes = new LinkedHashSet<>();
    String currentNode;
    double stepValue;
    double stepMax;
    final Map<String, NodeProgress> nodes = new HashMap<>();
    final Map<String, JsonObject> outputs = new LinkedHashMap<>();
    ExecutionFailure failure;
    boolean reconciled;
    /** Whether this prompt's execution_start came over the socket: without it, earlier events may be missing. */
    boolean sawStart;

    TrackedPrompt(String serverId, String promptId, Instant trackedAt) {
        this.serverId = serverId;
        this.promptId = promptId;
        this.trackedAt = trackedAt;
    }

    /** Enters {@code running} on the first sign of it. */
    void running(Instant at) {
        if (state == PromptState.QUEUED) {
            state = PromptState.RUNNING;
            startedAt = at;
        }
    }

    /** The node that was running finished; {@code next} (may be null) runs now. */
    void advance(String next) {
        if (currentNode != null && !currentNode.equals(next)) {
            doneNodes.add(currentNode);
        }
        currentNode = next;
        stepValue = 0;
        stepMax = 0;
    }

    PromptExecution snapshot() {
        return new PromptExecution(serverId, promptId, state, trackedAt, startedAt, finishedAt, nodeIds, cachedNodes,
                doneNodes, currentNode, stepValue, stepMax, nodes, outputs, failure, reconciled);
    }
}
