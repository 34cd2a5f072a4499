/**
 * The Workflows view: the workflow library as a searchable table with the selected workflow's details; imports API
 * JSON, UI JSON and PNG files, validates a workflow against a server's node schema, runs it through the job queue and
 * deletes it. Contributed to the workbench through the bundle's {@code fragment.e4xmi}; nothing here is API.
 */
package comfy.workbench.ui.workflows.internal;
