/**
 * The Platform Health view: the service manager's aggregated health with its reasons, every health check, every
 * Declarative Services component with what it is missing or why it failed, and the history of status changes; runs
 * the checks and restarts components on request. Contributed to the workbench through the bundle's
 * {@code fragment.e4xmi}; nothing here is API.
 */
package comfy.workbench.ui.health.internal;
