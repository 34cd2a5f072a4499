package comfy.workbench.model.api;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * The declaration of one input of a node class in {@code /object_info}: {@code [TYPE]},
 * {@code [TYPE, {options}]}, the legacy combo {@code [["a","b"], {options}]}, or for a hidden input
 * the bare type name.
 * <p>
 * The options ComfyUI clients act on are read into typed accessors: bounds as {@link BigDecimal}
 * (a KSampler seed's maximum is 2^64-1, which neither {@code long} nor {@code double} holds exactly),
 * combo choices, upload and remote-list flags. Every option, known or not, stays available through
 * {@link #rawOptions()}. Instances are immutable.
 */
public final class InputSpec {

    private final String name;
    private final InputSection section;
    private final InputKind kind;
    private final String type;
    private final JsonObject rawOptions;
    private final List<String> comboOptions;
    private final JsonElement defaultValue;
    private final BigDecimal min;
    private final BigDecimal max;
    private final BigDecimal step;
    private final BigDecimal round;
    private final String tooltip;
    private final JsonObject remote;

    private InputSpec(String name, InputSection section, InputKind kind, String type, List<String> comboOptions,
            JsonObject rawOptions, String what) {
        this.name = name;
        this.section = section;
        this.kind = kind;
        this.type = type;
        this.comboOptions = List.copyOf(comboOptions);
        this.rawOptions = rawOptions;
        this.defaultValue = rawOptions.get("default");
        this.min = bound(rawOptions, "min", what);
        this.max = bound(rawOptions, "max", what);
        this.step = bound(rawOptions, "step", what);
        // "round": false switches FLOAT rounding off; only a number is a rounding precision
        JsonElement r = rawOptions.get("round");
        this.round = r != null && r.isJsonPrimitive() && r.getAsJsonPrimitive().isBoolean() ? null
                : bound(rawOptions, "round", what);
        this.tooltip = text(rawOptions, "tooltip", what);
        JsonElement remoteJson = rawOptions.get("remote");
        if (remoteJson != null && !remoteJson.isJsonNull() && !remoteJson.isJsonObject()) {
            throw new ComfyJsonException(what + ": remote is " + ComfyJson.kind(remoteJson) + ", expected an object");
        }
        this.remote = remoteJson != null && remoteJson.isJsonObject() ? remoteJson.getAsJsonObject() : null;
    }

    /**
     * Reads one input declaration.
     *
     * @param name    the input's name (its key in the section)
     * @param section the section it is declared in
     * @param json    the declaration
     * @param what    names the declaration in error messages, e.g. {@code "object_info: class KSampler input seed"}
     * @throws ComfyJsonException if the declaration is not one of the forms ComfyUI uses
     */
    public static InputSpec fromJson(String name, InputSection section, JsonElement json, String what) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(section, "section");
        if (json != null && json.isJsonPrimitive() && json.getAsJsonPrimitive().isString() && section == InputSection.HIDDEN) {
            // hidden inputs are usually declared by their bare type name: "prompt": "PROMPT"
            return new InputSpec(name, section, InputKind.HIDDEN, json.getAsString(), List.of(), new JsonObject(), what);
        }
        if (json == null || !json.isJsonArray()) {
            throw new ComfyJsonException(what + ": declaration is " + ComfyJson.kind(json)
                    + ", expected [TYPE] or [TYPE, {options}]");
        }
        JsonArray array = json.getAsJsonArray();
        if (array.isEmpty() || array.size() > 2) {
            throw new ComfyJsonException(what + ": declaration has " + array.size()
                    + " elements, expected [TYPE] or [TYPE, {options}]");
        }
        JsonObject options = new JsonObject();
        if (array.size() == 2 && !array.get(1).isJsonNull()) {
            if (!array.get(1).isJsonObject()) {
                throw new ComfyJsonException(what + ": options are " + ComfyJson.kind(array.get(1))
                        + ", expected an object");
            }
            options = array.get(1).getAsJsonObject().deepCopy();
        }
        JsonElement head = array.get(0);
        if (head.isJsonArray()) {
            return new InputSpec(name, section, section == InputSection.HIDDEN ? InputKind.HIDDEN : InputKind.COMBO,
                    "COMBO", choices(head.getAsJsonArray(), what), options, what);
        }
        if (!head.isJsonPrimitive() || !head.getAsJsonPrimitive().isString()) {
            throw new ComfyJsonException(what + ": type is " + ComfyJson.kind(head)
                    + ", expected a type name or a list of choices");
        }
        String type = head.getAsString();
        if (section == InputSection.HIDDEN) {
            return new InputSpec(name, section, InputKind.HIDDEN, type, List.of(), options, what);
        }
        InputKind kind = switch (type) {
            case "INT" -> InputKind.INT;
            case "FLOAT" -> InputKind.FLOAT;
            case "STRING" -> InputKind.STRING;
            case "BOOLEAN" -> InputKind.BOOLEAN;
            case "COMBO" -> InputKind.COMBO;
            default -> InputKind.LINK;
        };
        List<String> choices = List.of();
        if (kind == InputKind.COMBO) {
            JsonElement list = options.get("options");
            if (list != null && !list.isJsonNull()) {
                if (!list.isJsonArray()) {
                    throw new ComfyJsonException(what + ": options.options is " + ComfyJson.kind(list)
                            + ", expected a list of choices");
                }
                choices = choices(list.getAsJsonArray(), what);
            }
        }
        return new InputSpec(name, section, kind, type, choices, options, what);
    }

    private static List<String> choices(JsonArray list, String what) {
        List<String> result = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            JsonElement choice = list.get(i);
            if (!choice.isJsonPrimitive()) {
                throw new ComfyJsonException(what + ": combo choice " + i + " is " + ComfyJson.kind(choice)
                        + ", expected a string or number");
            }
            result.add(choice.getAsString());
        }
        return result;
    }

    private static BigDecimal bound(JsonObject options, String key, String what) {
        JsonElement value = options.get(key);
        if (value == null || value.isJsonNull()) {
            return null;
        }
        if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isNumber()) {
            throw new ComfyJsonException(what + ": " + key + " is " + ComfyJson.kind(value) + ", expected a number");
        }
        Number number = value.getAsNumber();
        if (number instanceof Double d && (d.isInfinite() || d.isNaN())) {
            if (d.isNaN()) {
                throw new ComfyJsonException(what + ": " + key + " is NaN, expected a number");
            }
            return null; // Python's float("inf") as a bound means unbounded
        }
        return value.getAsBigDecimal();
    }

    private static String text(JsonObject options, String key, String what) {
        JsonElement value = options.get(key);
        if (value == null || value.isJsonNull()) {
            return null;
        }
        if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
            throw new ComfyJsonException(what + ": " + key + " is " + ComfyJson.kind(value) + ", expected a string");
        }
        return value.getAsString();
    }

    private boolean flag(String key) {
        JsonElement value = rawOptions.get(key);
        return value != null && value.isJsonPrimitive() && value.getAsJsonPrimitive().isBoolean() && value.getAsBoolean();
    }

    /** The input's name, the key a prompt node's {@code inputs} uses for it. */
    public String name() {
        return name;
    }

    public InputSection section() {
        return section;
    }

    public InputKind kind() {
        return kind;
    }

    /**
     * The declared type name: {@code INT}, {@code FLOAT}, {@code STRING}, {@code BOOLEAN}, {@code COMBO}
     * (also for legacy combos), a link type such as {@code MODEL} or {@code *}, or for hidden inputs
     * {@code PROMPT}, {@code UNIQUE_ID}, ….
     */
    public String type() {
        return type;
    }

    /** Whether the input sits in the {@code required} section. */
    public boolean isRequired() {
        return section == InputSection.REQUIRED;
    }

    /** The {@code default} option (a copy), if declared. */
    public Optional<JsonElement> defaultValue() {
        return defaultValue == null ? Optional.empty() : Optional.of(defaultValue.deepCopy());
    }

    /** The {@code min} option, exact. */
    public Optional<BigDecimal> min() {
        return Optional.ofNullable(min);
    }

    /** The {@code max} option, exact (for a seed, 18446744073709551615). */
    public Optional<BigDecimal> max() {
        return Optional.ofNullable(max);
    }

    /** The {@code step} option. */
    public Optional<BigDecimal> step() {
        return Optional.ofNullable(step);
    }

    /** The {@code round} precision of a FLOAT; empty if not declared or declared {@code false} (no rounding). */
    public Optional<BigDecimal> round() {
        return Optional.ofNullable(round);
    }

    /** Whether a STRING input is edited as multi-line text ({@code multiline}). */
    public boolean multiline() {
        return flag("multiline");
    }

    /**
     * The choices of a COMBO input, in the server's order: the list of the legacy form or
     * {@code options.options} of the {@code COMBO} form. Empty for other kinds, and for combos whose
     * choices are fetched from a {@link #remote()} route.
     */
    public List<String> comboOptions() {
        return comboOptions;
    }

    /** Whether a COMBO accepts several choices ({@code multiselect}). */
    public boolean multiselect() {
        return flag("multiselect");
    }

    /** The {@code remote} object of a combo whose choices are loaded from a server route (a copy). */
    public Optional<JsonObject> remote() {
        return remote == null ? Optional.empty() : Optional.of(remote.deepCopy());
    }

    /** Whether the input offers uploading an image to the server's input folder ({@code image_upload}). */
    public boolean imageUpload() {
        return flag("image_upload");
    }

    /** Whether the client should offer to change the value after each run ({@code control_after_generate}). */
    public boolean controlAfterGenerate() {
        JsonElement value = rawOptions.get("control_after_generate");
        // the frontend also takes a string naming the initial mode ("fixed", "randomize", …)
        return flag("control_after_generate")
                || (value != null && value.isJsonPrimitive() && value.getAsJsonPrimitive().isString());
    }

    /** Whether a widget type is shown as a socket only ({@code forceInput}): it is given by a link. */
    public boolean forceInput() {
        return flag("forceInput");
    }

    /** The {@code tooltip} option. */
    public Optional<String> tooltip() {
        return Optional.ofNullable(tooltip);
    }

    /** All declared options (a copy), including those this class has no accessor for. */
    public JsonObject rawOptions() {
        return rawOptions.deepCopy();
    }

    /** One raw option (a copy), if declared. */
    public Optional<JsonElement> rawOption(String key) {
        JsonElement value = rawOptions.get(key);
        return value == null ? Optional.empty() : Optional.of(value.deepCopy());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof InputSpec spec && spec.name.equals(name) && spec.section == section
                && spec.kind == kind && spec.type.equals(type) && spec.comboOptions.equals(comboOptions)
                && spec.rawOptions.equals(rawOptions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, section, type, comboOptions, rawOptions);
    }

    @Override
    public String toString() {
        return section.key() + " " + name + ": " + (kind == InputKind.LINK || kind == InputKind.HIDDEN ? kind + "(" + type + ")" : kind)
                + (comboOptions.isEmpty() ? "" : " " + comboOptions) + (rawOptions.isEmpty() ? "" : " " + ComfyJson.write(rawOptions));
    }
}
