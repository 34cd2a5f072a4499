package comfy.workbench.workflows.api;

import java.util.Objects;
import java.util.Optional;

import comfy.workbench.model.api.PromptGraph;

/**
 * An imported workflow: the runnable API-format graph and, when the source carried it, the UI form.
 * The API graph is the source of truth for running; the UI form is kept so that exporting or opening it
 * in ComfyUI's frontend loses nothing (positions, groups, notes, muted nodes).
 *
 * @param prompt the API-format graph
 * @param ui     the UI form, or {@code null} when the source had none (see {@link #uiForm()})
 * @param source the form it was read from
 */
public record Workflow(PromptGraph prompt, UiWorkflow ui, WorkflowFormat source) {

    public Workflow {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(source, "source");
    }

    /** The UI form, if known. */
    public Optional<UiWorkflow> uiForm() {
        return Optional.ofNullable(ui);
    }
}
