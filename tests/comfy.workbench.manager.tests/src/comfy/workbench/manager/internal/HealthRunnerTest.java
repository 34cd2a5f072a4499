package comfy.workbench.manager.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import comfy.workbench.manager.api.HealthCheck;
import comfy.workbench.manager.api.HealthChange;
import comfy.workbench.manager.api.HealthResult;

/** The health runner on its own. */
class HealthRunnerTest {

    @Test
    void checksThatComeAndGoAfterItClosedAreIgnored() {
        // the framework stopping: the manager closes the runner, then Declarative Services unbinds the checks
        HealthRunner runner = new HealthRunner(new HealthRunner.Settings(Duration.ofSeconds(30), Duration.ofSeconds(10),
                Duration.ZERO, Duration.ofSeconds(1), Duration.ofMinutes(1), 10), new HealthRunner.Sink() {
                    @Override
                    public void changed(HealthChange change) {
                    }

                    @Override
                    public void recovering(String check, String action) {
                    }
                }, Clock.systemUTC());
        HealthCheck check = () -> HealthResult.ok("fine");
        runner.add(1, check, Map.of(HealthCheck.NAME, "before"));
        runner.close();
        assertDoesNotThrow(() -> runner.remove(1));
        assertDoesNotThrow(() -> runner.add(2, check, Map.of(HealthCheck.NAME, "after")));
    }

    @Test
    void aCheckThatEndsAfterTheRunnerClosedLeavesNoStackTrace() throws Exception {
        // the framework stopping while a check runs: its thread must end quietly, not print a rejected task
        HealthRunner runner = new HealthRunner(new HealthRunner.Settings(Duration.ofSeconds(30), Duration.ofSeconds(10),
                Duration.ZERO, Duration.ofSeconds(1), Duration.ofMinutes(1), 10), new HealthRunner.Sink() {
                    @Override
                    public void changed(HealthChange change) {
                    }

                    @Override
                    public void recovering(String check, String action) {
                    }
                }, Clock.systemUTC());
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Thread> checkThread = new AtomicReference<>();
        List<Throwable> uncaught = new CopyOnWriteArrayList<>();
        Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> uncaught.add(e));
        try {
            runner.add(1, () -> {
                checkThread.set(Thread.currentThread());
                running.countDown();
                release.await();
                return HealthResult.ok("fine");
            }, Map.of(HealthCheck.NAME, "slow"));
            assertTrue(running.await(10, TimeUnit.SECONDS), "the check started");
            runner.close();
            release.countDown();
            checkThread.get().join(10_000);
            assertFalse(checkThread.get().isAlive(), "the check's thread ended");
            assertEquals(List.of(), uncaught);
        } finally {
            release.countDown();
            Thread.setDefaultUncaughtExceptionHandler(before);
        }
    }
}
