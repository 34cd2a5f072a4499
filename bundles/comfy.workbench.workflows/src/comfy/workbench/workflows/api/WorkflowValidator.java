package comfy.workbench.workflows.api;

import org.osgi.annotation.versioning.ProviderType;

import com.google.gson.JsonObject;

import comfy.workbench.model.api.NodeSchema;
import comfy.workbench.model.api.PromptGraph;

/**
 * Checks an API-format prompt against a server's node schema the way the server's
 * {@code execution.validate_prompt} (ComfyUI 0.3.64) does before it queues it: unknown or missing
 * {@code class_type}, no output node, missing required inputs, links to missing nodes or output slots,
 * link type mismatches, values that do not convert to the input's type, INT/FLOAT bounds, combo
 * choices, and the file check of the core loaders. It also finds dependency cycles, which the server
 * only reports when it runs the prompt.
 */
@ProviderType
public interface WorkflowValidator {

    /** Validates a parsed graph (every node has a {@code class_type}). */
    ValidationReport validate(PromptGraph prompt, NodeSchema schema);

    /**
     * Validates a raw {@code prompt} object as the server receives it, where a node may lack a
     * {@code class_type} or not be an object at all.
     */
    ValidationReport validate(JsonObject prompt, NodeSchema schema);
}
