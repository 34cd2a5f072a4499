package comfy.workbench.templates.api;

import java.util.Map;
import java.util.Objects;

import com.google.gson.JsonElement;

import comfy.workbench.model.api.PromptGraph;

/**
 * A template with values applied, ready to submit.
 *
 * @param templateId the template's id, or {@code null} for one not stored
 * @param prompt     the API graph to submit
 * @param values     the value of every parameter as written into the graph: seeds drawn, IMAGE files as the name the
 *                   server gave the upload
 */
public record Instance(String templateId, PromptGraph prompt, Map<String, JsonElement> values) {

    public Instance {
        Objects.requireNonNull(prompt, "prompt");
        values = Map.copyOf(values);
    }
}
