package comfy.workbench.workflows.internal;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.osgi.service.component.annotations.Component;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

import comfy.workbench.model.api.ComfyJson;
import comfy.workbench.model.api.InputKind;
import comfy.workbench.model.api.InputSection;
import comfy.workbench.model.api.InputSpec;
import comfy.workbench.model.api.NodeClass;
import comfy.workbench.model.api.NodeError;
import comfy.workbench.model.api.NodeSchema;
import comfy.workbench.model.api.PromptError;
import comfy.workbench.model.api.PromptGraph;
import comfy.workbench.workflows.api.ValidationReport;
import comfy.workbench.workflows.api.WorkflowValidator;

/**
 * Mirrors ComfyUI 0.3.64's {@code execution.validate_prompt} and {@code validate_inputs}: the same order
 * of checks, error types, messages, {@code details} and {@code extra_info} keys, and the same bookkeeping
 * (an exception while looking up a link is charged to the upstream node, with the downstream input's
 * name, as Python's {@code except} in the caller does; an invalid node lists every output that failed
 * after it was found). Where the server iterates a Python {@code set} (outputs, a node's inputs) the
 * order is random per server process; here it is graph order and {@code input_order}.
 * <p>
 * Two things differ on purpose: every unknown class is named (the server stops at the first), and a
 * dependency cycle is reported as {@code dependency_cycle} on the node that closes it (the server
 * recurses until Python's stack limit and reports the cycle only when it runs the prompt).
 */
@Component(service = WorkflowValidator.class)
public final class SchemaValidator implements WorkflowValidator {

    /**
     * Core loaders whose {@code VALIDATE_INPUTS} replaces the combo check of one input with a file check
     * ({@code folder_paths.exists_annotated_filepath}); client-side the schema's choices are the folder's
     * listing when the schema was fetched.
     */
    private static final Map<String, String[]> FILE_INPUTS = Map.of(
            "LoadImage", new String[] { "image", "Invalid image file: " },
            "LoadImageMask", new String[] { "image", "Invalid image file: " },
            "LoadAudio", new String[] { "audio", "Invalid audio file: " },
            "LoadVideo", new String[] { "file", "Invalid video file: " });

    @Override
    public ValidationReport validate(PromptGraph prompt, NodeSchema schema) {
        return validate(prompt.toJsonTree(), schema);
    }

    @Override
    public ValidationReport validate(JsonObject prompt, NodeSchema schema) {
        return new Run(prompt, schema).validate();
    }

    /** The state of one validation: Python's {@code validated} dict and the classes looked up. */
    private static final class Run {
        private final JsonObject prompt;
        private final NodeSchema schema;
        private final Map<String, NodeClass> classes = new LinkedHashMap<>();
        private final Map<String, Verdict> validated = new LinkedHashMap<>();
        private final Set<String> inProgress = new HashSet<>();

        Run(JsonObject prompt, NodeSchema schema) {
            this.prompt = prompt;
            this.schema = schema;
        }

