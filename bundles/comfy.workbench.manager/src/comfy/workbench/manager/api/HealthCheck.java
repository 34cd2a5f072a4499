package comfy.workbench.manager.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A health check: register it as a service and the {@link PlatformManager} runs it on its interval and folds its
 * result into the platform's health.
 *
 * <p>Service properties: {@link #NAME} (required, unique: a check without a name is ignored and logged), {@link #TAGS}
 * (optional, {@code String} or {@code String[]}), {@link #INTERVAL} and {@link #TIMEOUT} (optional, milliseconds as a
 * {@code Long}, {@code Integer} or {@code String}). A check that throws, or does not answer within its timeout, counts
 * as CRITICAL with the failure as its message; a check that hangs is not run again until it returns.
 */
@ConsumerType
public interface HealthCheck {

    /** Service property: the check's name, as users see it. */
    String NAME = "hc.name";
    /** Service property: tags to select checks by (for example {@code server}, {@code queue}, {@code storage}). */
    String TAGS = "hc.tags";
    /** Service property: milliseconds between runs (default 30,000). */
    String INTERVAL = "hc.interval";
    /** Service property: milliseconds a run may take before it counts as CRITICAL (default 10,000). */
    String TIMEOUT = "hc.timeout";

    /** Runs the check. Called on a manager thread, never two at a time for one check. */
    HealthResult check() throws Exception;

    /**
     * Tries to make a failing check pass (reconnect, restart a component, reopen a store, ...). The manager calls it
     * after a CRITICAL result, with exponential backoff between attempts, until the check passes again.
     *
     * @return what was attempted, in words, or an empty string when this check has nothing to try
     */
    default String recover() throws Exception {
        return "";
    }
}
