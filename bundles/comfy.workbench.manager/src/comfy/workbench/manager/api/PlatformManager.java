package comfy.workbench.manager.api;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The service manager: the status report of the platform and its lifecycle.
 *
 * <p>Lifecycle order: the platform's layers start in the order connection, monitor, cache, workflows, templates,
 * queue (its job store opens before its dispatcher runs), then everything else (the command line, UI contributions and
 * extensions); they stop in the reverse order, so that dispatching stops and the job store is committed before the
 * sockets and clients it uses close. Declarative Services orders start-up by the components' references; the manager
 * makes the order explicit for {@link #shutdown(Duration)} and {@link #start()}, and runs a graceful shutdown when the
 * framework itself stops.
 */
@ProviderType
public interface PlatformManager {

    /** Every Declarative Services component of the framework, by bundle and name. */
    List<ComponentInfo> components();

    /** The components with this name (one per configuration), empty when there is none. */
    List<ComponentInfo> component(String name);

    /** The latest aggregated health (it does not run the checks). */
    HealthReport health();

    /** Runs every check now, waiting at most for their timeouts, and answers the aggregated health. */
    HealthReport checkNow();

    /** The changes of the aggregated status, oldest first (the last 100). */
    List<HealthChange> history();

    /**
     * Stops the platform's components layer by layer (everything else, queue, templates, workflows, cache, monitor,
     * connection), waiting for each layer, within the deadline. The manager's own components keep running.
     */
    ShutdownReport shutdown(Duration deadline);

    /** Starts, layer by layer, the components {@link #shutdown(Duration)} stopped. */
    void start();

    /**
     * Restarts a component so that it is activated afresh with its configuration: through that configuration (a
     * restart counter, {@code comfy.workbench.restart}, beside its values) when Configuration Admin runs and the
     * component has no {@code modified} method, else by disabling and enabling it; waiting at most {@code deadline}
     * for each step.
     *
     * @return the component after the restart, empty when no component has this name
     */
    Optional<ComponentInfo> restart(String componentName, Duration deadline);
}
