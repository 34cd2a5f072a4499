package comfy.workbench.testing.fake.internal;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;


/**
 * Mirrors ComfyUI 0.3.64's {@code execution.validate_prompt}: the same error types, messages, details and
 * {@code extra_info} shapes, and the same per-output bookkeeping (an invalid node is charged to every output
 * that fails after it was found), because clients parse these bodies field by field.
 */
public final class PromptValidator {

    /** The outcome: either an {@code error} (HTTP 400) or the outputs to execute, plus node errors in both cases. */
    public record Result(JsonObject error, List<String> goodOutputs, JsonObject nodeErrors) {
        public boolean ok() {
            return error == null;
        }
    }

    /** An exception raised while validating a node, reported by its caller as Python does. */
    private static final class InnerFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String pythonType;
        final JsonArray traceback;

        InnerFailure(String pythonType, String message, JsonArray traceback) {
            super(message, null, false, false);
            this.pythonType = pythonType;
            this.traceback = traceback;
        }
    }

    private record Verdict(boolean valid, JsonArray reasons) {
    }

    private static final JsonArray KEY_ERROR_TB = Json.arr(
            "  File \"/opt/ComfyUI/execution.py\", line 808, in validate_inputs\n    r = await validate_inputs(prompt_id, prompt, o_id, validated)\n        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n",
            "  File \"/opt/ComfyUI/execution.py\", line 788, in validate_inputs\n    o_class_type = prompt[o_id]['class_type']\n                   ~~~~~~^^^^^^\n");
    private static final JsonArray INDEX_ERROR_TB = Json.arr(
            "  File \"/opt/ComfyUI/execution.py\", line 808, in validate_inputs\n    r = await validate_inputs(prompt_id, prompt, o_id, validated)\n        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n",
            "  File \"/opt/ComfyUI/execution.py\", line 790, in validate_inputs\n    received_type = r[val[1]]\n                    ~^^^^^^^^\n");

    private final ObjectInfo info;
    private final Predicate<String> inputFileExists;

    /** @param inputFileExists whether an (annotated) input file name exists, for LoadImage's custom validation */
    public PromptValidator(ObjectInfo info, Predicate<String> inputFileExists) {
        this.info = info;
        this.inputFileExists = inputFileExists;
    }

    public Result validate(JsonObject prompt, List<String> partialTargets) {
        for (Map.Entry<String, JsonElement> node : prompt.entrySet()) {
            JsonObject n = node.getValue().isJsonObject() ? node.getValue().getAsJsonObject() : new JsonObject();
            String classType = Json.str(n, "class_type");
            if (classType == null) {
                return fail(error("invalid_prompt", "Cannot execute because a node is missing the class_type property.",
                        "Node ID '#" + node.getKey() + "'"));
            }
            if (info.get(classType) == null) {
                return fail(error("invalid_prompt", "Cannot execute because node " + classType + " does not exist.",
                        "Node ID '#" + node.getKey() + "'"));
            }
        }
        List<String> outputs = new ArrayList<>();
        for (String id : prompt.keySet()) {
            if (info.isOutputNode(Json.str(prompt.getAsJsonObject(id), "class_type"))
                    && (partialTargets == null || partialTargets.contains(id))) {
                outputs.add(id);
            }
        }
        if (outputs.isEmpty()) {
            return fail(error("prompt_no_outputs", "Prompt has no outputs", ""));
        }
        Map<String, Verdict> validated = new LinkedHashMap<>();
        List<String> good = new ArrayList<>();
        JsonObject nodeErrors = new JsonObject();
        for (String o : outputs) {
            boolean valid;
            try {
                valid = validateInputs(prompt, o, validated).valid();
            } catch (InnerFailure ex) {
                validated.put(o, new Verdict(false, Json.arr(error("exception_during_validation",
                        "Exception when validating node", ex.getMessage(),
                        Json.obj("exception_type", ex.pythonType, "traceback", ex.traceback)))));
                valid = false;
            }
            if (valid) {
                good.add(o);
                continue;
            }
            for (Map.Entry<String, Verdict> e : validated.entrySet()) {
                if (!e.getValue().valid() && e.getValue().reasons().size() > 0) {
                    if (!nodeErrors.has(e.getKey())) {
                        nodeErrors.add(e.getKey(), Json.obj("errors", e.getValue().reasons(), "dependent_outputs", new JsonArray(),
                                "class_type", Json.str(prompt.getAsJsonObject(e.getKey()), "class_type")));
                    }
                    nodeErrors.getAsJsonObject(e.getKey()).getAsJsonArray("dependent_outputs").add(o);
                }
            }
        }
        if (good.isEmpty()) {
            return new Result(error("prompt_outputs_failed_validation", "Prompt outputs failed validation", ""), good, nodeErrors);
        }
        return new Result(null, good, nodeErrors);
    }

    private Verdict validateInputs(JsonObject prompt, String id, Map<String, Verdict> validated) {
        Verdict done = validated.get(id);
        if (done != null) {
            return done;
        }
        JsonObject node = prompt.getAsJsonObject(id);
        String classType = Json.str(node, "class_type");
        JsonObject inputs = node.has("inputs") && node.get("inputs").isJsonObject() ? node.getAsJsonObject("inputs") : new JsonObject();
        JsonArray errors = new JsonArray();
        boolean valid = true;
        for (ObjectInfo.Input in : info.inputs(classType)) {
            String x = in.name();
            JsonElement val = inputs.get(x);
            if (val == null) {
                if (in.required()) {
                    errors.add(error("required_input_missing", "Required input is missing", x, Json.obj("input_name", x)));
                    valid = false;
                }
                continue;
            }
            if (Json.isLink(val)) {
                JsonArray link = val.getAsJsonArray();
                String oId = link.get(0).getAsString();
                if (!prompt.has(oId)) {
                    throw new InnerFailure("KeyError", "'" + oId + "'", KEY_ERROR_TB);
                }
                List<String> returnTypes = info.outputTypes(Json.str(prompt.getAsJsonObject(oId), "class_type"));
                int slot = link.get(1).getAsInt();
                if (slot < 0 || slot >= returnTypes.size()) {
                    throw new InnerFailure("IndexError", "tuple index out of range", INDEX_ERROR_TB);
                }
                String received = returnTypes.get(slot);
                String expected = in.type() == null ? "COMBO" : in.type();
                if (!typesMatch(received, expected)) {
                    errors.add(error("return_type_mismatch", "Return type mismatch between linked nodes",
                            x + ", received_type(" + received + ") mismatch input_type(" + expected + ")",
                            Json.obj("input_name", x, "input_config", in.config(), "received_type", received, "linked_node", link)));
                    valid = false;
                    continue;
                }
                try {
                    if (!validateInputs(prompt, oId, validated).valid()) {
                        valid = false;
                    }
                } catch (InnerFailure ex) {
                    valid = false;
                    validated.put(oId, new Verdict(false, Json.arr(error("exception_during_inner_validation",
                            "Exception when validating inner node", ex.getMessage(),
                            Json.obj("input_name", x, "input_config", in.config(), "exception_message", ex.getMessage(),
                                    "exception_type", ex.pythonType, "traceback", ex.traceback, "linked_node", link)))));
                }
                continue;
            }
            JsonObject literalError = checkLiteral(classType, in, val);
            if (literalError != null) {
                errors.add(literalError);
                valid = false;
            }
        }
        Verdict verdict = valid ? new Verdict(true, new JsonArray()) : new Verdict(false, errors);
        validated.put(id, verdict);
        return verdict;
    }

    private JsonObject checkLiteral(String classType, ObjectInfo.Input in, JsonElement raw) {
        String x = in.name();
        JsonElement val = raw.isJsonObject() && raw.getAsJsonObject().has("__value__") ? raw.getAsJsonObject().get("__value__") : raw;
        String type = in.type();
        BigDecimal number = null;
        try {
            if ("INT".equals(type)) {
                number = pythonInt(val);
            } else if ("FLOAT".equals(type)) {
                number = pythonFloat(val);
            }
        } catch (IllegalArgumentException ex) {
            return error("invalid_input_type", "Failed to convert an input value to a " + type + " value",
                    x + ", " + pyStr(val) + ", " + ex.getMessage(),
                    Json.obj("input_name", x, "input_config", in.config(), "received_value", val, "exception_message", ex.getMessage()));
        }
        if (isLoadImage(classType) && "image".equals(x)) {
            // LoadImage has VALIDATE_INPUTS for "image": the combo check is replaced by a file check
            if (!inputFileExists.test(pyStr(val))) {
                return error("custom_validation_failed", "Custom validation failed for node",
                        x + " - Invalid image file: " + pyStr(val), Json.obj("input_name", x));
            }
            return null;
        }
        JsonObject opts = in.options();
        if (number != null && opts.has("min") && number.compareTo(opts.get("min").getAsBigDecimal()) < 0) {
            return error("value_smaller_than_min", "Value " + pyNum(number, type) + " smaller than min of " + opts.get("min"), x,
                    Json.obj("input_name", x, "input_config", in.config(), "received_value", val));
        }
        if (number != null && opts.has("max") && number.compareTo(opts.get("max").getAsBigDecimal()) > 0) {
            return error("value_bigger_than_max", "Value " + pyNum(number, type) + " bigger than max of " + opts.get("max"), x,
                    Json.obj("input_name", x, "input_config", in.config(), "received_value", val));
        }
        JsonArray options = type == null ? in.config().get(0).getAsJsonArray()
                : "COMBO".equals(type) && opts.has("options") ? opts.getAsJsonArray("options") : null;
        if (options != null && !(opts.has("multiselect") && opts.get("multiselect").getAsBoolean()) && !options.contains(val)) {
            boolean big = options.size() > 20;
            return error("value_not_in_list", "Value not in list",
                    x + ": '" + pyStr(val) + "' not in " + (big ? "(list of length " + options.size() + ")" : pyList(options)),
                    Json.obj("input_name", x, "input_config", big ? JsonNull.INSTANCE : in.config(), "received_value", val));
        }
        return null;
    }

    private static boolean isLoadImage(String classType) {
        return "LoadImage".equals(classType) || "LoadImageMask".equals(classType);
    }

    private static boolean typesMatch(String received, String expected) {
        if (received.equals(expected) || "*".equals(received) || "*".equals(expected)) {
            return true;
        }
        List<String> r = List.of(received.split(","));
        return List.of(expected.split(",")).stream().anyMatch(r::contains);
    }

    private static BigDecimal pythonInt(JsonElement v) {
        if (v.isJsonPrimitive() && v.getAsJsonPrimitive().isBoolean()) {
            return v.getAsBoolean() ? BigDecimal.ONE : BigDecimal.ZERO;
        }
        if (v.isJsonPrimitive() && v.getAsJsonPrimitive().isNumber()) {
            return new BigDecimal(v.getAsString()).setScale(0, java.math.RoundingMode.DOWN);
        }
        String s = pyStr(v).strip();
        if (!s.matches("[+-]?\\d+")) {
            throw new IllegalArgumentException("invalid literal for int() with base 10: '" + pyStr(v) + "'");
        }
        return new BigDecimal(s);
    }

    private static BigDecimal pythonFloat(JsonElement v) {
        if (v.isJsonPrimitive() && v.getAsJsonPrimitive().isBoolean()) {
            return v.getAsBoolean() ? BigDecimal.ONE : BigDecimal.ZERO;
        }
        try {
            return new BigDecimal(v.isJsonPrimitive() ? v.getAsString().strip() : "x");
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("could not convert string to float: '" + pyStr(v) + "'");
        }
    }

    private static String pyNum(BigDecimal n, String type) {
        return "FLOAT".equals(type) && n.scale() <= 0 ? n.toPlainString() + ".0" : n.toPlainString();
    }

    private static String pyStr(JsonElement v) {
        return v.isJsonPrimitive() ? v.getAsString() : Json.write(v);
    }

    private static String pyList(JsonArray options) {
        List<String> parts = new ArrayList<>();
        for (JsonElement o : options) {
            parts.add(o.isJsonPrimitive() && o.getAsJsonPrimitive().isString() ? "'" + o.getAsString() + "'" : Json.write(o));
        }
        return "[" + String.join(", ", parts) + "]";
    }

    private static Result fail(JsonObject error) {
        return new Result(error, List.of(), new JsonObject());
    }

    static JsonObject error(String type, String message, String details) {
        return error(type, message, details, new JsonObject());
    }

    static JsonObject error(String type, String message, String details, JsonObject extraInfo) {
        return Json.obj("type", type, "message", message, "details", details, "extra_info", extraInfo);
    }

}
