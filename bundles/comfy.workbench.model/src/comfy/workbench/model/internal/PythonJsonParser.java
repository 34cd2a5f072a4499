package comfy.workbench.model.internal;

import java.math.BigInteger;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

import comfy.workbench.model.api.ComfyJsonException;

/**
 * Parses JSON text into Gson's tree exactly as Python's {@code json.loads} accepts it: strict JSON plus
 * the bare words {@code NaN}, {@code Infinity} and {@code -Infinity}. Gson's own lenient mode cannot be
 * used for this: it also accepts unquoted words, comments and single quotes, and reads the bare
 * {@code NaN} as a string that would then be written back quoted.
 * <p>
 * Numbers keep their spelling: integers become {@link Long} or, beyond 64 bits signed, {@link BigInteger}
 * (exact, so a seed of 2^64-1 survives); other numbers keep their text ({@code 8.0} stays {@code 8.0});
 * the special words become {@link Double}, which Gson writes back as Python does. Errors name the line
 * and column. One instance parses one text; it is not thread-safe.
 */
public final class PythonJsonParser {

    /** Deeper than any real ComfyUI document; keeps recursion (here and in Gson's tree code) bounded. */
    public static final int MAX_DEPTH = 512;

    /**
     * Python 3.11+ refuses to convert longer integers ({@code sys.get_int_max_str_digits()}), and
     * converting them is quadratic; no ComfyUI value comes near it.
     */
    public static final int MAX_INTEGER_DIGITS = 4300;

    private final String text;
    private final String what;
    private final int length;
    private int pos;
    private int depth;

    private PythonJsonParser(String text, String what) {
        this.text = text;
        this.what = what;
        this.length = text.length();
    }

    /** Parses the single JSON value that {@code text} must consist of; {@code what} names it in errors. */
    public static JsonElement parse(String text, String what) {
        return new PythonJsonParser(text, what).document();
    }

    private JsonElement document() {
        if (length > 0 && text.charAt(0) == '\uFEFF') {
            pos = 1; // a byte order mark, as editors on Windows write it, is not content
        }
        skipWhitespace();
        if (pos == length) {
            throw new ComfyJsonException(what + ": empty, expected a JSON value");
        }
        JsonElement value = value();
        skipWhitespace();
        if (pos != length) {
            throw error("unexpected text after the JSON value: " + excerpt());
        }
        return value;
    }

    private JsonElement value() {
        char c = text.charAt(pos);
        switch (c) {
            case '{':
                return object();
            case '[':
                return array();
            case '"':
                return new JsonPrimitive(string());
            case 't':
                word("true");
                return new JsonPrimitive(Boolean.TRUE);
            case 'f':
                word("false");
                return new JsonPrimitive(Boolean.FALSE);
            case 'n':
                word("null");
                return JsonNull.INSTANCE;
            case 'N':
                word("NaN");
                return new JsonPrimitive(Double.NaN);
            case 'I':
                word("Infinity");
                return new JsonPrimitive(Double.POSITIVE_INFINITY);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw error("expected a JSON value but found " + excerpt());
        }
    }

