package comfy.workbench.model.api;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;

import java.util.Map;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonPrimitive;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.Strictness;
import com.google.gson.JsonParser;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;

/**
 * Reads and writes JSON the way the ComfyUI server (Python's {@code json} module) does: bare
 * {@code NaN}, {@code Infinity} and {@code -Infinity} are accepted and written back, numbers keep all
 * their digits, and nothing may follow the single top-level value.
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
        String marked = markBareSpecialNumbers(json);
        if (marked == null) {
            return parse(new StringReader(json), what);
        }
        return restoreSpecialNumbers(parse(new StringReader(marked), what));
    }

    /*
     * Gson's lenient reader turns Python's bare NaN/Infinity into strings, which would then be written
     * back quoted. Bare words outside strings are therefore rewritten to marked strings before parsing
     * and turned into double values after it. Returns null when the text has no such word.
     */
    private static final char MARK = '\uE000';

    private static String markBareSpecialNumbers(String json) {
        StringBuilder out = null;
        int copied = 0;
        int n = json.length();
        for (int i = 0; i < n; i++) {
            char c = json.charAt(i);
            if (c == '"') {
                for (i++; i < n && json.charAt(i) != '"'; i++) {
                    if (json.charAt(i) == '\\') {
                        i++;
                    }
                }
            } else if (c == 'N' || c == 'I') {
                int start = i > 0 && json.charAt(i - 1) == '-' ? i - 1 : i;
                String word = json.startsWith("NaN", i) ? "NaN" : json.startsWith("Infinity", i) ? "Infinity" : null;
                if (word == null || (start == i - 1 && word.equals("NaN"))) {
                    continue;
                }
                if (out == null) {
                    out = new StringBuilder(n + 32);
                }
                out.append(json, copied, start).append('"').append(MARK).append(json, start, i + word.length()).append('"');
                i += word.length() - 1;
                copied = i + 1;
            }
        }
        return out == null ? null : out.append(json, copied, n).toString();
    }

    private static JsonElement restoreSpecialNumbers(JsonElement value) {
        if (value.isJsonPrimitive()) {
            JsonPrimitive p = value.getAsJsonPrimitive();
            if (p.isString() && !p.getAsString().isEmpty() && p.getAsString().charAt(0) == MARK) {
                return new JsonPrimitive(Double.parseDouble(p.getAsString().substring(1)));
            }
        } else if (value.isJsonArray()) {
            JsonArray array = value.getAsJsonArray();
            for (int i = 0; i < array.size(); i++) {
                array.set(i, restoreSpecialNumbers(array.get(i)));
            }
        } else if (value.isJsonObject()) {
            for (Map.Entry<String, JsonElement> e : value.getAsJsonObject().entrySet()) {
                e.setValue(restoreSpecialNumbers(e.getValue()));
            }
        }
        return value;
    }

    /** Parses one JSON value from a reader; {@code what} names the input in the error message. */
    public static JsonElement parse(Reader in, String what) {
        try {
            JsonReader reader = new JsonReader(in);
            reader.setStrictness(Strictness.LENIENT);
            if (reader.peek() == JsonToken.END_DOCUMENT) {
                throw new ComfyJsonException(what + ": empty, expected a JSON value");
            }
            JsonElement value = JsonParser.parseReader(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new ComfyJsonException(what + ": unexpected text after the JSON value at " + reader.getPath());
            }
            return value;
        } catch (JsonParseException | IOException | IllegalStateException | NumberFormatException e) {
            throw new ComfyJsonException(what + ": malformed JSON: " + rootMessage(e), e);
        } catch (StackOverflowError e) {
            throw new ComfyJsonException(what + ": JSON nested too deeply", null);
        }
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

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
