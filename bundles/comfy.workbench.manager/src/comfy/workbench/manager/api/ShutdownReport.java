package comfy.workbench.manager.api;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a graceful shutdown did.
 *
 * @param stopped   the components stopped, in the order they stopped
 * @param late      components that had not stopped when the deadline passed (they go on stopping)
 * @param took      how long it took
 */
public record ShutdownReport(List<String> stopped, List<String> late, Duration took) {

    public ShutdownReport {
        stopped = List.copyOf(stopped);
        late = List.copyOf(late);
        Objects.requireNonNull(took, "took");
    }

    /** Whether every component stopped within the deadline. */
    public boolean clean() {
        return late.isEmpty();
    }
}