    private JsonObject object() {
        enter();
        JsonObject object = new JsonObject();
        pos++;
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            depth--;
            return object;
        }
        while (true) {
            if (peek() != '"') {
                throw error("expected a quoted member name but found " + excerpt());
            }
            String name = string();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            requireMore();
            // a repeated name keeps its first position and takes the last value, as in a Python dict
            object.add(name, value());
            skipWhitespace();
            char c = peek();
            pos++;
            if (c == '}') {
                depth--;
                return object;
            }
            if (c != ',') {
                pos--;
                throw error("expected ',' or '}' in an object but found " + excerpt());
            }
            skipWhitespace();
        }
    }

    private JsonArray array() {
        enter();
        JsonArray array = new JsonArray();
        pos++;
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            depth--;
            return array;
        }
        while (true) {
            requireMore();
            array.add(value());
            skipWhitespace();
            char c = peek();
            pos++;
            if (c == ']') {
                depth--;
                return array;
            }
            if (c != ',') {
                pos--;
                throw error("expected ',' or ']' in an array but found " + excerpt());
            }
            skipWhitespace();
        }
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw error("nested deeper than " + MAX_DEPTH + " levels");
        }
    }

    private String string() {
        int start = ++pos;
        // fast path: no escapes
        while (pos < length) {
            char c = text.charAt(pos);
            if (c == '"') {
                return text.substring(start, pos++);
            }
            if (c == '\\' || c < 0x20) {
                break;
            }
            pos++;
        }
        StringBuilder b = new StringBuilder(pos - start + 16).append(text, start, pos);
        while (pos < length) {
            char c = text.charAt(pos++);
            if (c == '"') {
                return b.toString();
            }
            if (c < 0x20) {
                pos--;
                throw error("unescaped control character U+" + String.format("%04X", (int) c) + " in a string");
            }
            if (c != '\\') {
                b.append(c);
                continue;
            }
            if (pos == length) {
                break;
            }
            char e = text.charAt(pos++);
            switch (e) {
                case '"', '\\', '/' -> b.append(e);
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> b.append(unicodeEscape());
                default -> {
                    pos -= 2;
                    throw error("invalid escape \\" + e + " in a string");
                }
            }
        }
        throw error("unterminated string starting at offset " + (start - 1));
    }

    private char unicodeEscape() {
        if (pos + 4 > length) {
            pos -= 2;
            throw error("truncated \\u escape");
        }
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int digit = Character.digit(text.charAt(pos + i), 16);
            if (digit < 0) {
                pos -= 2;
                throw error("invalid \\u escape " + excerpt());
            }
            value = value * 16 + digit;
        }
        pos += 4;
        return (char) value;
    }

    private JsonPrimitive number() {
        int start = pos;
        if (text.charAt(pos) == '-') {
            pos++;
            if (text.startsWith("Infinity", pos)) {
                pos += "Infinity".length();
                return new JsonPrimitive(Double.NEGATIVE_INFINITY);
            }
        }
        int intStart = pos;
        if (peek() == '0') {
            pos++;
        } else if (!digits()) {
            pos = start;
            throw error("malformed number " + excerpt());
        }
        boolean integer = true;
        if (peek() == '.') {
            pos++;
            integer = false;
            if (!digits()) {
                pos = start;
                throw error("malformed number " + excerpt());
            }
        }
        char c = peek();
        if (c == 'e' || c == 'E') {
            pos++;
            integer = false;
            c = peek();
            if (c == '+' || c == '-') {
                pos++;
            }
            if (!digits()) {
                pos = start;
                throw error("malformed number " + excerpt());
            }
        }
        if (pos < length && Character.isLetterOrDigit(text.charAt(pos))) {
            pos = start;
            throw error("malformed number " + excerpt()); // e.g. 012 or 1x
        }
        if (!integer || (pos - intStart == 1 && text.charAt(intStart) == '0' && start != intStart)) {
            return new JsonPrimitive(new NumberText(text.substring(start, pos))); // also keeps -0 as -0
        }
        if (pos - intStart <= 18) {
            return new JsonPrimitive(Long.parseLong(text, start, pos, 10));
        }
        if (pos - intStart > MAX_INTEGER_DIGITS) {
            pos = start;
            throw error("integer with more than " + MAX_INTEGER_DIGITS + " digits");
        }
        return new JsonPrimitive(new BigInteger(text.substring(start, pos)));
    }

    private boolean digits() {
        int start = pos;
        while (pos < length && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
            pos++;
        }
        return pos > start;
    }

    private void word(String word) {
        if (!text.startsWith(word, pos)) {
            throw error("expected a JSON value but found " + excerpt());
        }
        pos += word.length();
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("expected '" + c + "' but found " + excerpt());
        }
        pos++;
    }

    private void requireMore() {
        if (pos == length) {
            throw error("unexpected end of text");
        }
    }

    private char peek() {
        if (pos >= length) {
            throw error("unexpected end of text");
        }
        return text.charAt(pos);
    }

    private void skipWhitespace() {
        while (pos < length) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return;
            }
            pos++;
        }
    }

    private String excerpt() {
        if (pos >= length) {
            return "the end of the text";
        }
        int end = Math.min(length, pos + 24);
        String shown = text.substring(pos, end).replace("\n", "\\n").replace("\r", "\\r");
        return "'" + shown + (end < length ? "…'" : "'");
    }

    private ComfyJsonException error(String problem) {
        int line = 1;
        int lineStart = 0;
        int limit = Math.min(pos, length);
        for (int i = 0; i < limit; i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return new ComfyJsonException(what + ": malformed JSON at line " + line + " column " + (pos - lineStart + 1)
                + ": " + problem);
    }
}
