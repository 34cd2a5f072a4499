package comfy.workbench.connection.api;

import java.util.Objects;

import comfy.workbench.model.api.PromptValidationFailure;

/**
 * The server refused a prompt with HTTP 400 and {@code {error, node_errors}}: no output node of the prompt
 * validated, or the request itself was wrong ({@code invalid_prompt}, {@code no_prompt}, {@code invalid_prompt_id}).
 * Nothing was queued. Kind {@link ComfyException.Kind#PROMPT_REJECTED}.
 */
public final class PromptRejectedException extends ComfyException {

    private static final long serialVersionUID = 1L;

    private final transient PromptValidationFailure failure;

    public PromptRejectedException(String serverId, String route, PromptValidationFailure failure) {
        super(Kind.PROMPT_REJECTED, serverId, route, 400, "", Objects.requireNonNull(failure, "failure").describe(),
                null);
        this.failure = failure;
    }

    /** The server's reasons: the top-level error and the per-node errors. */
    public PromptValidationFailure failure() {
        return failure;
    }
}
