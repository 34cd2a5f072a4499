package comfy.workbench.workflows.api;

import java.util.Objects;

/**
 * One problem a validation found, flattened for display and comparison.
 *
 * @param nodeId    the node at fault; {@code ""} for a problem of the whole prompt ({@code prompt_no_outputs})
 * @param classType the node's class, {@code ""} when unknown
 * @param inputName the input at fault, {@code ""} when none
 * @param type      the server's error category, e.g. {@code value_not_in_list}
 * @param message   the server's message
 * @param details   the server's details
 */
public record Finding(String nodeId, String classType, String inputName, String type, String message, String details) {

    public Finding {
        nodeId = nodeId == null ? "" : nodeId;
        classType = classType == null ? "" : classType;
        inputName = inputName == null ? "" : inputName;
        Objects.requireNonNull(type, "type");
        message = message == null ? "" : message;
        details = details == null ? "" : details;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        if (!nodeId.isEmpty()) {
            b.append("node ").append(nodeId);
            if (!classType.isEmpty()) {
                b.append(" (").append(classType).append(')');
            }
            if (!inputName.isEmpty()) {
                b.append(" input ").append(inputName);
            }
            b.append(": ");
        }
        b.append(type).append(": ").append(message);
        if (!details.isEmpty()) {
            b.append(" - ").append(details);
        }
        return b.toString();
    }
}
