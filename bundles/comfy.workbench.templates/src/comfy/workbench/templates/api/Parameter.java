package comfy.workbench.templates.api;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import com.google.gson.JsonElement;

/**
 * A named, typed input of a template.
 *
 * @param name         the name used in values and sweeps ({@code seed}, {@code steps}); letters, digits, {@code _.-}
 * @param label        what a user reads; the name when blank
 * @param type         the type
 * @param min          the least INT/FLOAT value, or {@code null}
 * @param max          the greatest INT/FLOAT value, or {@code null}
 * @param step         the INT/FLOAT step a UI offers, or {@code null} (a hint: the server does not enforce it)
 * @param options      the COMBO choices (may be empty when the schema lists none, e.g. remote combos)
 * @param seed         whether {@value #RANDOM} is accepted: the input is a seed ({@code control_after_generate})
 * @param defaultValue the value when none is given, or {@code null} when a value is required
 * @param bindings     the inputs the value is written to; at least one
 */
public record Parameter(String name, String label, ParameterType type, BigDecimal min, BigDecimal max, BigDecimal step,
        List<String> options, boolean seed, JsonElement defaultValue, List<Binding> bindings) {

    /** The value that asks for a random seed. */
    public static final String RANDOM = "random";

    public Parameter {
        Objects.requireNonNull(name, "name");
        if (!name.matches("[\\p{L}\\p{N}_.\\-]+")) {
            throw new IllegalArgumentException("a parameter name is letters, digits, _ . - : \"" + name + "\"");
        }
        label = label == null || label.isBlank() ? name : label;
        Objects.requireNonNull(type, "type");
        options = options == null ? List.of() : List.copyOf(options);
        defaultValue = defaultValue == null || defaultValue.isJsonNull() ? null : defaultValue.deepCopy();
        bindings = List.copyOf(bindings);
        if (bindings.isEmpty()) {
            throw new IllegalArgumentException("parameter " + name + " is bound to no input");
        }
    }

    @Override
    public JsonElement defaultValue() {
        return defaultValue == null ? null : defaultValue.deepCopy();
    }

    /** The default, if there is one. */
    public Optional<JsonElement> defaultIfAny() {
        return Optional.ofNullable(defaultValue());
    }

    public Parameter withLabel(String newLabel) {
        return new Parameter(name, newLabel, type, min, max, step, options, seed, defaultValue, bindings);
    }

    public Parameter withDefault(JsonElement value) {
        return new Parameter(name, label, type, min, max, step, options, seed, value, bindings);
    }

    public Parameter withBindings(List<Binding> newBindings) {
        return new Parameter(name, label, type, min, max, step, options, seed, defaultValue, newBindings);
    }
}
