package comfy.workbench.cli.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

import comfy.workbench.monitor.api.ConnectionEvent;
import comfy.workbench.monitor.api.ConnectionState;
import comfy.workbench.monitor.api.EventType;
import comfy.workbench.monitor.api.ExecutionListener;
import comfy.workbench.monitor.api.ExecutionMonitor;
import comfy.workbench.monitor.api.MonitorEvent;
import comfy.workbench.monitor.api.PromptExecution;
import comfy.workbench.queue.api.Job;
import comfy.workbench.queue.api.JobQueue;
import comfy.workbench.queue.api.JobState;

/**
 * Where the followed jobs' prompts stand, for a person watching {@code comfy run}: a line when a job's node changes,
 * and in between at most one a second per job, since a sampler reports every step; and a line for each job sent to a
 * server when the monitor loses that server and when it has it back, or a dead server would leave the job's last
 * step on the screen as if it still ran. Registered for the monitor's node, step and connection events while a run is
 * followed with human output.
 */
final class StepLines implements ExecutionListener {

    /** The event types that move a prompt on, for the listener's service property. */
    static final String[] TYPES = { EventType.EXECUTION_START.name(), EventType.EXECUTION_CACHED.name(),
        EventType.EXECUTING.name(), EventType.PROGRESS.name(), EventType.CONNECTION.name() };

    /** Only the servers' news, for a run that prints JSON (its job lines stand for the steps). */
    static final String[] CONNECTION_TYPES = { EventType.CONNECTION.name() };

    private static final long QUIET_NANOS = 1_000_000_000L;

    /** Tells that a server the followed jobs were sent to went away or is back. Called under the run's lock. */
    @FunctionalInterface
    interface ServerNews {
        /**
         * @param reachable whether the server is back (else it went away)
         * @param text      what a person reads
         * @param jobs      the followed jobs sent to it that have not ended; never empty
         */
        void heard(String server, boolean reachable, String text, List<Job> jobs);
    }

    private record Last(String node, String text, long at) {
    }

    private final ExecutionMonitor monitor;
    private final JobQueue queue;
    private final Supplier<Collection<String>> followed;
    private final Object lock;
    private final BiConsumer<Job, String> print;
    private final ServerNews news;
    /** The last line of each job. Guarded by {@link #lock}. */
    private final Map<String, Last> last = new HashMap<>();
    /** Each server's last socket state heard of: the monitor reports every failed retry. Guarded by {@link #lock}. */
    private final Map<String, ConnectionState> sockets = new HashMap<>();

    /**
     * @param followed the ids of the run's jobs (a job's id is its prompt id)
     * @param lock     the run's output lock, held while printing
     * @param print    prints a job's line, under the lock
     * @param news     tells of a server's going and coming back, under the lock
     */
    StepLines(ExecutionMonitor monitor, JobQueue queue, Supplier<Collection<String>> followed, Object lock,
            BiConsumer<Job, String> print, ServerNews news) {
        this.monitor = monitor;
        this.queue = queue;
        this.followed = followed;
        this.lock = lock;
        this.print = print;
        this.news = news;
    }

    @Override
    public void onEvent(MonitorEvent event) {
        if (event instanceof ConnectionEvent connection) {
            connectionChanged(connection);
            return;
        }
        String id = event.promptId();
        if (id == null || !followed.get().contains(id)) {
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

    /**
     * Says so for each followed job sent to a server whose socket is down already: the monitor reports a lost socket
     * once, and a run that began after that (a resume while the server is down) would otherwise hear nothing.
     */
    void announceServersDown() {
        synchronized (lock) {
            for (String id : followed.get()) {
                queue.job(id).map(Job::serverId).filter(server -> !sockets.containsKey(server)
                        && monitor.connectionState(server) == ConnectionState.DISCONNECTED).ifPresent(server -> {
                            sockets.put(server, ConnectionState.DISCONNECTED);
                            tellJobsOn(server, false, unreachable(server, null));
                        });
            }
        }
    }

    private void connectionChanged(ConnectionEvent event) {
        if (event.state() == ConnectionState.CONNECTING) {
            return; // between each failed retry and the next: no news
        }
        synchronized (lock) {
            ConnectionState before = sockets.put(event.serverId(), event.state());
            // a first DISCONNECTED is news too: a resumed job may be on a server that was down before the run began
            if (event.state() == ConnectionState.DISCONNECTED && before != ConnectionState.DISCONNECTED) {
                tellJobsOn(event.serverId(), false, unreachable(event.serverId(), event.detail()));
            } else if (event.state() == ConnectionState.CONNECTED && before == ConnectionState.DISCONNECTED) {
                tellJobsOn(event.serverId(), true, "server " + event.serverId() + " is back");
            }
        }
    }

    private static String unreachable(String server, String detail) {
        return "server " + server + " unreachable" + (detail == null || detail.isBlank() ? "" : " (" + detail + ")")
                + "; the job waits for it";
    }

    /** The news, for the followed jobs sent to that server, if there are any. Under {@link #lock}. */
    private void tellJobsOn(String server, boolean reachable, String text) {
        List<Job> jobs = new ArrayList<>();
        for (String id : followed.get()) {
            Optional<Job> job = queue.job(id);
            if (job.isPresent() && server.equals(job.get().serverId())
                    && (job.get().state() == JobState.RUNNING || job.get().state() == JobState.DISPATCHED)) {
                // the next step line is news again, even on the node shown before
                last.put(id, new Last(null, text, System.nanoTime()));
                jobs.add(job.get());
            }
        }
        if (!jobs.isEmpty()) {
            news.heard(server, reachable, text, jobs);
        }
    }
}
