package comfy.workbench.ui.workflows.internal;

import java.math.BigDecimal;
import java.util.Locale;

import com.google.gson.JsonElement;
import com.google.gson.JsonPrimitive;

import comfy.workbench.model.api.ComfyJson;
import comfy.workbench.model.api.InputKind;
import comfy.workbench.model.api.PromptNode;
import comfy.workbench.ui.common.Refusal;

/** An input's value as the editor shows it, and the value a typed text stands for. */
final class ValueText {

    private ValueText() {
    }

    /** The value as text: a literal as written, a link as the node and output it comes from. */
    static String show(JsonElement value) {
        if (value == null) {
            return "";
        }
        return PromptNode.Link.of(value).map(l -> "\u2190 node " + l.nodeId() + ", output " + l.slot())
                .orElseGet(() -> value.isJsonPrimitive() ? value.getAsString() : ComfyJson.write(value));
    }

    /**
     * The value a typed text stands for, of the input's kind when the server's schema gives it, else of the kind of
     * the value it replaces: a whole number for INT, a number for FLOAT, {@code true}/{@code false} for BOOLEAN, the
     * text for STRING and COMBO (the validator says whether a combo has it or a number is in range).
     *
     * @throws Refusal naming the input and what was wrong with the text
     */
    static JsonPrimitive parse(InputRow row, String text) {
        InputKind kind = row.kind().orElseGet(() -> kindOf(row.value()));
        String where = row.input() + " of node " + row.nodeId();
        String t = text.strip();
        switch (kind) {
        case INT:
            try {
                return new JsonPrimitive(new BigDecimal(t).toBigIntegerExact());
            } catch (NumberFormatException | ArithmeticException e) {
                throw new Refusal(where + " takes a whole number, not \"" + text + "\"");
            }
        case FLOAT:
            try {
                BigDecimal d = new BigDecimal(t);
                return new JsonPrimitive(d.scale() <= 0 ? d.toBigIntegerExact() : d);
            } catch (NumberFormatException | ArithmeticException e) {
                throw new Refusal(where + " takes a number, not \"" + text + "\"");
            }
        case BOOLEAN:
            return switch (t.toLowerCase(Locale.ROOT)) {
                case "true" -> new JsonPrimitive(true);
                case "false" -> new JsonPrimitive(false);
                default -> throw new Refusal(where + " takes true or false, not \"" + text + "\"");
            };
        default:
            return new JsonPrimitive(text);
        }
    }

    private static InputKind kindOf(JsonElement value) {
        if (value != null && value.isJsonPrimitive()) {
            JsonPrimitive p = value.getAsJsonPrimitive();
            if (p.isBoolean()) {
                return InputKind.BOOLEAN;
            }
            if (p.isNumber()) {
                return isWhole(p) ? InputKind.INT : InputKind.FLOAT;
            }
        }
        return InputKind.STRING;
    }

    private static boolean isWhole(JsonPrimitive number) {
        try {
            new BigDecimal(number.getAsString()).toBigIntegerExact();
            return true;
        } catch (NumberFormatException | ArithmeticException e) {
            return false;
        }
    }

    /** Whether two values are the same value (20 and 20.0 are). */
    static boolean same(JsonElement a, JsonElement b) {
        if (a.isJsonPrimitive() && b.isJsonPrimitive() && a.getAsJsonPrimitive().isNumber()
                && b.getAsJsonPrimitive().isNumber()) {
            return new BigDecimal(a.getAsString()).compareTo(new BigDecimal(b.getAsString())) == 0;
        }
        return a.equals(b);
    }
}
