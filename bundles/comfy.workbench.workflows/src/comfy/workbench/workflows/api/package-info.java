/**
 * Workflows: checking a prompt against a server's node schema before it is sent, and reading and
 * writing workflows in the forms ComfyUI users exchange them.
 * <ul>
 * <li>{@link comfy.workbench.workflows.api.WorkflowValidator}: mirrors the server's own
 * {@code validate_prompt}, so a {@link comfy.workbench.workflows.api.ValidationReport} carries the same
 * error categories ({@code type}), per node and input, as the server's
 * {@link comfy.workbench.model.api.PromptValidationFailure} would, and converts to it.</li>
 * <li>{@link comfy.workbench.workflows.api.WorkflowCodec}: imports API-format JSON, UI-format JSON
 * ({@link comfy.workbench.workflows.api.UiWorkflow}, schema 0.4 and 1, converted to API format with the
 * node schema) and PNG files carrying {@code prompt}/{@code workflow} text chunks; exports API and UI
 * JSON. An import yields a {@link comfy.workbench.workflows.api.Workflow}: the runnable API graph and,
 * when known, the UI form kept beside it, with the UI form's {@link comfy.workbench.workflows.api.ValueControl value
 * controls} ("control after generate": a seed that is fixed, incremented, decremented or randomized between queued
 * prompts), which {@link comfy.workbench.workflows.api.Workflow#promptForRun} applies to the i-th of several runs.</li>
 * <li>{@link comfy.workbench.workflows.api.WorkflowException}: every import failure, typed by
 * {@link comfy.workbench.workflows.api.WorkflowException.Kind} and naming the source and, where one
 * is at fault, the node and widget. Callers never see a raw parser or I/O exception.</li>
 * <li>{@link comfy.workbench.workflows.api.WorkflowLibrary}: the user's workflows on disk ({@code workflows/}
 * under the data folder), one ComfyUI-compatible file per workflow plus its
 * {@link comfy.workbench.workflows.api.WorkflowMetadata metadata}; crash-safe writes, revision checks
 * ({@link comfy.workbench.workflows.api.LibraryException}), ranked {@link comfy.workbench.workflows.api.WorkflowQuery search}
 * by text, node class and output type. {@link comfy.workbench.workflows.api.WorkflowLibraries} opens the same kind of
 * library on other folders (the template library keeps its templates in one).</li>
 * <li>{@link comfy.workbench.workflows.api.WorkflowSync}: lists, pulls and pushes the workflows the ComfyUI frontend
 * saved on a server ({@code /userdata} {@code workflows/}).</li>
 * </ul>
 * The validator and the codec are stateless and thread-safe; the node schema is always passed in, because a client
 * talks to several servers and each has its own. The libraries are thread-safe and may be shared by processes.
 */
@org.osgi.annotation.versioning.Version("0.5.0")
package comfy.workbench.workflows.api;
