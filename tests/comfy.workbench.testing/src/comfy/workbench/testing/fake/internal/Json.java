package comfy.workbench.testing.fake.internal;

import java.io.StringReader;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;

/** Gson helpers; the server writes compact JSON and reads Python-style JSON leniently. */
public final class Json {

    private static final Gson GSON = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();

    private Json() {
    }

    /** Parses leniently (Python's {@code NaN}/{@code Infinity}); throws on anything that is not one JSON value. */
    public static JsonElement parse(String text) {
        JsonReader reader = new JsonReader(new StringReader(text));
        reader.setStrictness(Strictness.LENIENT);
        JsonElement element = JsonParser.parseReader(reader);
        try {
            if (reader.peek() != com.google.gson.stream.JsonToken.END_DOCUMENT) {
                throw new IllegalArgumentException("trailing data after JSON value");
            }
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
        return element;
    }

    public static String write(JsonElement element) {
        return GSON.toJson(element);
    }

    public static JsonObject obj(Object... keyValues) {
        JsonObject o = new JsonObject();
        for (int i = 0; i < keyValues.length; i += 2) {
            o.add((String) keyValues[i], of(keyValues[i + 1]));
        }
        return o;
    }

    public static JsonArray arr(Object... values) {
        JsonArray a = new JsonArray();
        for (Object v : values) {
            a.add(of(v));
        }
        return a;
    }

    public static JsonArray strings(Iterable<String> values) {
        JsonArray a = new JsonArray();
        values.forEach(a::add);
        return a;
    }

    public static JsonElement of(Object v) {
        if (v == null) {
            return JsonNull.INSTANCE;
        }
        if (v instanceof JsonElement e) {
            return e;
        }
        if (v instanceof String s) {
            return new JsonPrimitive(s);
        }
        if (v instanceof Number n) {
            return new JsonPrimitive(n);
        }
        if (v instanceof Boolean b) {
            return new JsonPrimitive(b);
        }
        throw new IllegalArgumentException("not a JSON value: " + v.getClass());
    }

    /** A message as the server sends it on the WebSocket: {@code {"type":…,"data":…}}. */
    public static String message(String type, JsonObject data) {
        return write(obj("type", type, "data", data));
    }

    public static String str(JsonObject o, String key) {
        JsonElement e = o == null ? null : o.get(key);
        return e == null || e.isJsonNull() || !e.isJsonPrimitive() ? null : e.getAsString();
    }

    /** A link in the API format: a two-element array whose first element is a string node id. */
    public static boolean isLink(JsonElement v) {
        return v != null && v.isJsonArray() && v.getAsJsonArray().size() == 2
                && v.getAsJsonArray().get(0).isJsonPrimitive() && v.getAsJsonArray().get(0).getAsJsonPrimitive().isString()
                && v.getAsJsonArray().get(1).isJsonPrimitive() && v.getAsJsonArray().get(1).getAsJsonPrimitive().isNumber();
    }
}
