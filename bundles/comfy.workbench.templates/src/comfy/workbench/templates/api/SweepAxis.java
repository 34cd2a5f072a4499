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
