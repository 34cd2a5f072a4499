package comfy.workbench.queue.api;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A snapshot of a job.
 *
 * @param id        the job id, also the {@code prompt_id} on the server
 * @param sequence  the order of submission (first in, first out within a priority)
 * @param request   what was asked
 * @param priority  the current priority (it may have been changed since the request)
 * @param state     the state
 * @param serverId  the server of the current or last attempt, or {@code null}
 * @param attempts  attempts made so far
 * @param created   when it was submitted
 * @param updated   when its state last changed
 * @param error     why the last attempt failed, or {@code null}
 * @param outputs   the downloaded files (when SUCCEEDED)
 */
public record Job(String id, long sequence, JobRequest request, Priority priority, JobState state, String serverId,
        int attempts, Instant created, Instant updated, JobError error, List<Path> outputs) {

    public Job {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(priority, "priority");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(updated, "updated");
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
    }

    public String batchId() {
        return request.batchId();
    }
}
