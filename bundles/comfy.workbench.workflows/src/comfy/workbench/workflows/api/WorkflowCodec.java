package comfy.workbench.workflows.api;

import java.io.InputStream;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

import comfy.workbench.model.api.NodeSchema;
import comfy.workbench.model.api.PromptGraph;

/**
 * Imports and exports workflows. Every import failure is a {@link WorkflowException} naming the source
 * ({@code what}) and what in it was wrong. A {@code schema} is needed only to convert UI-format JSON to API
 * format (widget values are positional, so the server's input order decides which value is which); pass
 * {@code null} when none is at hand and a UI-only source fails with {@link WorkflowException.Kind#CONVERSION}.
 */
@ProviderType
public interface WorkflowCodec {

    /**
     * Reads whatever the bytes are: a PNG (by its signature), API JSON or UI JSON (by their shape).
     *
     * @param data   the file's bytes
     * @param what   names the source in messages (usually the file name)
     * @param schema the server's node schema, or {@code null}
     */
    Workflow read(byte[] data, String what, NodeSchema schema);

    /** Reads API-format JSON; UI JSON or anything else is refused with {@link WorkflowException.Kind#WRONG_KIND}. */
    Workflow readApi(String json, String what);

    /** Reads UI-format JSON and converts it; API JSON or anything else is refused with {@link WorkflowException.Kind#WRONG_KIND}. */
    Workflow readUi(String json, String what, NodeSchema schema);

    /**
     * Reads a PNG's {@code prompt} (the runnable graph) and {@code workflow} (the UI form) text chunks from a
     * stream, checking every chunk's CRC. When only {@code workflow} is present it is converted with the schema.
     */
    Workflow readPng(InputStream png, String what, NodeSchema schema);

    /**
     * The value controls the frontend gives a graph it loads without a UI form (API JSON): on every input the schema
     * offers "control after generate" for (a seed) whose value in the graph is a whole number, the mode the schema
     * names, else the frontend's default, {@link ValueControl.Mode#RANDOMIZE randomize}. With them the runs after
     * the first of an API workflow differ, as they would in the frontend, instead of the server answering them from
     * its cache. Nodes the schema does not know get none.
     *
     * @since 0.5.0
     */
    List<ValueControl> defaultControls(PromptGraph prompt, NodeSchema schema);

    /** Converts a UI workflow to the API-format graph the frontend would submit for it. */
    PromptGraph toApi(UiWorkflow workflow, NodeSchema schema);

    /** The API-format JSON, pretty-printed as ComfyUI's "Export (API)" does. */
    String writeApi(Workflow workflow);

    /** The UI-format JSON, pretty-printed; empty when the workflow has no UI form (it was read from API JSON). */
    Optional<String> writeUi(Workflow workflow);

    /**
     * The workflow with new values for some of its graph's inputs, written into its UI form too (where the frontend
     * keeps them: the node's widget, or the {@code PrimitiveNode} that feeds the input), so that ComfyUI opens it with
     * the same values it runs with. Its value controls stay. Nothing is changed when one edit cannot be made: a
     * {@link WorkflowException.Kind#CONVERSION} names the node and input — one that the graph lacks, one fed by a link,
     * one inside a subgraph of the UI form (its definition is shared by every instance), or a UI form without the
     * server's {@code schema}, which says where each widget's value sits.
     *
     * @param schema the server's node schema; needed only when the workflow has a UI form
     * @param what   names the workflow in messages
     */
    Workflow withInputs(Workflow workflow, List<InputEdit> edits, NodeSchema schema, String what);
}
