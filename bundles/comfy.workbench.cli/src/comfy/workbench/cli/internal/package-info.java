/**
 * The headless command line {@code comfy}: an Equinox application ({@link comfy.workbench.cli.internal.ComfyApplication})
 * that hands its arguments to the {@link comfy.workbench.cli.internal.Cli} service, which works through the same
 * services as the workbench (registry, clients, queue, workflows, templates).
 */
package comfy.workbench.cli.internal;
