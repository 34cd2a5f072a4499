/**
 * The extensions folder reconciled with the framework's installed bundles when the platform starts, and what became
 * of each jar (the registry and the health check "extensions").
 */
package comfy.workbench.extensions.internal;
