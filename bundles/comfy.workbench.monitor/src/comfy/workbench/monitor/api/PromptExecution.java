package comfy.workbench.monitor.api;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import com.google.gson.JsonObject;

import comfy.workbench.model.api.PromptGraph;

/**
 * A snapshot of one tracked prompt: its state, progress, outputs and failure.
 *
 * @param serverId     the server
 * @param promptId     the prompt
 * @param state        where it stands
 * @param trackedAt    when tracking began
 * @param startedAt    when the server started it, or null
 * @param finishedAt   when it reached a terminal state, or null
 * @param nodeIds      the nodes of the submitted graph, empty when the tracker was not told
 * @param cachedNodes  nodes the server took from its cache
 * @param doneNodes    nodes that finished running (including cached ones)
 * @param currentNode  the node running now, or null
 * @param stepValue    step progress of the current node
 * @param stepMax      steps of the current node (0 when unknown)
 * @param nodes        the last {@code progress_state} of every started node
 * @param outputs      node id → UI output ({@code executed} outputs, or the history's outputs after reconciliation)
 * @param failure      why it failed or was interrupted, or null
 * @param reconciled   whether the terminal state came from the server's history rather than the socket
 */
public record PromptExecution(String serverId, String promptId, PromptState state, Instant trackedAt,
        Instant startedAt, Instant finishedAt, Set<String> nodeIds, Set<String> cachedNodes, Set<String> doneNodes,
        String currentNode, double stepValue, double stepMax, Map<String, NodeProgress> nodes,
        Map<String, JsonObject> outputs, ExecutionFailure failure, boolean reconciled) {

    public PromptExecution {
        Objects.requireNonNull(serverId, "serverId");
        Objects.requireNonNull(promptId, "promptId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(trackedAt, "trackedAt");
        nodeIds = Set.copyOf(nodeIds);
        cachedNodes = Set.copyOf(cachedNodes);
        doneNodes = Set.copyOf(doneNodes);
        nodes = Map.copyOf(nodes);
        outputs = copy(outputs);
    }

    @Override
    public Map<String, JsonObject> outputs() {
        return copy(outputs);
    }

    /** Whether the prompt reached its end. */
    public boolean terminal() {
        return state.terminal();
    }

    /**
     * Progress over the whole graph in [0, 1]: finished and cached nodes count whole, the running node by its step
     * progress. Without the graph's node ids it counts the nodes the server reported. 1 once succeeded.
     */
    public double overallProgress() {
        return progressOver(nodeIds);
    }

    private double progressOver(Collection<String> graph) {
        if (state == PromptState.SUCCEEDED) {
            return 1.0;
        }
        int total = graph.isEmpty() ? Math.max(doneNodes.size() + (currentNode == null ? 0 : 1), nodes.size())
                : graph.size();
        if (total == 0) {
            return 0;
        }
        double done = doneNodes.size();
        if (currentNode != null && !doneNodes.contains(currentNode)) {
            done += NodeProgress.fraction(stepValue, stepMax);
        }
        return Math.min(1.0, done / total);
    }

    /**
     * Where the prompt stands, for people: the share of the graph done, the node running (its title, else its class,
     * as the submitted graph names it) and that node's steps — {@code 45 % · KSampler 12/20} — or
     * {@code queued on the server} before it started; empty once it ended.
     *
     * @param graph the submitted graph: its size when the monitor was not told it (its events came before the
     *              prompt was tracked), and the node's name (a node it lacks is named by its id)
     * @since 0.4.0
     */
    public String describe(PromptGraph graph) {
        if (terminal()) {
            return "";
        }
        if (state == PromptState.QUEUED) {
            return "queued on the server";
        }
        String text = Math.round(100 * progressOver(nodeIds.isEmpty() ? graph.ids() : nodeIds)) + " %";
        if (currentNode == null) {
            return text;
        }
        text += " \u00b7 " + graph.node(currentNode)
                .map(n -> n.title() == null || n.title().isBlank() ? n.classType() : n.title())
                .orElse("node " + currentNode);
        return stepMax > 0 ? text + " " + Math.round(stepValue) + "/" + Math.round(stepMax) : text;
    }

    private static Map<String, JsonObject> copy(Map<String, JsonObject> outputs) {
        java.util.LinkedHashMap<String, JsonObject> copy = new java.util.LinkedHashMap<>();
        outputs.forEach((k, v) -> copy.put(k, v.deepCopy()));
        return java.util.Collections.unmodifiableMap(copy);
    }
}
