package comfy.workbench.manager.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

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
}
