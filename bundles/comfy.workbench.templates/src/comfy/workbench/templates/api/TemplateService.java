package comfy.workbench.templates.api;

import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

import comfy.workbench.connection.api.ComfyClient;
import comfy.workbench.model.api.NodeSchema;
import comfy.workbench.workflows.api.Workflow;

/**
 * Defines, previews, instantiates and sweeps templates. Stateless and thread-safe; the node schema is always passed
 * in, since every server has its own.
 */
@ProviderType
public interface TemplateService {

    /**
     * A parameter for picked inputs: type, constraints and default from the schema's spec of the first binding's
     * input (a {@code LoadImage}-style upload combo becomes {@link ParameterType#IMAGE}, a seed accepts
     * {@value Parameter#RANDOM}); the default is the workflow's current value. Every binding must be a widget
     * input of the same type.
     *
     * @throws TemplateException {@code BAD_DEFINITION} naming the binding that does not fit
     */
    Parameter parameter(Workflow workflow, NodeSchema schema, String name, List<Binding> bindings);

    /**
     * The parameters the frontend's App mode declares in the UI form's {@code extra.linearData.inputs}
     * ({@code [nodeId, widgetName, …]}), named after the widget (with the node id added where names repeat) and
     * labelled with the node's title; empty when the workflow has no such declaration.
     *
     * @throws TemplateException {@code BAD_DEFINITION} when an entry does not fit the workflow
     */
    List<Parameter> appParameters(Workflow workflow, NodeSchema schema);

    /** The bindings of {@code parameters} that do not fit {@code workflow}: a missing node or input, or a linked input. */
    List<TemplateProblem> check(Workflow workflow, List<Parameter> parameters);

    /**
     * The resolved graph for {@code values} (missing ones take their defaults), its changes against the base
     * workflow, and its validation against {@code schema}. Nothing is uploaded: IMAGE parameters show the file's name.
     *
     * @throws TemplateException {@code INVALID_VALUE} listing every bad value, {@code UNKNOWN_PARAMETER},
     *                           {@code STALE_BINDING}
     */
    Preview preview(Template template, Map<String, ?> values, NodeSchema schema);

    /**
     * The graph to submit to {@code target}: values checked, IMAGE files uploaded to it (the name it returns is
     * used), {@value Parameter#RANDOM} seeds drawn.
     *
     * @throws TemplateException as {@link #preview}, or {@code UPLOAD_FAILED} naming the file and the server
     */
    Instance instantiate(Template template, Map<String, ?> values, ComfyClient target);

    /**
     * Plans a sweep: checks every axis value against its parameter and the fixed values, and counts the instances.
     *
     * @param fixed values of parameters no axis sweeps
     * @param cap   the most instances allowed
     * @throws TemplateException {@code TOO_MANY_INSTANCES} (naming the count) before anything is instantiated,
     *                           {@code INVALID_VALUE}, {@code UNKNOWN_PARAMETER}, {@code STALE_BINDING}
     */
    SweepPlan sweep(Template template, List<SweepAxis> axes, Map<String, ?> fixed, long cap);
}
