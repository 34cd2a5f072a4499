package comfy.workbench.templates.api;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The values one parameter takes in a sweep.
 *
 * @param parameter the parameter's name
 * @param values    the values, in order; not empty
 */
public record SweepAxis(String parameter, List<Object> values) {

    /** More values than a range may expand to: a sweep this wide is a typo, not a plan. */
    public static final int MAX_RANGE = 100_000;

    public SweepAxis {
        Objects.requireNonNull(parameter, "parameter");
        values = List.copyOf(values);
        if (values.isEmpty()) {
            throw new IllegalArgumentException("sweep axis " + parameter + " has no values");
        }
    }

    /**
     * The values a typed text stands for: one, or several for a sweep. Numbers and combo options are separated by
     * commas ({@code 20, 30, 40}; an option whose own name has a comma is one value); text and image files by
     * {@code |}, because a prompt has commas of its own ({@code a cat, sunset | a dog, dawn}; a {@code |} inside
     * braces, the wildcard syntax, stays in the text); a boolean is one value. Values are trimmed, except a single
     * text value, which is kept as typed. They go to the template service as typed, which checks them.
     *
     * @since 0.2.0
     */
    public static List<String> split(Parameter parameter, String text) {
        List<String> pieces = switch (parameter.type()) {
            case INT, FLOAT -> List.of(text.split(",", -1));
            case COMBO -> parameter.options().contains(text.strip()) ? List.of(text) : List.of(text.split(",", -1));
            case STRING, IMAGE -> bars(text);
            case BOOLEAN -> List.of(text);
        };
        if (pieces.size() == 1) {
            return List.of(parameter.type() == ParameterType.STRING ? text : text.strip());
        }
        return pieces.stream().map(String::strip).toList();
    }

    /**
     * How the values of a sweep of a parameter of this type are separated in text ({@link #split}).
     *
     * @since 0.2.0
     */
    public static String separator(ParameterType type) {
        return type == ParameterType.STRING || type == ParameterType.IMAGE ? " | " : ", ";
    }

    /** Splits at each {@code |} outside braces. */
    private static List<String> bars(String text) {
        List<String> pieces = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && depth > 0) {
                depth--;
            } else if (c == '|' && depth == 0) {
                pieces.add(text.substring(start, i));
                start = i + 1;
            }
        }
        pieces.add(text.substring(start));
        return pieces;
    }

    /** A list of values. */
    public static SweepAxis of(String parameter, Object... values) {
        return new SweepAxis(parameter, List.of(values));
    }

    /**
     * {@code from}, {@code from + step}, … up to and including {@code to} (decimal arithmetic: {@code 0.1} steps do
     * not drift).
     *
     * @throws IllegalArgumentException for a step that is not positive, {@code to < from}, or more than
     *                                  {@link #MAX_RANGE} values
     */
    public static SweepAxis range(String parameter, BigDecimal from, BigDecimal to, BigDecimal step) {
        if (step.signum() <= 0) {
            throw new IllegalArgumentException("sweep range of " + parameter + ": the step must be positive, not " + step);
        }
        if (to.compareTo(from) < 0) {
            throw new IllegalArgumentException("sweep range of " + parameter + ": " + to + " is below " + from);
        }
        BigDecimal count = to.subtract(from).divide(step, 0, java.math.RoundingMode.FLOOR).add(BigDecimal.ONE);
        if (count.compareTo(BigDecimal.valueOf(MAX_RANGE)) > 0) {
            throw new IllegalArgumentException("sweep range of " + parameter + " has " + count + " values, more than "
                    + MAX_RANGE);
        }
        List<Object> values = new ArrayList<>();
        for (BigDecimal v = from; v.compareTo(to) <= 0; v = v.add(step)) {
            values.add(v);
        }
        return new SweepAxis(parameter, values);
    }
}
