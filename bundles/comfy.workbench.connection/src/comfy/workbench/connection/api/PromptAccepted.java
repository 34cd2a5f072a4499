package comfy.workbench.connection.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import comfy.workbench.model.api.NodeError;

/**
 * The server queued a prompt: {@code {prompt_id, number, node_errors}}.
 *
 * @param promptId   the server's id for the prompt: the one the client chose on servers that honour
 *                   {@code prompt_id} (all current ones), a server-made one on old servers
 * @param number     its queue position key: the server's counter, negative for {@code front}, or the client's value
 * @param nodeErrors nodes that failed validation; their dependent outputs were dropped, the rest will run
 */
public record PromptAccepted(String promptId, double number, Map<String, NodeError> nodeErrors) {

    public PromptAccepted {
        Objects.requireNonNull(promptId, "promptId");
        nodeErrors = Collections.unmodifiableMap(new LinkedHashMap<>(nodeErrors));
    }

    /** Whether some outputs were dropped because their nodes failed validation. */
    public boolean partiallyAccepted() {
        return !nodeErrors.isEmpty();
    }
}
