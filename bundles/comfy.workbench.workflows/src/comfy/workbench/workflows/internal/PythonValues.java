package comfy.workbench.workflows.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.regex.Pattern;

import com.google.gson.JsonElement;
import com.google.gson.JsonPrimitive;

import comfy.workbench.model.api.ComfyJson;

/**
 * Python's {@code int()}, {@code float()}, {@code str()} and {@code repr()} on JSON values, as far as the
 * server's validation messages show them.
 */
final class PythonValues {

    private static final Pattern INT = Pattern.compile("[+-]?\\d+(_\\d+)*");

    /** A failed conversion; the message is Python's. */
    static final class ConversionError extends Exception {
        private static final long serialVersionUID = 1L;

        ConversionError(String message) {
            super(message, null, false, false);
        }
    }

    private PythonValues() {
    }

    static BigDecimal toInt(JsonElement v) throws ConversionError {
        if (v.isJsonPrimitive()) {
            JsonPrimitive p = v.getAsJsonPrimitive();
            if (p.isBoolean()) {
                return p.getAsBoolean() ? BigDecimal.ONE : BigDecimal.ZERO;
            }
            if (p.isNumber()) {
                String text = p.getAsString();
                if (INT.matcher(text).matches()) {
                    return new BigDecimal(text);
                }
                // Python's json reads any other number as a float: int() truncates it, or fails on NaN and
                // infinities (1e999 is one); going through double also keeps 1e999999999 from expanding
                double d = Double.parseDouble(text);
                if (Double.isNaN(d)) {
                    throw new ConversionError("cannot convert float NaN to integer");
                }
                if (Double.isInfinite(d)) {
                    throw new ConversionError("cannot convert float infinity to integer");
                }
                return new BigDecimal(d).setScale(0, RoundingMode.DOWN);
            }
            String s = p.getAsString().strip();
            if (!INT.matcher(s).matches()) {
                throw new ConversionError("invalid literal for int() with base 10: " + repr(v));
            }
            return new BigDecimal(s.replace("_", ""));
        }
        throw new ConversionError("int() argument must be a string, a bytes-like object or a real number, not '"
                + typeName(v) + "'");
    }

    static BigDecimal toFloat(JsonElement v) throws ConversionError {
        if (v.isJsonPrimitive()) {
            JsonPrimitive p = v.getAsJsonPrimitive();
            if (p.isBoolean()) {
                return p.getAsBoolean() ? BigDecimal.ONE : BigDecimal.ZERO;
            }
            String s = p.getAsString().strip().replace("_", "");
            double d;
            try {
                d = Double.parseDouble(s);
            } catch (NumberFormatException e) {
                throw new ConversionError("could not convert string to float: " + repr(v));
            }
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                return null; // a float, but not one the bound checks here compare (see the validator's notes)
            }
            return new BigDecimal(s.matches("(?i)[+-]?(\\d+\\.?\\d*|\\.\\d+)(e[+-]?\\d+)?") ? s : Double.toString(d));
        }
        throw new ConversionError("float() argument must be a string or a real number, not '" + typeName(v) + "'");
    }

    /** Python's {@code str()} of the value. */
    static String str(JsonElement v) {
        if (v.isJsonPrimitive()) {
            JsonPrimitive p = v.getAsJsonPrimitive();
            if (p.isBoolean()) {
                return p.getAsBoolean() ? "True" : "False";
            }
            return p.getAsString();
        }
        if (v.isJsonNull()) {
            return "None";
        }
        return ComfyJson.write(v);
    }

    /** Python's {@code repr()} of a scalar value. */
    static String repr(JsonElement v) {
        if (v.isJsonPrimitive() && v.getAsJsonPrimitive().isString()) {
            return quote(v.getAsString());
        }
        return str(v);
    }

    /** How Python prints the converted number of an INT or FLOAT input. */
    static String repr(BigDecimal n, String type) {
        if ("FLOAT".equals(type)) {
            String plain = n.stripTrailingZeros().toPlainString();
            return plain.contains(".") ? plain : plain + ".0";
        }
        return n.toPlainString();
    }

    static String listRepr(List<String> options) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < options.size(); i++) {
            if (i > 0) {
                b.append(", ");
            }
            b.append(quote(options.get(i)));
        }
        return b.append(']').toString();
    }

    private static String quote(String s) {
        return s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' + s + '"' : "'" + s.replace("'", "\\'") + "'";
    }

    private static String typeName(JsonElement v) {
        if (v.isJsonNull()) {
            return "NoneType";
        }
        return v.isJsonArray() ? "list" : v.isJsonObject() ? "dict" : "str";
    }
}
