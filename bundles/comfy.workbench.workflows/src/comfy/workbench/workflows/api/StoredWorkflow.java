package comfy.workbench.workflows.api;

import java.util.Objects;

/**
 * A workflow read from the library: its entry and the workflow itself.
 *
 * @param entry    the index entry at the revision read
 * @param workflow the runnable graph and, when known, the UI form
 */
public record StoredWorkflow(LibraryEntry entry, Workflow workflow) {

    public StoredWorkflow {
        Objects.requireNonNull(entry, "entry");
        Objects.requireNonNull(workflow, "workflow");
    }

    public String id() {
        return entry.id();
    }

    public long revision() {
        return entry.revision();
    }
}
