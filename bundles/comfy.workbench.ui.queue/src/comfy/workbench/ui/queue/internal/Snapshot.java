package comfy.workbench.ui.queue.internal;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import comfy.workbench.connection.api.HealthState;
import comfy.workbench.connection.api.ServerHealth;
import comfy.workbench.connection.api.ServerHealthService;
import comfy.workbench.monitor.api.ExecutionMonitor;
import comfy.workbench.monitor.api.PromptExecution;
import comfy.workbench.queue.api.Job;
import comfy.workbench.queue.api.JobQueue;
import comfy.workbench.queue.api.JobState;

/**
 * What the view shows, read from the queue off the UI thread, rows in the order the view shows them.
 *
 * @param jobs     the rows: every unfinished job, then the most recent finished ones (at most {@code finishedLimit})
 * @param counts   how many jobs are in each state, finished ones not shown included
 * @param paused   whether the whole queue is paused
 * @param running  job id → where its prompt stands on the server, for the sent and running jobs the monitor follows
 * @param down     server id → why it is unreachable, for the servers of sent and running jobs whose health is DOWN
 */
record Snapshot(List<Job> jobs, Map<JobState, Integer> counts, boolean paused, Map<String, PromptExecution> running,
        Map<String, String> down) {

    Snapshot {
        jobs = List.copyOf(jobs);
        counts = Map.copyOf(counts);
        running = Map.copyOf(running);
        down = Map.copyOf(down);
    }

    /**
     * Reads the queue now, from the monitor (when there is one) the progress of the running jobs, and from the
     * servers' health (when known) which of their servers are down.
     */
    static Snapshot of(JobQueue queue, ExecutionMonitor monitor, ServerHealthService health, int finishedLimit) {
        boolean paused = queue.paused();
        List<Job> all = new ArrayList<>(queue.jobs(List.of()));
        Map<JobState, Integer> counts = new EnumMap<>(JobState.class);
        all.forEach(j -> counts.merge(j.state(), 1, Integer::sum));
        all.sort(JobOrder.UNFINISHED_FIRST);
        // the job store keeps finished jobs; a table of every one of them would grow without end
        List<Job> shown = new ArrayList<>();
        int finished = 0;
        for (Job j : all) {
            if (!j.state().terminal() || finished++ < finishedLimit) {
                shown.add(j);
            }
        }
        Map<String, PromptExecution> running = new HashMap<>();
        if (monitor != null) {
            // a job's id is its prompt id on the server it runs on
            // a sent job the server has not started yet is "queued on the server"
            shown.stream().filter(j -> (j.state() == JobState.RUNNING || j.state() == JobState.DISPATCHED)
                    && j.serverId() != null)
                    .forEach(j -> monitor.execution(j.serverId(), j.id()).ifPresent(e -> running.put(j.id(), e)));
        }
        Map<String, String> down = new HashMap<>();
        if (health != null) {
            shown.stream().filter(j -> (j.state() == JobState.RUNNING || j.state() == JobState.DISPATCHED)
                    && j.serverId() != null).map(Job::serverId).distinct().forEach(id -> {
                        try {
                            ServerHealth h = health.health(id);
                            if (h.state() == HealthState.DOWN) {
                                down.put(id, h.reason());
                            }
                        } catch (IllegalArgumentException e) {
                            // removed from the registry meanwhile: nothing known of it
                        }
                    });
        }
        return new Snapshot(shown, counts, paused, running, down);
    }

    int count(JobState state) {
        return counts.getOrDefault(state, 0);
    }

    int total() {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }
}
