package comfy.workbench.cli.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

import comfy.workbench.monitor.api.EventType;
import comfy.workbench.monitor.api.ExecutionListener;
import comfy.workbench.monitor.api.ExecutionMonitor;
import comfy.workbench.monitor.api.MonitorEvent;
import comfy.workbench.monitor.api.PromptExecution;
import comfy.workbench.queue.api.Job;
import comfy.workbench.queue.api.JobQueue;

/**
 * Where the followed jobs' prompts stand, for a person watching {@code comfy run}: a line when a job's node changes,
 * and in between at most one a second per job, since a sampler reports every step. Registered for the monitor's node
 * and step events while a run is followed with human output.
 */
final class StepLines implements ExecutionListener {

    /** The event types that move a prompt on, for the listener's service property. */
    static final String[] TYPES = { EventType.EXECUTION_START.name(), EventType.EXECUTION_CACHED.name(),
        EventType.EXECUTING.name(), EventType.PROGRESS.name() };

    private static final long QUIET_NANOS = 1_000_000_000L;

    private record Last(String node, String text, long at) {
    }

    private final ExecutionMonitor monitor;
    private final JobQueue queue;
    private final Predicate<String> followed;
    private final Object lock;
    private final BiConsumer<Job, String> print;
    /** The last line of each job. Guarded by {@link #lock}. */
    private final Map<String, Last> last = new HashMap<>();

    /**
     * @param followed whether a job (by id, which is its prompt id) belongs to the run
     * @param lock     the run's output lock, held while printing
     * @param print    prints a job's line, under the lock
     */
    StepLines(ExecutionMonitor monitor, JobQueue queue, Predicate<String> followed, Object lock,
            BiConsumer<Job, String> print) {
        this.monitor = monitor;
        this.queue = queue;
        this.followed = followed;
        this.lock = lock;
        this.print = print;
    }

    @Override
    public void onEvent(MonitorEvent event) {
        String id = event.promptId();
        if (id == null || !followed.test(id)) {
            return;
        }
        Optional<PromptExecution> execution = monitor.execution(event.serverId(), id);
        Optional<Job> job = queue.job(id);
        if (execution.isEmpty() || job.isEmpty()) {
            return;
        }
        String text = execution.get().describe(job.get().request().prompt());
        String node = execution.get().currentNode();
        long now = System.nanoTime();
        synchronized (lock) {
            Last before = last.get(id);
            boolean sameNode = before != null && Objects.equals(before.node(), node);
            if (text.isEmpty() || before != null && (before.text().equals(text)
                    || sameNode && now - before.at() < QUIET_NANOS)) {
                return;
            }
            last.put(id, new Last(node, text, now));
            print.accept(job.get(), text);
        }
    }
}
