package comfy.workbench.monitor.api;

import java.util.List;

/**
 * Why a prompt did not run to its end: the node that failed or was interrupted and, for errors, the exception.
 *
 * @param nodeId           the node that failed or was running when interrupted, may be null
 * @param nodeType         its class type, may be null
 * @param executed         the nodes that had finished before
 * @param exceptionType    the Python exception type, {@code null} for an interruption
 * @param exceptionMessage the exception message, {@code null} for an interruption
 * @param traceback        the Python traceback lines, empty for an interruption
 */
public record ExecutionFailure(String nodeId, String nodeType, List<String> executed, String exceptionType,
        String exceptionMessage, List<String> traceback) {

    public ExecutionFailure {
        executed = executed == null ? List.of() : List.copyOf(executed);
        traceback = traceback == null ? List.of() : List.copyOf(traceback);
    }

    /** A one-line description for logs and status bars. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        if (exceptionType != null) {
            b.append(exceptionType).append(": ").append(exceptionMessage == null ? "" : exceptionMessage.strip());
        } else {
            b.append("interrupted");
        }
        if (nodeId != null) {
            b.append(" (node ").append(nodeId);
            if (nodeType != null) {
                b.append(' ').append(nodeType);
            }
            b.append(')');
        }
        return b.toString();
    }
}
