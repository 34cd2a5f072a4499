package comfy.workbench.monitor.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;

/**
 * Reads typed field values, from a streaming reader or from a tree, and reports a wrong kind as a
 * {@link ShapeException} naming the field. Lenient where the server's Python is: node ids may come as numbers
 * (they are ids, not quantities), numbers as {@code NaN}/{@code Infinity}.
 */
final class Fields {

    private Fields() {
    }

    // ---- streaming

    /** A string, a number's text, or null. */
    static String string(JsonReader in, String field) throws IOException {
        JsonToken t = in.peek();
        switch (t) {
            case STRING:
            case NUMBER:
                return in.nextString();
            case NULL:
                in.nextNull();
                return null;
            default:
                throw new ShapeException(field + " is " + kind(t) + ", not a string");
        }
    }

    /** A string or a number's text; null is refused. */
    static String requiredString(JsonReader in, String field) throws IOException {
        String s = string(in, field);
        if (s == null) {
            throw new ShapeException(field + " is null");
        }
        return s;
    }

    /** A number (Python may send {@code NaN}/{@code Infinity}, which the lenient reader sees as strings). */
    static double number(JsonReader in, String field) throws IOException {
        JsonToken t = in.peek();
        if (t != JsonToken.NUMBER && t != JsonToken.STRING) {
            throw new ShapeException(field + " is " + kind(t) + ", not a number");
        }
        try {
            return in.nextDouble();
        } catch (NumberFormatException e) {
            throw new ShapeException(field + " is not a number");
        }
    }

    /** A whole number that fits an int. */
    static int integer(JsonReader in, String field) throws IOException {
        JsonToken t = in.peek();
        if (t != JsonToken.NUMBER) {
            throw new ShapeException(field + " is " + kind(t) + ", not an integer");
        }
        try {
            return in.nextInt();
        } catch (NumberFormatException e) {
            throw new ShapeException(field + " is not an int");
        }
    }

    /** Epoch milliseconds; null means the server sent none (0). */
    static long timestamp(JsonReader in, String field) throws IOException {
        JsonToken t = in.peek();
        if (t == JsonToken.NULL) {
            in.nextNull();
            return 0;
        }
        if (t != JsonToken.NUMBER) {
            throw new ShapeException(field + " is " + kind(t) + ", not a number");
        }
        try {
            return in.nextLong();
        } catch (NumberFormatException e) {
            throw new ShapeException(field + " is not a whole number of milliseconds");
        }
    }

    /** An array of node ids (strings or numbers); null is an empty list. */
    static List<String> strings(JsonReader in, String field) throws IOException {
        JsonToken t = in.peek();
        if (t == JsonToken.NULL) {
            in.nextNull();
            return List.of();
        }
        if (t != JsonToken.BEGIN_ARRAY) {
            throw new ShapeException(field + " is " + kind(t) + ", not an array");
        }
        List<String> list = new ArrayList<>();
        in.beginArray();
        while (in.hasNext()) {
            list.add(requiredString(in, field + "[" + list.size() + "]"));
        }
        in.endArray();
        return list;
    }

    /** Enters an object or reports what came instead. */
    static void beginObject(JsonReader in, String field) throws IOException {
        JsonToken t = in.peek();
        if (t != JsonToken.BEGIN_OBJECT) {
            throw new ShapeException(field + " is " + kind(t) + ", not an object");
        }
        in.beginObject();
    }

    static String kind(JsonToken t) {
        return switch (t) {
            case BEGIN_ARRAY -> "an array";
            case BEGIN_OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            case END_DOCUMENT -> "nothing";
            default -> t.name();
        };
    }

    // ---- tree

    static JsonObject object(JsonElement e, String field) {
        if (e == null || !e.isJsonObject()) {
            throw new ShapeException(field + " is " + kind(e) + ", not an object");
        }
        return e.getAsJsonObject();
    }

    /** A string, a number's text, or null (absent or JSON null). */
    static String string(JsonObject o, String field) {
        JsonElement e = o.get(field);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (e.isJsonPrimitive() && !e.getAsJsonPrimitive().isBoolean()) {
            return e.getAsString();
        }
        throw new ShapeException(field + " is " + kind(e) + ", not a string");
    }

    static String requiredString(JsonObject o, String field) {
        String s = string(o, field);
        if (s == null) {
            throw new ShapeException(field + " is missing");
        }
        return s;
    }

    static long timestamp(JsonObject o, String field) {
        JsonElement e = o.get(field);
        if (e == null || e.isJsonNull()) {
            return 0;
        }
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
            try {
                return new java.math.BigDecimal(e.getAsString()).longValueExact();
            } catch (ArithmeticException | NumberFormatException x) {
                throw new ShapeException(field + " is not a whole number of milliseconds");
            }
        }
        throw new ShapeException(field + " is " + kind(e) + ", not a number");
    }

    /** An array of strings (numbers taken as their text); absent or null is an empty list. */
    static List<String> strings(JsonObject o, String field) {
        JsonElement e = o.get(field);
        if (e == null || e.isJsonNull()) {
            return List.of();
        }
        if (!e.isJsonArray()) {
            throw new ShapeException(field + " is " + kind(e) + ", not an array");
        }
        JsonArray a = e.getAsJsonArray();
        List<String> list = new ArrayList<>(a.size());
        for (int i = 0; i < a.size(); i++) {
            JsonElement item = a.get(i);
            if (!(item.isJsonPrimitive() && !item.getAsJsonPrimitive().isBoolean())) {
                throw new ShapeException(field + "[" + i + "] is " + kind(item) + ", not a string");
            }
            list.add(item.getAsString());
        }
        return list;
    }

    private static String kind(JsonElement e) {
        if (e == null) {
            return "missing";
        }
        if (e.isJsonNull()) {
            return "null";
        }
        if (e.isJsonObject()) {
            return "an object";
        }
        if (e.isJsonArray()) {
            return "an array";
        }
        JsonPrimitive p = e.getAsJsonPrimitive();
        return p.isBoolean() ? "a boolean" : p.isNumber() ? "a number" : "a string";
    }
}
