/**
 * The ComfyUI data model shared by every Comfy Workbench bundle: the API-format prompt graph, the node
 * schema read from {@code /object_info}, and the server's prompt validation failure.
 * <p>
 * All values are immutable and thread-safe. JSON is read the way the Python server writes it: bare
 * {@code NaN}/{@code Infinity} are accepted, integers keep every digit (a KSampler seed may be 2^64-1),
 * and fields this model does not know are kept so that a graph is written back exactly as read.
 */
package comfy.workbench.model.api;
