package comfy.workbench.workflows.api;

/**
 * Event Admin topics of the workflow library. Properties: {@value #CHANGE} (one of {@code CREATED}, {@code UPDATED},
 * {@code DELETED}, {@code RELOADED}) and, for a change of one workflow, {@value #ID}.
 *
 * @since 0.2.0
 */
public final class WorkflowTopics {

    /** The library changed through its service: a workflow created, updated or deleted, or the folder read again. */
    public static final String LIBRARY_CHANGED = "comfy/workbench/workflows/LIBRARY_CHANGED";

    /** Event property: what changed. */
    public static final String CHANGE = "change";

    /** Event property: the workflow's id. */
    public static final String ID = "workflow.id";

    private WorkflowTopics() {
    }
}
