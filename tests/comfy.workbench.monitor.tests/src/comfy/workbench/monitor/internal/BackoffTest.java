package comfy.workbench.monitor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Random;

import org.junit.jupiter.api.Test;

final class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(15), 0.25);

    @Test
    void doublesUpToTheCapWithinTheBounds() {
        assertEquals(Duration.ofSeconds(1), backoff.delay(0, () -> 0.5));
        assertEquals(Duration.ofSeconds(2), backoff.delay(1, () -> 0.5));
        assertEquals(Duration.ofSeconds(8), backoff.delay(3, () -> 0.5));
        assertEquals(Duration.ofSeconds(15), backoff.delay(4, () -> 0.5));
        assertEquals(Duration.ofSeconds(15), backoff.delay(1000, () -> 0.5));
        Random random = new Random(42);
        for (int failures = 0; failures < 50; failures++) {
            Duration d = backoff.delay(failures, random::nextDouble);
            assertTrue(d.compareTo(Duration.ofSeconds(1)) >= 0 && d.compareTo(Duration.ofSeconds(15)) <= 0, d.toString());
        }
    }

    @Test
    void jitterSpreadsTheDelay() {
        assertEquals(Duration.ofMillis(6_000), backoff.delay(3, () -> 0.0));
        assertEquals(Duration.ofMillis(10_000), backoff.delay(3, () -> 1.0));
    }

    @Test
    void nonsenseIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), 0));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 0));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 1));
    }
}
