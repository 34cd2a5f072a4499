/**
 * The example extension's render log, for other bundles to read: the {@link comfy.workbench.example.renderlog.api.RenderLog}
 * service (one JSON line per job that ended, in {@code <data>/render-log/jobs.jsonl}) and its lines as values
 * ({@link comfy.workbench.example.renderlog.api.RenderLogLine}, read by
 * {@link comfy.workbench.example.renderlog.api.RenderLog#tail(int)} into a
 * {@link comfy.workbench.example.renderlog.api.RenderLogTail}). The example's Render Log view
 * ({@code comfy.workbench.example.renderlog.ui}) uses only this package.
 */
@org.osgi.annotation.versioning.Version("0.1.0")
package comfy.workbench.example.renderlog.api;