        ValidationReport validate() {
            JsonArray missing = new JsonArray();
            String firstMissing = null;
            String firstMissingId = null;
            for (Map.Entry<String, JsonElement> e : prompt.entrySet()) {
                String id = e.getKey();
                String classType = classType(id);
                if (classType == null) {
                    return fail(new PromptError("invalid_prompt",
                            "Cannot execute because a node is missing the class_type property.", "Node ID '#" + id + "'",
                            null));
                }
                NodeClass nodeClass = schema.nodeClass(classType).orElse(null);
                if (nodeClass == null) {
                    JsonObject m = new JsonObject();
                    m.addProperty("node_id", id);
                    m.addProperty("class_type", classType);
                    String title = title(id);
                    if (title != null) {
                        m.addProperty("node_title", title);
                    }
                    missing.add(m);
                    if (firstMissing == null) {
                        firstMissing = classType;
                        firstMissingId = id;
                    }
                    continue;
                }
                classes.put(id, nodeClass);
            }
            if (firstMissing != null) {
                JsonObject extra = new JsonObject();
                extra.add(ValidationReport.MISSING_NODE_TYPES, missing);
                Set<String> names = new java.util.LinkedHashSet<>();
                List<String> ids = new ArrayList<>();
                for (JsonElement m : missing) {
                    names.add(m.getAsJsonObject().get("class_type").getAsString());
                    ids.add("'#" + m.getAsJsonObject().get("node_id").getAsString() + "'");
                }
                // one unknown class: the server's words exactly; several: all of them
                String message = names.size() == 1 ? "Cannot execute because node " + firstMissing + " does not exist."
                        : "Cannot execute because nodes " + String.join(", ", names) + " do not exist.";
                String details = ids.size() == 1 ? "Node ID '#" + firstMissingId + "'" : "Node IDs " + String.join(", ", ids);
                return fail(new PromptError("invalid_prompt", message, details, extra));
            }
            List<String> outputs = new ArrayList<>();
            for (Map.Entry<String, NodeClass> e : classes.entrySet()) {
                if (e.getValue().outputNode()) {
                    outputs.add(e.getKey());
                }
            }
            if (outputs.isEmpty()) {
                return fail(new PromptError("prompt_no_outputs", "Prompt has no outputs", "", null));
            }
            List<String> good = new ArrayList<>();
            Map<String, List<PromptError>> reasonsByNode = new LinkedHashMap<>();
            Map<String, List<String>> dependents = new LinkedHashMap<>();
            for (String o : outputs) {
                boolean valid;
                try {
                    valid = validateInputs(o).valid();
                } catch (InnerFailure ex) {
                    JsonObject extra = new JsonObject();
                    extra.addProperty("exception_type", ex.pythonType);
                    extra.add("traceback", new JsonArray());
                    validated.put(o, new Verdict(false, List.of(new PromptError("exception_during_validation",
                            "Exception when validating node", ex.getMessage(), extra))));
                    valid = false;
                }
                if (valid) {
                    good.add(o);
                    continue;
                }
                for (Map.Entry<String, Verdict> e : validated.entrySet()) {
                    Verdict v = e.getValue();
                    if (!v.valid() && !v.reasons().isEmpty()) {
                        reasonsByNode.putIfAbsent(e.getKey(), v.reasons());
                        dependents.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(o);
                    }
                }
            }
            Map<String, NodeError> nodeErrors = new LinkedHashMap<>();
            for (Map.Entry<String, List<PromptError>> e : reasonsByNode.entrySet()) {
                nodeErrors.put(e.getKey(), new NodeError(e.getKey(), classType(e.getKey()), e.getValue(),
                        dependents.get(e.getKey())));
            }
            PromptError error = good.isEmpty()
                    ? new PromptError("prompt_outputs_failed_validation", "Prompt outputs failed validation", "", null)
                    : null;
            return new ValidationReport(error, nodeErrors, good);
        }

        private Verdict validateInputs(String id) {
            Verdict done = validated.get(id);
            if (done != null) {
                return done;
            }
            inProgress.add(id);
            NodeClass nodeClass = classes.get(id);
            JsonObject node = prompt.get(id).getAsJsonObject();
            JsonElement inputsJson = node.get("inputs");
            JsonObject inputs = inputsJson != null && inputsJson.isJsonObject() ? inputsJson.getAsJsonObject() : new JsonObject();
            List<PromptError> errors = new ArrayList<>();
            boolean valid = true;
            String[] fileInput = FILE_INPUTS.get(nodeClass.name());
            for (InputSpec in : nodeClass.inputs()) {
                if (in.section() == InputSection.HIDDEN) {
                    continue;
                }
                String x = in.name();
                JsonElement val = inputs.get(x);
                if (val == null) {
                    if (in.isRequired()) {
                        errors.add(error("required_input_missing", "Required input is missing", x, extra(x)));
                        valid = false;
                    }
                    continue;
                }
                if (val.isJsonArray()) {
                    JsonArray link = val.getAsJsonArray();
                    if (link.size() != 2) {
                        JsonObject extra = extra(x);
                        extra.add("input_config", config(in));
                        extra.add("received_value", link);
                        errors.add(error("bad_linked_input",
                                "Bad linked input, must be a length-2 list of [node_id, slot_index]", x, extra));
                        valid = false;
                        continue;
                    }
                    String oId = linkedId(link.get(0));
                    String received = receivedType(oId, link.get(1));
                    if (!typesMatch(received, in)) {
                        JsonObject extra = extra(x);
                        extra.add("input_config", config(in));
                        extra.addProperty("received_type", received);
                        extra.add("linked_node", link);
                        errors.add(error("return_type_mismatch", "Return type mismatch between linked nodes",
                                x + ", received_type(" + received + ") mismatch input_type(" + inputType(in) + ")", extra));
                        valid = false;
                        continue;
                    }
                    if (inProgress.contains(oId)) {
                        JsonObject extra = extra(x);
                        extra.add("linked_node", link);
                        errors.add(error("dependency_cycle", "Dependency cycle detected",
                                x + ": node " + id + " depends on node " + oId + ", which depends on node " + id, extra));
                        valid = false;
                        continue;
                    }
                    try {
                        if (!validateInputs(oId).valid()) {
                            valid = false;
                        }
                    } catch (InnerFailure ex) {
                        valid = false;
                        JsonObject extra = extra(x);
                        extra.add("input_config", config(in));
                        extra.addProperty("exception_message", ex.getMessage());
                        extra.addProperty("exception_type", ex.pythonType);
                        extra.add("traceback", new JsonArray());
                        extra.add("linked_node", link);
                        validated.put(oId, new Verdict(false, List.of(error("exception_during_inner_validation",
                                "Exception when validating inner node", ex.getMessage(), extra))));
                    }
                    continue;
                }
                PromptError literal = checkLiteral(in, val, fileInput != null && fileInput[0].equals(x) ? fileInput[1] : null);
                if (literal != null) {
                    errors.add(literal);
                    valid = false;
                }
            }
            inProgress.remove(id);
            Verdict verdict = valid ? Verdict.OK : new Verdict(false, errors);
            validated.put(id, verdict);
            return verdict;
        }

