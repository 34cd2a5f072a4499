package comfy.workbench.queue.api;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The client-side job queue. Every method returns once its change is stored; sending happens after that.
 */
@ProviderType
public interface JobQueue {

    /** Queues a job; it is stored before this returns. */
    Job submit(JobRequest request);

    /** Queues jobs in one transaction, in order. */
    List<Job> submitAll(List<JobRequest> requests);

    /** A job; empty if there is none with this id. */
    Optional<Job> job(String id);

    /** Jobs in the given states (all when none are given), in submission order. */
    List<Job> jobs(Collection<JobState> states);

    /** The jobs of a batch, in submission order. */
    List<Job> batch(String batchId);

    /**
     * The ids of the jobs this queue found unfinished in its store when it started (what an interrupted run left), in
     * submission order. Some may have ended since: a sent one is reconciled with its server at once.
     *
     * @since 0.5.0
     */
    List<String> leftUnfinished();

    /** Completes with the job when it reaches a terminal state (at once if it has). */
    CompletionStage<Job> completion(String id);

    /**
     * Cancels a job in any state but a terminal one: a waiting job at once; a sent one is deleted from its server's
     * queue, or interrupted by its prompt id if it runs (never a global interrupt).
     *
     * A sent job its server has already run to success is not cancelled: it stays as it is, and the queue that
     * dispatches fetches its outputs (a process that does not dispatch asks the server's history to know).
     *
     * @return whether it was cancelled (false if it had ended, had finished on its server, or is unknown)
     */
    boolean cancel(String id);

    /**
     * Forgets ended jobs (succeeded, failed, cancelled): they leave the list and the job store; their output files
     * stay where they are. Jobs that have not ended, and unknown ids, are left alone.
     *
     * @return how many were forgotten
     * @since 0.5.0
     */
    int forget(Collection<String> ids);

    /** Cancels every unfinished job of a batch (as {@link #cancel(String)} does each); gives how many. */
    int cancelBatch(String batchId);

    /** Cancels every job still waiting on this client (running ones go on); gives how many. */
    int clear();

    /** Changes a waiting job's priority; false if it is not waiting. */
    boolean reprioritise(String id, Priority priority);

    /** Stops sending jobs: waiting jobs become PAUSED, new ones arrive PAUSED; sent ones go on. Survives a restart. */
    void pause();

    /** Sends jobs again. */
    void resume();

    /** Whether the whole queue is paused. */
    boolean paused();

    /** Stops sending jobs to one server (others take them). */
    void pause(String serverId);

    /** Sends jobs to the server again. */
    void resume(String serverId);

    /** The queue's own health: its store, its engine, and the progress of its oldest running job. */
    QueueDiagnostics diagnostics();
}
