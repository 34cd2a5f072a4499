package comfy.workbench.workflows.api;

import java.math.BigInteger;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The frontend's "control after generate" on an INT widget (a seed, usually): what happens to the value between
 * one queued prompt and the next. A UI workflow saves it as the hidden widget value after the number
 * ({@code [42, "randomize"]}); API-format JSON has none.
 * <p>
 * The arithmetic is the frontend's ({@code applyWidgetControl} in its widget code), with the control applied
 * <em>after</em> a prompt is queued (its default): run 0 uses the workflow's value, run {@code i} the value after
 * {@code i} applications. A step is the schema's {@code step} (1 when absent): the frontend's widget keeps ten
 * times it as its legacy {@code step} and divides by 10 again here. A result outside [{@link #min()},
 * {@link #max()}] is clamped to the nearer bound, not wrapped.
 *
 * @param targets the prompt inputs the value goes to: one widget's own input, or every input a
 *                {@code PrimitiveNode} feeds (they all get the same value)
 * @param mode    what happens between runs
 * @param min     the lowest value, as the frontend bounds it: the schema's {@code min} (0 when absent), at least
 *                {@value #FRONTEND_MIN}
 * @param max     the highest value: the schema's {@code max} (2048 when absent), at most {@value #FRONTEND_MAX}
 *                (the frontend's limit for JavaScript numbers, so a seed declared up to 2^64-1 stays below 2^50)
 * @param step    the change per increment or decrement, and the spacing of random values above {@code min}; positive
 */
public record ValueControl(List<Target> targets, Mode mode, long min, long max, long step) {

    /** The frontend's lowest value for a controlled widget ({@code -1125899906842624}, -2^50). */
    public static final long FRONTEND_MIN = -1125899906842624L;
    /** The frontend's highest value for a controlled widget ({@code 1125899906842624}, 2^50). */
    public static final long FRONTEND_MAX = 1125899906842624L;

    /** A prompt input: {@code nodeId} is the execution id ({@code "5:12"} inside a subgraph). */
    public record Target(String nodeId, String input) {
        public Target {
            Objects.requireNonNull(nodeId, "nodeId");
            Objects.requireNonNull(input, "input");
        }

        /** As {@code comfy run --set} names it: {@code NODE.INPUT}. */
        @Override
        public String toString() {
            return nodeId + "." + input;
        }
    }

    /** The frontend's control modes, by the names it saves. */
    public enum Mode {
        /** The value stays. */
        FIXED,
        /** The value grows by one step. */
        INCREMENT,
        /** The value shrinks by one step. */
        DECREMENT,
        /** A new value is drawn uniformly from {@code min, min + step, …} below {@code max}. */
        RANDOMIZE;

        /** The mode a saved name ({@code "randomize"}) stands for. */
        public static Optional<Mode> named(String name) {
            for (Mode m : values()) {
                if (m.name().toLowerCase(Locale.ROOT).equals(name)) {
                    return Optional.of(m);
                }
            }
            return Optional.empty();
        }
    }

    public ValueControl {
        targets = List.copyOf(targets);
        Objects.requireNonNull(mode, "mode");
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("a value control needs an input to control");
        }
        if (min > max || step <= 0) {
            throw new IllegalArgumentException("a value control needs min <= max and a positive step, not [" + min + ", "
                    + max + "] step " + step);
        }
    }

    /** The same control on fewer inputs: without {@code removed} ({@code --set} fixed them); empty when none is left. */
    public Optional<ValueControl> without(Collection<Target> removed) {
        List<Target> left = targets.stream().filter(t -> !removed.contains(t)).toList();
        return left.isEmpty() ? Optional.empty() : Optional.of(new ValueControl(left, mode, min, max, step));
    }

    /**
     * The value for run {@code run} (0-based) of a series whose first run uses {@code first}.
     *
     * @param random draws the random value ({@link RandomGenerator#nextLong(long)}, once per call, only for
     *               {@link Mode#RANDOMIZE} after run 0)
     */
    public BigInteger valueForRun(BigInteger first, int run, RandomGenerator random) {
        Objects.requireNonNull(first, "first");
        if (run < 0) {
            throw new IllegalArgumentException("run " + run + " is before the first (0)");
        }
        if (run == 0 || mode == Mode.FIXED) {
            return first;
        }
        if (mode == Mode.RANDOMIZE) {
            // the frontend: Math.floor(Math.random() * (max - min) / step) * step + min
            long choices = Math.max(1, ceilDiv(max - min, step));
            return BigInteger.valueOf(min).add(BigInteger.valueOf(random.nextLong(choices)).multiply(BigInteger.valueOf(step)));
        }
        BigInteger delta = BigInteger.valueOf(mode == Mode.INCREMENT ? step : -step);
        // the frontend clamps after every step; after the first the value is in range and moves one way, so
        // clamping once at the end is the same
        BigInteger once = clamp(first.add(delta));
        return clamp(once.add(delta.multiply(BigInteger.valueOf(run - 1L))));
    }

    private BigInteger clamp(BigInteger value) {
        return value.max(BigInteger.valueOf(min)).min(BigInteger.valueOf(max));
    }

    private static long ceilDiv(long a, long b) {
        return Math.floorDiv(a, b) + (Math.floorMod(a, b) == 0 ? 0 : 1);
    }
}