        /** Python's {@code prompt[o_id]}: a number is not a string key, so it fails as a KeyError too. */
        private String linkedId(JsonElement first) {
            String key = first.isJsonPrimitive() ? first.getAsString() : ComfyJson.write(first);
            boolean isString = first.isJsonPrimitive() && first.getAsJsonPrimitive().isString();
            if (!isString || !classes.containsKey(key)) {
                throw new InnerFailure("KeyError", isString ? "'" + key + "'" : key);
            }
            return key;
        }

        /** Python's {@code RETURN_TYPES[val[1]]}, negative indices included. */
        private String receivedType(String oId, JsonElement slotJson) {
            NodeClass upstream = classes.get(oId);
            if (!slotJson.isJsonPrimitive() || !slotJson.getAsJsonPrimitive().isNumber()
                    || slotJson.getAsDouble() != Math.rint(slotJson.getAsDouble())) {
                throw new InnerFailure("TypeError", "tuple indices must be integers or slices, not "
                        + pythonTypeName(slotJson));
            }
            double s = slotJson.getAsDouble();
            int size = upstream.outputs().size();
            if (s >= size || s < -size) {
                throw new InnerFailure("IndexError", "tuple index out of range");
            }
            int slot = (int) (s < 0 ? s + size : s);
            return upstream.outputs().get(slot).type();
        }

        private PromptError checkLiteral(InputSpec in, JsonElement raw, String fileMessage) {
            String x = in.name();
            JsonElement val = raw;
            if (raw.isJsonObject() && raw.getAsJsonObject().has("__value__")) {
                val = raw.getAsJsonObject().get("__value__");
            }
            String type = in.type();
            BigDecimal number = null;
            try {
                if ("INT".equals(type)) {
                    number = PythonValues.toInt(val);
                } else if ("FLOAT".equals(type)) {
                    number = PythonValues.toFloat(val);
                }
            } catch (PythonValues.ConversionError ex) {
                JsonObject extra = extra(x);
                extra.add("input_config", config(in));
                extra.add("received_value", val);
                extra.addProperty("exception_message", ex.getMessage());
                return error("invalid_input_type", "Failed to convert an input value to a " + type + " value",
                        x + ", " + PythonValues.str(val) + ", " + ex.getMessage(), extra);
            }
            if (fileMessage != null) {
                String name = PythonValues.str(val);
                if (!fileExists(in, name)) {
                    return error("custom_validation_failed", "Custom validation failed for node",
                            x + " - " + fileMessage + name, extra(x));
                }
                return null;
            }
            if (number != null && in.min().isPresent() && number.compareTo(in.min().get()) < 0) {
                return bound("value_smaller_than_min", "Value " + PythonValues.repr(number, type) + " smaller than min of "
                        + bound(in, "min"), in, val);
            }
            if (number != null && in.max().isPresent() && number.compareTo(in.max().get()) > 0) {
                return bound("value_bigger_than_max", "Value " + PythonValues.repr(number, type) + " bigger than max of "
                        + bound(in, "max"), in, val);
            }
            if (in.kind() == InputKind.COMBO && in.remote().isEmpty()) {
                List<String> options = in.comboOptions();
                List<JsonElement> invalid = new ArrayList<>();
                if (in.multiselect() && val.isJsonArray()) {
                    for (JsonElement v : val.getAsJsonArray()) {
                        if (!inCombo(v, options)) {
                            invalid.add(v);
                        }
                    }
                } else if (!inCombo(val, options)) {
                    invalid.add(val);
                }
                if (!invalid.isEmpty()) {
                    boolean big = options.size() > 20;
                    String listInfo = big ? "(list of length " + options.size() + ")" : PythonValues.listRepr(options);
                    List<String> reprs = new ArrayList<>();
                    invalid.forEach(v -> reprs.add(PythonValues.repr(v)));
                    String optionStr = reprs.size() == 1 ? reprs.get(0) : "[" + String.join(", ", reprs) + "]";
                    JsonObject extra = extra(x);
                    extra.add("input_config", big ? JsonNull.INSTANCE : config(in));
                    extra.add("received_value", val);
                    return error("value_not_in_list", "Value not in list", x + ": " + optionStr + " not in " + listInfo,
                            extra);
                }
            }
            return null;
        }

