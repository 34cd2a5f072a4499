package comfy.workbench.templates.api;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import comfy.workbench.workflows.api.WorkflowMetadata;
import comfy.workbench.workflows.api.Workflow;

/**
 * A workflow with parameters, as the template library holds it.
 *
 * @param id         the library id ({@code null} for a template not stored yet)
 * @param revision   the revision (0 for one not stored yet)
 * @param metadata   name, description, tags, times, source
 * @param workflow   the base workflow: the API graph the values are written into, and its UI form when known
 * @param parameters the parameters, in the order a UI shows them
 * @param problems   bindings that do not fit the workflow; a template with problems is not run
 */
public record Template(String id, long revision, WorkflowMetadata metadata, Workflow workflow, List<Parameter> parameters,
        List<TemplateProblem> problems) {

    public Template {
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(workflow, "workflow");
        parameters = List.copyOf(parameters);
        problems = List.copyOf(problems);
    }

    public String name() {
        return metadata.name();
    }

    /** A parameter by name. */
    public Optional<Parameter> parameter(String name) {
        return parameters.stream().filter(p -> p.name().equals(name)).findFirst();
    }
}
