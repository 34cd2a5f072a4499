/**
 * The Templates view: the template library as a searchable table, a form of the selected template's parameters
 * (each field takes one value or a sweep), a preview of what the values change in the workflow, runs of every
 * combination through the job queue, and deletion. Contributed to the workbench through the bundle's
 * {@code fragment.e4xmi}; nothing here is API.
 */
package comfy.workbench.ui.templates.internal;
