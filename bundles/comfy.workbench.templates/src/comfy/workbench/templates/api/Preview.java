package comfy.workbench.templates.api;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.google.gson.JsonElement;

import comfy.workbench.model.api.PromptGraph;
import comfy.workbench.workflows.api.ValidationReport;

/**
 * What an instance would be, computed without running or uploading anything.
 *
 * @param prompt     the resolved API graph (IMAGE parameters show the local file's name; the server may rename it)
 * @param values     the value of every parameter, random seeds drawn
 * @param changes    the inputs that differ from the base workflow
 * @param validation the graph checked against the node schema
 */
public record Preview(PromptGraph prompt, Map<String, JsonElement> values, List<GraphChange> changes,
        ValidationReport validation) {

    public Preview {
        Objects.requireNonNull(prompt, "prompt");
        values = Map.copyOf(values);
        changes = List.copyOf(changes);
        Objects.requireNonNull(validation, "validation");
    }
}
