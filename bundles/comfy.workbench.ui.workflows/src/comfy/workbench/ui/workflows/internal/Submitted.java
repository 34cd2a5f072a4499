package comfy.workbench.ui.workflows.internal;

import comfy.workbench.queue.api.Job;
import comfy.workbench.ui.common.ServerSchema;

/** A job just submitted and the schema it was checked against, for the status line. */
record Submitted(Job job, ServerSchema target) {

    String message() {
        return "Submitted " + job.request().name() + " as job " + job.id() + "; the Jobs view lists it"
                + target.submittedNote();
    }
}
