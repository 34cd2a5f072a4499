package comfy.workbench.workflows.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;

import comfy.workbench.model.api.PromptGraph;
import comfy.workbench.workflows.api.ValueControl;
import comfy.workbench.workflows.api.ValueControl.Mode;
import comfy.workbench.workflows.api.ValueControl.Target;
import comfy.workbench.workflows.api.Workflow;
import comfy.workbench.workflows.api.WorkflowFormat;

/** The frontend's control after generate, applied to the i-th of several queued runs. */
class ValueControlTest {

    private static final Target SEED = new Target("3", "seed");
    private static final long MAX = ValueControl.FRONTEND_MAX;

    /** Fails the test if a draw is made: only randomize after run 0 may draw. */
    private static final RandomGenerator NO_DRAW = () -> {
        throw new AssertionError("drew a random number");
    };

    /** Draws what {@code pick} gives for each bound, recording the bounds asked for. */
    private static RandomGenerator drawing(List<Long> bounds, java.util.function.LongUnaryOperator pick) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                throw new AssertionError("an unbounded draw");
            }

            @Override
            public long nextLong(long bound) {
                bounds.add(bound);
                return pick.applyAsLong(bound);
            }
        };
    }

    private static ValueControl control(Mode mode, long min, long max, long step) {
        return new ValueControl(List.of(SEED), mode, min, max, step);
    }

    private static BigInteger big(long v) {
        return BigInteger.valueOf(v);
    }

    @Test
    void theFirstRunAlwaysUsesTheWorkflowsValue() {
        for (Mode mode : Mode.values()) {
            assertEquals(big(42), control(mode, 0, MAX, 1).valueForRun(big(42), 0, NO_DRAW), mode.name());
        }
        // even one outside the bounds: the frontend clamps only when it applies the control
        BigInteger huge = new BigInteger("18446744073709551615");
        assertEquals(huge, control(Mode.INCREMENT, 0, MAX, 1).valueForRun(huge, 0, NO_DRAW));
    }

    @Test
    void fixedKeepsTheValue() {
        ValueControl fixed = control(Mode.FIXED, 0, MAX, 1);
        for (int run = 1; run < 5; run++) {
            assertEquals(big(42), fixed.valueForRun(big(42), run, NO_DRAW));
        }
    }

    @Test
    void incrementAndDecrementStepOncePerRunAndStopAtTheBounds() {
        assertEquals(List.of(big(42), big(43), big(44), big(45)), series(control(Mode.INCREMENT, 0, MAX, 1), 42, 4));
        assertEquals(List.of(big(42), big(41), big(40)), series(control(Mode.DECREMENT, 0, MAX, 1), 42, 3));
        assertEquals(List.of(big(10), big(15), big(20)), series(control(Mode.INCREMENT, 0, 100, 5), 10, 3));
        // clamped, not wrapped
        assertEquals(List.of(big(98), big(99), big(100), big(100)), series(control(Mode.INCREMENT, 0, 100, 1), 98, 4));
        assertEquals(List.of(big(1), big(0), big(0)), series(control(Mode.DECREMENT, 0, 100, 1), 1, 3));
        assertEquals(big(100), control(Mode.INCREMENT, 0, 100, 7).valueForRun(big(99), 1, NO_DRAW));
    }

    @Test
    void aValueOutsideTheBoundsIsClampedAtTheFirstStep() {
        // a seed saved as 2^64-1 (the schema's max) cannot be stepped beyond the frontend's 2^50
        BigInteger huge = new BigInteger("18446744073709551615");
        assertEquals(big(MAX), control(Mode.INCREMENT, 0, MAX, 1).valueForRun(huge, 1, NO_DRAW));
        assertEquals(big(MAX), control(Mode.DECREMENT, 0, MAX, 1).valueForRun(huge, 1, NO_DRAW));
        assertEquals(big(MAX - 1), control(Mode.DECREMENT, 0, MAX, 1).valueForRun(huge, 2, NO_DRAW));
        // below min: clamped up first, then stepped from there (not min + runs)
        assertEquals(List.of(big(-5), big(0), big(1)), series(control(Mode.INCREMENT, 0, 100, 1), -5, 3));
    }

    @Test
    void randomizeDrawsOnceARunAmongTheStepsBelowMax() {
        List<Long> bounds = new ArrayList<>();
        ValueControl seed = control(Mode.RANDOMIZE, 0, MAX, 1);
        assertEquals(big(0), seed.valueForRun(big(42), 1, drawing(bounds, b -> 0)));
        assertEquals(big(MAX - 1), seed.valueForRun(big(42), 7, drawing(bounds, b -> b - 1)));
        assertEquals(List.of(MAX, MAX), bounds);

        bounds.clear();
        ValueControl stepped = control(Mode.RANDOMIZE, -10, 10, 3); // -10, -7, ..., 8: 7 values, as floor(r * 20/3)
        assertEquals(big(-10), stepped.valueForRun(big(0), 1, drawing(bounds, b -> 0)));
        assertEquals(big(8), stepped.valueForRun(big(0), 1, drawing(bounds, b -> b - 1)));
        assertEquals(List.of(7L, 7L), bounds);

        assertEquals(big(5), control(Mode.RANDOMIZE, 5, 5, 1).valueForRun(big(0), 1, drawing(new ArrayList<>(), b -> 0)));
    }

    @Test
    void randomizedSeedsDiffer() {
        ValueControl seed = control(Mode.RANDOMIZE, 0, MAX, 1);
        SplittableRandom random = new SplittableRandom(7);
        Set<BigInteger> seen = new HashSet<>();
        for (int run = 1; run <= 100; run++) {
            BigInteger v = seed.valueForRun(big(42), run, random);
            assertTrue(v.signum() >= 0 && v.compareTo(big(MAX)) < 0, v.toString());
            seen.add(v);
        }
        assertEquals(100, seen.size());
    }

    @Test
    void badControlsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> control(Mode.FIXED, 5, 4, 1));
        assertThrows(IllegalArgumentException.class, () -> control(Mode.FIXED, 0, 4, 0));
        assertThrows(IllegalArgumentException.class, () -> new ValueControl(List.of(), Mode.FIXED, 0, 4, 1));
        assertThrows(IllegalArgumentException.class, () -> control(Mode.FIXED, 0, 4, 1).valueForRun(big(1), -1, NO_DRAW));
        assertEquals(Mode.RANDOMIZE, Mode.named("randomize").orElseThrow());
        assertTrue(Mode.named("RANDOMIZE").isEmpty());
    }

    static final PromptGraph GRAPH = PromptGraph.parse("""
            {"3":{"class_type":"KSampler","inputs":{"seed":42,"steps":20}},
             "4":{"class_type":"KSampler","inputs":{"seed":42,"steps":["9",0]}},
             "5":{"class_type":"EmptyImage","inputs":{"width":"wide","height":64}}}
            """, "graph");

    @Test
    void promptForRunAppliesEachControlToItsInputs() {
        ValueControl shared = new ValueControl(List.of(SEED, new Target("4", "seed")), Mode.RANDOMIZE, 0, MAX, 1);
        ValueControl height = new ValueControl(List.of(new Target("5", "height")), Mode.DECREMENT, 1, 100, 8);
        ValueControl notANumber = new ValueControl(List.of(new Target("5", "width"), new Target("4", "steps"),
                new Target("99", "gone")), Mode.INCREMENT, 0, 100, 1);
        Workflow w = new Workflow(GRAPH, null, WorkflowFormat.UI_JSON, List.of(shared, height, notANumber));
        assertSame(GRAPH, w.promptForRun(0, NO_DRAW));

        List<Long> bounds = new ArrayList<>();
        PromptGraph second = w.promptForRun(1, drawing(bounds, b -> 123_456));
        // one draw for the PrimitiveNode-like control, both its inputs get it
        assertEquals(List.of(MAX), bounds);
        assertEquals(123_456L, second.node("3").orElseThrow().inputs().get("seed").getAsLong());
        assertEquals(123_456L, second.node("4").orElseThrow().inputs().get("seed").getAsLong());
        assertEquals(56, second.node("5").orElseThrow().inputs().get("height").getAsInt());
        assertEquals(48, w.promptForRun(2, drawing(bounds, b -> 0)).node("5").orElseThrow().inputs().get("height").getAsInt());
        // what is not a whole number, and everything else, is as it was
        assertEquals("\"wide\"", second.node("5").orElseThrow().inputs().get("width").toString());
        assertEquals("[\"9\",0]", second.node("4").orElseThrow().inputs().get("steps").toString());
        assertEquals(20, second.node("3").orElseThrow().inputs().get("steps").getAsInt());
        assertEquals(GRAPH.ids(), second.ids());
        // a workflow without controls (API JSON) runs the same graph every time
        assertSame(GRAPH, new Workflow(GRAPH, null, WorkflowFormat.API_JSON).promptForRun(3, NO_DRAW));
    }

    @Test
    void withoutDropsInputsTheUserSet() {
        ValueControl shared = new ValueControl(List.of(SEED, new Target("4", "seed")), Mode.INCREMENT, 0, MAX, 1);
        assertEquals(List.of(new Target("4", "seed")), shared.without(Set.of(SEED)).orElseThrow().targets());
        assertTrue(shared.without(Set.of(SEED, new Target("4", "seed"))).isEmpty());
        assertEquals("3.seed", SEED.toString());
    }

    private static List<BigInteger> series(ValueControl control, long first, int runs) {
        List<BigInteger> values = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            values.add(control.valueForRun(big(first), run, NO_DRAW));
        }
        return values;
    }
}
