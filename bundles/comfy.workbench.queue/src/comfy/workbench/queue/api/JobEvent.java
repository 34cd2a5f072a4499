package comfy.workbench.queue.api;

import java.util.Objects;

/**
 * A job changed state, or in the same state the error shown with it (a running job whose outputs are being
 * downloaded again carries why) or its priority changed; {@code previous} is then its own state.
 *
 * @param job      the job after the change
 * @param previous the state before, or {@code null} for a new job
 */
public record JobEvent(Job job, JobState previous) {

    public JobEvent {
        Objects.requireNonNull(job, "job");
    }
}
