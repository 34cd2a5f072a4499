/**
 * Configuration files: {@code <data folder>/config/<pid>.json} applied to Configuration Admin when the platform
 * starts, before the components that read them.
 */
package comfy.workbench.config.internal;
