package comfy.workbench.queue.api;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the queue knows about its own health, read without waiting for its engine (so that a stuck queue can still be
 * diagnosed).
 *
 * @param storeFile       the job store's file
 * @param engineRunning   whether the engine thread that dispatches and commits is alive
 * @param storeProblem    why the last commit of the job store failed, empty when it succeeded
 * @param lastCommit      when the job store last committed successfully ({@link Instant#EPOCH} before the first)
 * @param running         jobs RUNNING now
 * @param oldestRunning   the RUNNING job that has gone longest without an execution event, if any
 * @param oldestActivity  when that job last showed progress (an execution event, or its start)
 * @param dispatchPolicy  the name of the {@link DispatchPolicy} the queue uses
 * @param dispatchProblem why that policy is not deciding: not registered (jobs wait for it), or how its last call
 *                        failed (that job went by the built-in choice); empty when it works
 * @param othersQueued    by server id: the prompts of other clients running or waiting on it (a job sent there waits
 *                        for them), by its last status message; servers with none, or whose socket is down, are left
 *                        out
 */
public record QueueDiagnostics(Path storeFile, boolean engineRunning, Optional<String> storeProblem,
        Instant lastCommit, int running, Optional<String> oldestRunning, Optional<Instant> oldestActivity,
        String dispatchPolicy, Optional<String> dispatchProblem, Map<String, Integer> othersQueued) {

    public QueueDiagnostics {
        Objects.requireNonNull(storeFile, "storeFile");
        Objects.requireNonNull(storeProblem, "storeProblem");
        Objects.requireNonNull(lastCommit, "lastCommit");
        Objects.requireNonNull(oldestRunning, "oldestRunning");
        Objects.requireNonNull(oldestActivity, "oldestActivity");
        Objects.requireNonNull(dispatchPolicy, "dispatchPolicy");
        Objects.requireNonNull(dispatchProblem, "dispatchProblem");
        othersQueued = Map.copyOf(othersQueued);
    }

    /** Whether the job store can take changes: the engine runs and its last commit succeeded. */
    public boolean storeWritable() {
        return engineRunning && storeProblem.isEmpty();
    }
}
