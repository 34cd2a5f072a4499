/**
 * The service manager: what runs in the platform, how healthy it is, and how it starts, stops and recovers.
 *
 * <ul>
 * <li>{@link comfy.workbench.manager.api.PlatformManager} is the status-report service: every Declarative Services
 * component of the framework with its state ({@link comfy.workbench.manager.api.ComponentState}; an unsatisfied
 * component names its missing references, a failed one the reason), the aggregated health, its history, and the
 * lifecycle operations (ordered start, graceful shutdown within a deadline, restart of a component).</li>
 * <li>{@link comfy.workbench.manager.api.HealthCheck} is a whiteboard SPI: register a service with the properties it
 * documents and the manager runs it on its interval, with a timeout, and folds its result into the aggregated
 * {@link comfy.workbench.manager.api.HealthReport} (OK / WARN / CRITICAL with reasons). A check that fails may offer a
 * recovery, which the manager runs with exponential backoff until the check passes. Every change of the aggregated
 * status is kept in a history and posted on Event Admin under {@link comfy.workbench.manager.api.ManagerTopics}.</li>
 * </ul>
 */
@org.osgi.annotation.versioning.Version("0.1.0")
package comfy.workbench.manager.api;
