package comfy.workbench.workflows.internal;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.service.component.annotations.Component;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import comfy.workbench.model.api.ComfyJson;
import comfy.workbench.model.api.ComfyJsonException;
import comfy.workbench.model.api.NodeSchema;
import comfy.workbench.model.api.PromptGraph;
import comfy.workbench.workflows.api.InputEdit;
import comfy.workbench.workflows.api.UiWorkflow;
import comfy.workbench.workflows.api.ValueControl;
import comfy.workbench.workflows.api.Workflow;
import comfy.workbench.workflows.api.WorkflowCodec;
import comfy.workbench.workflows.api.WorkflowException;
import comfy.workbench.workflows.api.WorkflowException.Kind;
import comfy.workbench.workflows.api.WorkflowFormat;

/** The workflow codec: API JSON, UI JSON (converted with {@link UiConverter}) and PNG text chunks ({@link PngTextReader}). */
@Component(service = WorkflowCodec.class)
public final class DefaultWorkflowCodec implements WorkflowCodec {

    /**
     * As the frontend's "Export": {@code JSON.stringify(value, null, 2)}; Python's NaN spellings kept, and
     * {@code null} members too (Gson drops them by default, and UI workflows have {@code "links": null}).
     */
    private static final Gson PRETTY = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues()
            .serializeNulls().disableHtmlEscaping().create();

    private final UiConverter converter = new UiConverter();
    private final UiValueWriter writer = new UiValueWriter();

    @Override
    public Workflow read(byte[] data, String what, NodeSchema schema) {
        if (PngTextReader.looksLikePng(data)) {
            return readPng(new ByteArrayInputStream(data), what, schema);
        }
        JsonObject json = parseObject(text(data), what);
        if (UiWorkflow.looksLikeUi(json)) {
            return ui(UiWorkflow.of(json, what), what, schema);
        }
        return api(json, what);
    }

    @Override
    public Workflow readApi(String json, String what) {
        return api(parseObject(json, what), what);
    }

    @Override
    public Workflow readUi(String json, String what, NodeSchema schema) {
        return ui(UiWorkflow.of(parseObject(json, what), what), what, schema);
    }

    @Override
    public Workflow readPng(InputStream png, String what, NodeSchema schema) {
        Map<String, String> texts = PngTextReader.read(png, what);
        String prompt = texts.get("prompt");
        String workflow = texts.get("workflow");
        if (prompt == null && workflow == null) {
            throw new WorkflowException(Kind.NO_METADATA, what, "the PNG carries no workflow: it has no \"prompt\" or "
                    + "\"workflow\" text chunk" + (texts.isEmpty() ? " (no text chunks at all)" : " (text chunks: "
                            + String.join(", ", texts.keySet()) + ")"));
        }
        UiWorkflow ui = null;
        if (workflow != null) {
            try {
                ui = UiWorkflow.parse(workflow, what + " (workflow chunk)");
            } catch (WorkflowException e) {
                if (prompt == null) {
                    throw e;
                }
                // the prompt chunk is what runs; a UI form this reader cannot use does not make the file useless
            }
        }
        if (prompt == null) {
            UiConverter.Conversion c = convert(ui, schema, what + " (workflow chunk)");
            return new Workflow(c.prompt(), ui, WorkflowFormat.PNG, c.controls());
        }
        JsonObject graph;
        try {
            graph = ComfyJson.parseObject(prompt, what + " (prompt chunk)");
        } catch (ComfyJsonException e) {
            throw new WorkflowException(Kind.CORRUPT_FILE, what, "the prompt chunk is not JSON: " + e.getMessage(), e);
        }
        return new Workflow(graph(graph, what + " (prompt chunk)"), ui, WorkflowFormat.PNG, controls(ui, schema, what));
    }

    /**
     * The UI form's value controls for the prompt chunk beside it (the frontend wrote both from one graph, with the
     * same node ids); none when there is no schema or the UI form does not convert, since the prompt runs anyway.
     */
    private List<ValueControl> controls(UiWorkflow ui, NodeSchema schema, String what) {
        if (ui == null || schema == null) {
            return List.of();
        }
        try {
            return converter.convertWithControls(ui, schema, what + " (workflow chunk)").controls();
        } catch (WorkflowException e) {
            return List.of();
        }
    }

    @Override
    public List<ValueControl> defaultControls(PromptGraph prompt, NodeSchema schema) {
        return converter.defaultControls(prompt, schema);
    }

    @Override
    public PromptGraph toApi(UiWorkflow workflow, NodeSchema schema) {
        return toApi(workflow, schema, "workflow");
    }

    private PromptGraph toApi(UiWorkflow workflow, NodeSchema schema, String what) {
        return convert(workflow, schema, what).prompt();
    }

    private UiConverter.Conversion convert(UiWorkflow workflow, NodeSchema schema, String what) {
        if (schema == null) {
            throw new WorkflowException(Kind.CONVERSION, what, "converting a UI workflow to API format needs the "
                    + "server's node schema (/object_info), and none was given");
        }
        return converter.convertWithControls(workflow, schema, what);
    }

    @Override
    public String writeApi(Workflow workflow) {
        return PRETTY.toJson(workflow.prompt().toJsonTree());
    }

    @Override
    public Optional<String> writeUi(Workflow workflow) {
        return workflow.uiForm().map(ui -> PRETTY.toJson(ui.toJsonTree()));
    }

