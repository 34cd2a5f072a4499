/**
 * The ComfyUI data model shared by every Comfy Workbench bundle.
 * <ul>
 * <li>{@link comfy.workbench.model.api.PromptGraph}: the API-format prompt graph a client sends to
 * {@code POST /prompt}, node id → {@link comfy.workbench.model.api.PromptNode}.</li>
 * <li>{@link comfy.workbench.model.api.NodeSchema}: what a server offers, read from
 * {@code GET /object_info}: each {@link comfy.workbench.model.api.NodeClass} with its
 * {@link comfy.workbench.model.api.InputSpec inputs} and {@link comfy.workbench.model.api.NodeOutput outputs}.</li>
 * <li>{@link comfy.workbench.model.api.PromptValidationFailure}: why the server refused a prompt, or
 * some of its nodes.</li>
 * <li>{@link comfy.workbench.model.api.ComfyJson}: the codec under all of them.</li>
 * </ul>
 * All values are immutable and thread-safe. JSON is read the way the Python server writes it: bare
 * {@code NaN}/{@code Infinity} are accepted, integers keep every digit (a KSampler seed may be 2^64-1),
 * and fields this model does not know are kept so that a graph is written back exactly as read.
 * Malformed input fails with a {@link comfy.workbench.model.api.ComfyJsonException} that names the
 * source and what in it was wrong.
 */
package comfy.workbench.model.api;
