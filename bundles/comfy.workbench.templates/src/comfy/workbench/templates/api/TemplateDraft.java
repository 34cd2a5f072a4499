package comfy.workbench.templates.api;

import java.util.List;
import java.util.Objects;

import comfy.workbench.model.api.NodeSchema;
import comfy.workbench.workflows.api.Workflow;

/**
 * What a caller gives the template library to create or replace a template.
 *
 * @param name        the name; not blank
 * @param description free text, may be {@code null}
 * @param tags        tags, may be {@code null}
 * @param source      where it came from, may be {@code null}
 * @param workflow    the base workflow
 * @param schema      a node schema for the library's output-type index, or {@code null}
 * @param parameters  the parameters; names unique
 */
public record TemplateDraft(String name, String description, List<String> tags, String source, Workflow workflow,
        NodeSchema schema, List<Parameter> parameters) {

    public TemplateDraft {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(workflow, "workflow");
        tags = tags == null ? List.of() : List.copyOf(tags);
        parameters = List.copyOf(parameters);
    }

    public static TemplateDraft of(String name, Workflow workflow, List<Parameter> parameters) {
        return new TemplateDraft(name, "", List.of(), "", workflow, null, parameters);
    }

    public TemplateDraft withDescription(String newDescription) {
        return new TemplateDraft(name, newDescription, tags, source, workflow, schema, parameters);
    }

    public TemplateDraft withTags(List<String> newTags) {
        return new TemplateDraft(name, description, newTags, source, workflow, schema, parameters);
    }

    public TemplateDraft withWorkflow(Workflow newWorkflow) {
        return new TemplateDraft(name, description, tags, source, newWorkflow, schema, parameters);
    }

    public TemplateDraft withParameters(List<Parameter> newParameters) {
        return new TemplateDraft(name, description, tags, source, workflow, schema, newParameters);
    }
}
