package comfy.workbench.monitor.api;

import java.util.Objects;

/**
 * The progress of one node in a {@code progress_state} message.
 *
 * @param nodeId        the node id as executed
 * @param value         progress value
 * @param max           progress maximum
 * @param state         running, finished or error
 * @param displayNodeId the node to show it on, may be null
 * @param parentNodeId  the parent node of a node expanded from a subgraph, may be null
 * @param realNodeId    the node in the submitted graph, may be null
 */
public record NodeProgress(String nodeId, double value, double max, NodeState state, String displayNodeId,
        String parentNodeId, String realNodeId) {

    /** The state of a node as {@code progress_state} reports it. */
    public enum NodeState {
        RUNNING, FINISHED, ERROR,
        /** A state this version does not know. */
        OTHER;

        /** Decodes the server's spelling ({@code "running"}, ...). */
        public static NodeState of(String wire) {
            if (wire == null) {
                return OTHER;
            }
            return switch (wire) {
                case "running" -> RUNNING;
                case "finished" -> FINISHED;
                case "error" -> ERROR;
                default -> OTHER;
            };
        }
    }

    public NodeProgress {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(state, "state");
    }

    /** {@code value / max} in [0, 1]; 1 for a finished node. */
    public double fraction() {
        return state == NodeState.FINISHED ? 1.0 : fraction(value, max);
    }

    static double fraction(double value, double max) {
        if (!(max > 0) || Double.isNaN(value)) {
            return 0;
        }
        return Math.max(0, Math.min(1, value / max));
    }
}