        private static boolean inCombo(JsonElement v, List<String> options) {
            // Python compares values: a string choice is not the number with the same digits
            return v.isJsonPrimitive() && v.getAsJsonPrimitive().isString() && options.contains(v.getAsString());
        }

        /** {@code exists_annotated_filepath}: files of the output or temp folder cannot be checked from here. */
        private static boolean fileExists(InputSpec in, String name) {
            if (name.endsWith(" [output]") || name.endsWith(" [temp]")) {
                return true;
            }
            String plain = name.endsWith(" [input]") ? name.substring(0, name.length() - " [input]".length()) : name;
            if (in.comboOptions().isEmpty() && in.remote().isPresent()) {
                return true;
            }
            return in.comboOptions().contains(plain);
        }

        private PromptError bound(String type, String message, InputSpec in, JsonElement val) {
            JsonObject extra = extra(in.name());
            extra.add("input_config", config(in));
            extra.add("received_value", val);
            return error(type, message, in.name(), extra);
        }

        /** The bound as the schema spells it (Python prints the declared value). */
        private static String bound(InputSpec in, String key) {
            return in.rawOption(key).map(JsonElement::getAsString).orElse("");
        }

        private String classType(String id) {
            JsonElement node = prompt.get(id);
            if (node == null || !node.isJsonObject()) {
                return null;
            }
            JsonElement c = node.getAsJsonObject().get("class_type");
            return c != null && c.isJsonPrimitive() ? c.getAsString() : null;
        }

        private String title(String id) {
            JsonElement meta = prompt.get(id).getAsJsonObject().get("_meta");
            if (meta != null && meta.isJsonObject()) {
                JsonElement t = meta.getAsJsonObject().get("title");
                return t != null && t.isJsonPrimitive() ? t.getAsString() : null;
            }
            return null;
        }

        private ValidationReport fail(PromptError error) {
            return new ValidationReport(error, Map.of(), List.of());
        }
    }

    private static boolean typesMatch(String received, InputSpec in) {
        String expected = inputType(in);
        if (received.equals(expected)) {
            return true;
        }
        Set<String> r = split(received);
        Set<String> e = split(expected);
        if (r.contains("*") || e.contains("*")) {
            return true;
        }
        for (String t : r) {
            if (e.contains(t)) {
                return true;
            }
        }
        return false;
    }

    private static Set<String> split(String types) {
        Set<String> result = new HashSet<>();
        for (String t : types.split(",")) {
            result.add(t.strip());
        }
        return result;
    }

    /** The input type as the server prints it: legacy combos are their list, shown here as COMBO. */
    private static String inputType(InputSpec in) {
        return in.type();
    }

    private static JsonArray config(InputSpec in) {
        JsonArray a = new JsonArray();
        if (in.kind() == InputKind.COMBO && !in.rawOptions().has("options")) {
            JsonArray choices = new JsonArray();
            in.comboOptions().forEach(choices::add);
            a.add(choices);
        } else {
            a.add(in.type());
        }
        a.add(in.rawOptions());
        return a;
    }

    private static JsonObject extra(String inputName) {
        JsonObject o = new JsonObject();
        o.add("input_name", new JsonPrimitive(inputName));
        return o;
    }

    private static PromptError error(String type, String message, String details, JsonObject extra) {
        return new PromptError(type, message, details, extra);
    }

    private static String pythonTypeName(JsonElement v) {
        if (v.isJsonNull()) {
            return "NoneType";
        }
        if (v.isJsonArray()) {
            return "list";
        }
        if (v.isJsonObject()) {
            return "dict";
        }
        JsonPrimitive p = v.getAsJsonPrimitive();
        return p.isString() ? "str" : p.isBoolean() ? "bool" : "float";
    }

    private record Verdict(boolean valid, List<PromptError> reasons) {
        static final Verdict OK = new Verdict(true, List.of());
    }

    /** An exception Python would raise while looking up a link, reported by the caller. */
    private static final class InnerFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String pythonType;

        InnerFailure(String pythonType, String message) {
            super(message, null, false, false);
            this.pythonType = pythonType;
        }
    }
}
