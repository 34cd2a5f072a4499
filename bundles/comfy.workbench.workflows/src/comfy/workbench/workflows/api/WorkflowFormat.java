package comfy.workbench.workflows.api;

/** The form a workflow was read from. */
public enum WorkflowFormat {
    /** API ("prompt") JSON: node id → {@code {class_type, inputs}}, what {@code POST /prompt} takes. */
    API_JSON,
    /** The frontend's UI JSON ({@code nodes}, {@code links}, positions), converted to API format on import. */
    UI_JSON,
    /** A PNG with {@code prompt} and/or {@code workflow} text chunks, as {@code SaveImage} writes them. */
    PNG
}
