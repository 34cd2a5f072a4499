package comfy.workbench.model.api;

import java.util.Objects;
import java.util.Optional;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * One error as the ComfyUI server reports it, at the top of a failed {@code POST /prompt} or for one
 * input of one node: {@code {type, message, details, extra_info}}.
 *
 * @param type      the server's error category, e.g. {@code required_input_missing}, {@code value_not_in_list}
 * @param message   the human-readable message
 * @param details   further detail, often the input name ({@code ""} when the server gives none)
 * @param extraInfo {@code extra_info} (copied), e.g. {@code input_name}, {@code input_config}, {@code received_value}
 */
public record PromptError(String type, String message, String details, JsonObject extraInfo) {

    public PromptError {
        Objects.requireNonNull(type, "type");
        message = message == null ? "" : message;
        details = details == null ? "" : details;
        extraInfo = extraInfo == null ? new JsonObject() : extraInfo.deepCopy();
    }

    @Override
    public JsonObject extraInfo() {
        return extraInfo.deepCopy();
    }

    /** The {@code extra_info.input_name} this error is about, if any. */
    public Optional<String> inputName() {
        return string(extraInfo.get("input_name"));
    }

    /** The {@code extra_info.received_value}, if the server echoed it. */
    public Optional<JsonElement> receivedValue() {
        JsonElement value = extraInfo.get("received_value");
        return value == null ? Optional.empty() : Optional.of(value.deepCopy());
    }

    /** Reads {@code {type, message, details, extra_info}}. */
    public static PromptError fromJson(JsonElement json, String what) {
        if (json == null || !json.isJsonObject()) {
            throw new ComfyJsonException(what + ": expected an error object but found " + ComfyJson.kind(json));
        }
        JsonObject o = json.getAsJsonObject();
        String type = string(o.get("type")).orElseThrow(
                () -> new ComfyJsonException(what + ": error object has no type"));
        JsonElement extra = o.get("extra_info");
        return new PromptError(type, string(o.get("message")).orElse(""), string(o.get("details")).orElse(""),
                extra != null && extra.isJsonObject() ? extra.getAsJsonObject() : null);
    }

    /** Writes the error as the server does. */
    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("type", type);
        o.addProperty("message", message);
        o.addProperty("details", details);
        o.add("extra_info", extraInfo.deepCopy());
        return o;
    }

    static Optional<String> string(JsonElement value) {
        return value != null && value.isJsonPrimitive() ? Optional.of(value.getAsString()) : Optional.empty();
    }
}
