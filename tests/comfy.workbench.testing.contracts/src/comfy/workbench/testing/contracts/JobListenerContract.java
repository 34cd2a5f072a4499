package comfy.workbench.testing.contracts;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.google.gson.JsonObject;

import comfy.workbench.model.api.PromptGraph;
import comfy.workbench.queue.api.Job;
import comfy.workbench.queue.api.JobError;
import comfy.workbench.queue.api.JobEvent;
import comfy.workbench.queue.api.JobListener;
import comfy.workbench.queue.api.JobRequest;
import comfy.workbench.queue.api.JobState;
import comfy.workbench.queue.api.Priority;

/**
 * The contract of a {@link JobListener}: subclass it and return your listener. The queue tells a listener every change
 * of a job — a new job (no previous state), a change of state, and in the same state a new error shown with it or a
 * new priority — on its event thread, so a listener must take each kind without throwing (a throw is logged, and the
 * listener misses nothing else, but its own work for that change is lost).
 */
public abstract class JobListenerContract {

    /** The listener under test. */
    protected abstract JobListener listener() throws Exception;

    private static Job job(String id, JobState state, Priority priority, JobError error, List<Path> outputs) {
        PromptGraph graph = ContractGraphs.quick(0);
        Instant now = Instant.now();
        return new Job(id, 1, JobRequest.of(graph).withName("contract " + id).withBatch("contract-batch"), priority,
                state, state == JobState.QUEUED ? null : "contract-server", 1, now.minusSeconds(3), now, error, outputs);
    }

    @Test
    void takesEveryKindOfChangeAJobGoesThrough() throws Exception {
        JobListener listener = listener();
        JobError transientError = new JobError(JobError.Kind.CONNECTION, "server went away", null, null,
                new JsonObject());
        JobError failed = new JobError(JobError.Kind.EXECUTION, "CUDA out of memory", "2", "SaveImage",
                new JsonObject());
        List<JobEvent> changes = List.of(
                new JobEvent(job("a", JobState.QUEUED, Priority.NORMAL, null, null), null),
                new JobEvent(job("a", JobState.QUEUED, Priority.HIGH, null, null), JobState.QUEUED),
                new JobEvent(job("a", JobState.DISPATCHED, Priority.HIGH, null, null), JobState.QUEUED),
                new JobEvent(job("a", JobState.RUNNING, Priority.HIGH, null, null), JobState.DISPATCHED),
                new JobEvent(job("a", JobState.RUNNING, Priority.HIGH, transientError, null), JobState.RUNNING),
                new JobEvent(job("a", JobState.SUCCEEDED, Priority.HIGH, null, List.of(Path.of("contract.png"))),
                        JobState.RUNNING),
                new JobEvent(job("b", JobState.PAUSED, Priority.LOW, null, null), null),
                new JobEvent(job("b", JobState.CANCELLED, Priority.LOW, null, null), JobState.PAUSED),
                new JobEvent(job("c", JobState.RETRY_WAIT, Priority.CRITICAL, transientError, null), JobState.RUNNING),
                new JobEvent(job("c", JobState.FAILED, Priority.CRITICAL, failed, null), JobState.RETRY_WAIT),
                // a job this listener never heard of before: it was submitted before the listener came
                new JobEvent(job("d", JobState.SUCCEEDED, Priority.NORMAL, null, List.of()), JobState.RUNNING));
        for (JobEvent change : changes) {
            assertDoesNotThrow(() -> listener.jobChanged(change), () -> "the listener threw on job "
                    + change.job().id() + " " + change.previous() + " → " + change.job().state());
        }
    }
}
