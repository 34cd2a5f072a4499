package comfy.workbench.templates.api;

/** What values a parameter takes; the first five mirror the node schema's widget kinds. */
public enum ParameterType {
    INT, FLOAT, STRING, BOOLEAN,
    /** One of the input's options (a sampler, a checkpoint, …). */
    COMBO,
    /** A local image file, uploaded to the target server when the template runs (a {@code LoadImage}-style input). */
    IMAGE
}
