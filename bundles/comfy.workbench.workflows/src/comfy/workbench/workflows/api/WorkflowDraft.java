package comfy.workbench.workflows.api;

import java.util.List;
import java.util.Objects;

import com.google.gson.JsonObject;

import comfy.workbench.model.api.NodeSchema;

/**
 * What a caller gives the library to create or replace a workflow.
 *
 * @param name        the name; not blank
 * @param description free text, may be {@code null}
 * @param tags        tags, may be {@code null}
 * @param source      where it came from, may be {@code null}
 * @param workflow    the workflow
 * @param schema      a node schema to learn the workflow's output types from, or {@code null}: then they come from
 *                    the UI form's link types when there is one
 * @param attributes  data an owner keeps with the workflow (the template library keeps parameters here), or
 *                    {@code null}; stored as given, not searched
 */
public record WorkflowDraft(String name, String description, List<String> tags, String source, Workflow workflow,
        NodeSchema schema, JsonObject attributes) {

    public WorkflowDraft {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a workflow needs a name");
        }
        Objects.requireNonNull(workflow, "workflow");
        tags = WorkflowMetadata.cleanTags(tags);
        attributes = attributes == null ? new JsonObject() : attributes.deepCopy();
    }

    /** A draft with a name and nothing else. */
    public static WorkflowDraft of(String name, Workflow workflow) {
        return new WorkflowDraft(name, "", List.of(), "", workflow, null, null);
    }

    @Override
    public JsonObject attributes() {
        return attributes.deepCopy();
    }

    public WorkflowDraft withDescription(String newDescription) {
        return new WorkflowDraft(name, newDescription, tags, source, workflow, schema, attributes);
    }

    public WorkflowDraft withTags(List<String> newTags) {
        return new WorkflowDraft(name, description, newTags, source, workflow, schema, attributes);
    }

    public WorkflowDraft withSource(String newSource) {
        return new WorkflowDraft(name, description, tags, newSource, workflow, schema, attributes);
    }

    public WorkflowDraft withSchema(NodeSchema newSchema) {
        return new WorkflowDraft(name, description, tags, source, workflow, newSchema, attributes);
    }

    public WorkflowDraft withAttributes(JsonObject newAttributes) {
        return new WorkflowDraft(name, description, tags, source, workflow, schema, newAttributes);
    }

    public WorkflowDraft withWorkflow(Workflow newWorkflow) {
        return new WorkflowDraft(name, description, tags, source, newWorkflow, schema, attributes);
    }
}
