/**
 * The example extension's Render Log view: the newest lines of the render log, read through the render log's API
 * ({@code comfy.workbench.example.renderlog.api}). Contributed to the workbench through the bundle's
 * {@code fragment.e4xmi}, as our own views are; nothing here is API.
 */
package comfy.workbench.example.renderlog.ui.internal;
