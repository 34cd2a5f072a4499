/**
 * The Servers view: every configured ComfyUI server with its health, version, devices and queue, refreshed live,
 * and the dialog that adds and edits servers. Contributed to the workbench through the bundle's
 * {@code fragment.e4xmi}; nothing here is API.
 */
package comfy.workbench.ui.servers.internal;
