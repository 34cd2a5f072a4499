package comfy.workbench.model.api;

import java.io.IOException;
import java.io.Reader;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import comfy.workbench.model.internal.PythonJsonParser;

/**
 * Reads and writes JSON the way the ComfyUI server (Python's {@code json} module) does: bare
 * {@code NaN}, {@code Infinity} and {@code -Infinity} are accepted and written back, numbers keep all
 * their digits and their spelling, and anything else that is not strict JSON (comments, unquoted words,
 * single quotes, text after the single top-level value) is refused with the line and column.
 */
public final class ComfyJson {

    private static final Gson GSON = new GsonBuilder()
            .serializeSpecialFloatingPointValues()
            .disableHtmlEscaping()
            .create();

    private ComfyJson() {
    }

    /** Parses one JSON value; {@code what} names the input in the error message. */
    public static JsonElement parse(String json, String what) {
        if (json == null) {
            throw new ComfyJsonException(what + ": no JSON text (null)");
        }
        return PythonJsonParser.parse(json, what);
    }

    /** Parses one JSON value from a reader; {@code what} names the input in the error message. */
    public static JsonElement parse(Reader in, String what) {
        StringBuilder text = new StringBuilder();
        char[] buffer = new char[8192];
        try {
            for (int n; (n = in.read(buffer)) >= 0;) {
                text.append(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new ComfyJsonException(what + ": cannot read the JSON text: " + e.getMessage(), e);
        }
        return parse(text.toString(), what);
    }

    /** Parses a value that must be a JSON object. */
    public static JsonObject parseObject(String json, String what) {
        JsonElement value = parse(json, what);
        if (!value.isJsonObject()) {
            throw new ComfyJsonException(what + ": expected a JSON object but found " + kind(value));
        }
        return value.getAsJsonObject();
    }

    /** Writes a value compactly; {@code NaN} and infinities are written as Python writes them. */
    public static String write(JsonElement value) {
        return GSON.toJson(value);
    }

    /** A short name for the kind of a JSON value, for error messages. */
    public static String kind(JsonElement value) {
        if (value == null || value.isJsonNull()) {
            return "null";
        }
        if (value.isJsonObject()) {
            return "an object";
        }
        if (value.isJsonArray()) {
            return "an array";
        }
        if (value.getAsJsonPrimitive().isString()) {
            return "a string";
        }
        if (value.getAsJsonPrimitive().isBoolean()) {
            return "a boolean";
        }
        return "a number";
    }
}
