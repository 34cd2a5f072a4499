package comfy.workbench.workflows.api;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

import comfy.workbench.model.api.PromptGraph;

/**
 * An imported workflow: the runnable API-format graph and, when the source carried it, the UI form.
 * The API graph is the source of truth for running; the UI form is kept so that exporting or opening it
 * in ComfyUI's frontend loses nothing (positions, groups, notes, muted nodes).
 *
 * @param prompt   the API-format graph
 * @param ui       the UI form, or {@code null} when the source had none (see {@link #uiForm()})
 * @param source   the form it was read from
 * @param controls the UI form's value controls ("control after generate") on the graph's inputs, which
 *                 {@link #promptForRun(int, RandomGenerator)} applies; empty for API-format sources
 */
public record Workflow(PromptGraph prompt, UiWorkflow ui, WorkflowFormat source, List<ValueControl> controls) {

    public Workflow {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(source, "source");
        controls = controls == null ? List.of() : List.copyOf(controls);
    }

    /** A workflow without value controls. */
    public Workflow(PromptGraph prompt, UiWorkflow ui, WorkflowFormat source) {
        this(prompt, ui, source, List.of());
    }

    /** The UI form, if known. */
    public Optional<UiWorkflow> uiForm() {
        return Optional.ofNullable(ui);
    }

    /**
     * The extra data ComfyUI's frontend sends with a prompt of this workflow: the UI form under
     * {@code extra_pnginfo.workflow}, so that the outputs' PNGs carry it, when it describes {@code run} — not for a
     * run whose seeds moved or whose values were set, which would load into ComfyUI as a workflow that does not make
     * the image (the prompt beside it in the PNG does) — else an empty object.
     *
     * @param run the graph to be sent
     */
    public JsonObject extraDataFor(PromptGraph run) {
        JsonObject extra = new JsonObject();
        if (ui != null && run.toJsonTree().equals(prompt.toJsonTree())) {
            JsonObject pnginfo = new JsonObject();
            pnginfo.add("workflow", ui.toJsonTree());
            extra.add("extra_pnginfo", pnginfo);
        }
        return extra;
    }

    /**
     * The graph for run {@code run} (0-based) of a series queued one after another, as the frontend would queue
     * it: run 0 is {@link #prompt()}; later runs have each control's inputs set to
     * {@link ValueControl#valueForRun its value for that run}. An input that is not a whole number in the graph
     * is left as it is (the control has nothing to start from).
     *
     * @param random draws the values of {@link ValueControl.Mode#RANDOMIZE randomize} controls
     */
    public PromptGraph promptForRun(int run, RandomGenerator random) {
        if (run < 0) {
            throw new IllegalArgumentException("run " + run + " is before the first (0)");
        }
        if (run == 0 || controls.isEmpty()) {
            return prompt;
        }
        JsonObject tree = prompt.toJsonTree();
        for (ValueControl control : controls) {
            BigInteger first = null;
            for (ValueControl.Target target : control.targets()) {
                first = wholeNumber(input(tree, target));
                if (first != null) {
                    break;
                }
            }
            if (first == null) {
                continue;
            }
            BigInteger value = control.valueForRun(first, run, random);
            for (ValueControl.Target target : control.targets()) {
                if (wholeNumber(input(tree, target)) != null) {
                    tree.getAsJsonObject(target.nodeId()).getAsJsonObject("inputs").add(target.input(), new JsonPrimitive(value));
                }
            }
        }
        return PromptGraph.of(tree, "run " + run);
    }

    private static JsonElement input(JsonObject tree, ValueControl.Target target) {
        JsonElement node = tree.get(target.nodeId());
        if (node == null || !node.isJsonObject()) {
            return null;
        }
        JsonElement inputs = node.getAsJsonObject().get("inputs");
        return inputs != null && inputs.isJsonObject() ? inputs.getAsJsonObject().get(target.input()) : null;
    }

    /** The value as a whole number, or {@code null} when it is none (a link, text, a fraction). */
    private static BigInteger wholeNumber(JsonElement value) {
        if (value == null || !value.isJsonPrimitive() || !value.getAsJsonPrimitive().isNumber()) {
            return null;
        }
        try {
            return new BigDecimal(value.getAsJsonPrimitive().getAsString()).toBigIntegerExact();
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
    }
}
