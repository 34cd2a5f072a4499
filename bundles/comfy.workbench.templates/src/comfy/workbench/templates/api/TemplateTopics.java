package comfy.workbench.templates.api;

/**
 * Event Admin topics of the template library. Properties: {@value #CHANGE} (one of {@code CREATED}, {@code UPDATED},
 * {@code DELETED}, {@code RELOADED}) and, for a change of one template, {@value #ID}.
 *
 * @since 0.2.0
 */
public final class TemplateTopics {

    /** The library changed through its service: a template created, updated or deleted, or the folder read again. */
    public static final String LIBRARY_CHANGED = "comfy/workbench/templates/LIBRARY_CHANGED";

    /** Event property: what changed. */
    public static final String CHANGE = "change";

    /** Event property: the template's id. */
    public static final String ID = "template.id";

    private TemplateTopics() {
    }
}
