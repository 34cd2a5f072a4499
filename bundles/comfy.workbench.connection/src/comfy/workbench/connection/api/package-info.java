/**
 * Connecting to ComfyUI servers: the server registry, one client per server covering the protocol's
 * routes, capability probes and health.
 */
package comfy.workbench.connection.api;
