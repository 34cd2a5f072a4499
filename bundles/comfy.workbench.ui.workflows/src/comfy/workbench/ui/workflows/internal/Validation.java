package comfy.workbench.ui.workflows.internal;

import java.time.Instant;

import comfy.workbench.workflows.api.ValidationReport;

/**
 * The last validation of a workflow, kept by the view for its details.
 *
 * @param revision the workflow's revision that was validated
 * @param server   the server whose node schema it was validated against (its label)
 * @param at       when
 * @param report   what the validator found
 */
record Validation(long revision, String server, Instant at, ValidationReport report) {
}