    @Override
    public Workflow withInputs(Workflow workflow, List<InputEdit> edits, NodeSchema schema, String what) {
        JsonObject tree = workflow.prompt().toJsonTree();
        for (InputEdit edit : edits) {
            String where = "input " + edit.input() + " of node " + edit.nodeId();
            JsonElement node = tree.get(edit.nodeId());
            if (node == null || !node.isJsonObject()) {
                throw new WorkflowException(Kind.CONVERSION, what, "the graph has no node " + edit.nodeId()
                        + "; the workflow was not changed", edit.nodeId(), edit.input(), List.of(), null);
            }
            JsonElement inputs = node.getAsJsonObject().get("inputs");
            if (inputs == null || !inputs.isJsonObject()) {
                inputs = new JsonObject();
                node.getAsJsonObject().add("inputs", inputs);
            }
            JsonElement current = inputs.getAsJsonObject().get(edit.input());
            if (current != null && current.isJsonArray()) {
                throw new WorkflowException(Kind.CONVERSION, what, where + " is fed by a link from node "
                        + current.getAsJsonArray().get(0) + "; the workflow was not changed", edit.nodeId(), edit.input(),
                        List.of(), null);
            }
            inputs.getAsJsonObject().add(edit.input(), edit.value());
        }
        PromptGraph prompt = PromptGraph.of(tree, what);
        UiWorkflow ui = workflow.ui();
        if (ui != null && !edits.isEmpty()) {
            if (schema == null) {
                throw new WorkflowException(Kind.CONVERSION, what, "changing the values of a UI workflow needs the "
                        + "server's node schema (/object_info) to find its widgets, and none was given; the workflow was "
                        + "not changed");
            }
            UiValueWriter.Written written = writer.write(ui, edits, schema, what);
            ui = written.ui();
            // a PrimitiveNode's value is every input it feeds: the graph's copies of it change with it
            for (InputEdit also : written.alsoChanged()) {
                JsonElement node = tree.get(also.nodeId());
                JsonElement inputs = node != null && node.isJsonObject() ? node.getAsJsonObject().get("inputs") : null;
                if (inputs != null && inputs.isJsonObject() && inputs.getAsJsonObject().has(also.input())
                        && !inputs.getAsJsonObject().get(also.input()).isJsonArray()) {
                    inputs.getAsJsonObject().add(also.input(), also.value());
                }
            }
            prompt = PromptGraph.of(tree, what);
            PromptGraph converted = convert(ui, schema, what).prompt();
            List<InputEdit> expected = new java.util.ArrayList<>(edits);
            expected.addAll(written.alsoChanged());
            for (InputEdit edit : expected) {
                JsonElement got = converted.node(edit.nodeId()).map(n -> n.inputs().get(edit.input())).orElse(null);
                if (!edit.value().equals(got)) {
                    throw new WorkflowException(Kind.CONVERSION, what, "input " + edit.input() + " of node "
                            + edit.nodeId() + " did not take its new value in the UI form (it converts to "
                            + (got == null ? "nothing" : ComfyJson.write(got)) + "); the workflow was not changed",
                            edit.nodeId(), edit.input(), List.of(), null);
                }
            }
        }
        return new Workflow(prompt, ui, workflow.source(), workflow.controls());
    }

    private Workflow ui(UiWorkflow ui, String what, NodeSchema schema) {
        UiConverter.Conversion c = convert(ui, schema, what);
        return new Workflow(c.prompt(), ui, WorkflowFormat.UI_JSON, c.controls());
    }

    private static Workflow api(JsonObject json, String what) {
        if (UiWorkflow.looksLikeUi(json)) {
            throw new WorkflowException(Kind.WRONG_KIND, what, "expected an API-format prompt, but "
                    + UiWorkflow.describeKind(json) + "; import it as a UI workflow");
        }
        return new Workflow(graph(json, what), null, WorkflowFormat.API_JSON);
    }

    private static PromptGraph graph(JsonObject json, String what) {
        if (json.isEmpty()) {
            throw new WorkflowException(Kind.WRONG_KIND, what, "expected an API-format prompt, but it is an empty object");
        }
        for (Map.Entry<String, JsonElement> e : json.entrySet()) {
            JsonElement node = e.getValue();
            if (!node.isJsonObject() || !node.getAsJsonObject().has("class_type")) {
                throw new WorkflowException(Kind.WRONG_KIND, what, "expected an API-format prompt, but "
                        + UiWorkflow.describeKind(json) + " (entry \"" + e.getKey() + "\" is not a node with a class_type)");
            }
        }
        try {
            return PromptGraph.of(json, what);
        } catch (ComfyJsonException e) {
            throw new WorkflowException(Kind.WRONG_KIND, what, "not a valid API-format prompt: " + e.getMessage(), e);
        }
    }

    private static String text(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    private static JsonObject parseObject(String text, String what) {
        JsonElement json;
        try {
            json = ComfyJson.parse(text, what);
        } catch (ComfyJsonException e) {
            // the parser names the source too; the exception's own prefix says it once
            String reason = e.getMessage().startsWith(what + ": ") ? e.getMessage().substring(what.length() + 2)
                    : e.getMessage();
            throw new WorkflowException(Kind.NOT_JSON, what, "not JSON: " + reason, e);
        }
        if (!json.isJsonObject()) {
            throw new WorkflowException(Kind.WRONG_KIND, what, "expected a workflow (a JSON object), but found "
                    + ComfyJson.kind(json));
        }
        return json.getAsJsonObject();
    }
}
