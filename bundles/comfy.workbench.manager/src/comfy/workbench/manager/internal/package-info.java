/** The service manager's implementation: the manager component, its health runner and the built-in health checks. */
package comfy.workbench.manager.internal;
