package comfy.workbench.ui.queue.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import comfy.workbench.monitor.api.PromptExecution;

import comfy.workbench.queue.api.Job;
import comfy.workbench.queue.api.JobState;
import comfy.workbench.ui.common.Times;

/** The texts of the Jobs view, kept apart from the widgets so that they read the same everywhere. */
final class Formats {

    /** What a cell shows when there is nothing to show, rather than an empty cell that looks like a bug. */
    static final String NONE = Times.NONE;

    private Formats() {
    }

    /** The job's name, or its id when it has none. */
    static String name(Job job) {
        String name = job.request().name();
        return name.isBlank() ? job.id() : name;
    }

    static String orNone(String text) {
        return text == null || text.isEmpty() ? NONE : text;
    }

    static String fullTime(Instant when) {
        return Times.fullTime(when, NONE);
    }

    /**
     * Where a running job's prompt stands on its server, as the monitor follows it; empty when it has nothing; that the
     * server is unreachable when its health says so ({@code serverDown}: why, or {@code null} when it is not down).
     */
    static String progress(Job job, PromptExecution execution, String serverDown) {
        // only a job on its server waits for it: an ended one is done with it, a queued one may go elsewhere
        if (serverDown != null && (job.state() == JobState.DISPATCHED || job.state() == JobState.RUNNING)) {
            // what the monitor saw last is stale: the job waits for its server (the queue finds it or runs it again)
            boolean mayMove = job.request().policy().kind() != comfy.workbench.queue.api.ServerPolicy.Kind.NAMED
                    || job.request().policy().servers().size() > 1;
            return "server unreachable" + (serverDown.isBlank() ? "" : ": " + serverDown) + " \u2014 waiting for it"
                    + (mayMove ? " (tried on another server if it stays away)" : "");
        }
        return execution == null ? "" : execution.describe(job.request().prompt());
    }

    /** The error of a failed job; of another job, the error of its last attempt only as a tooltip. */
    static String error(Job job) {
        return job.state() == JobState.FAILED && job.error() != null ? job.error().message() : "";
    }

    static String errorDetail(Job job) {
        if (job.error() == null) {
            return null;
        }
        String where = job.error().nodeId() == null ? ""
                : " at node " + job.error().nodeId() + (job.error().nodeType() == null ? "" : " (" + job.error().nodeType() + ")");
        return job.error().kind().name() + where + ": " + job.error().message();
    }

    /** The status line: the queue's state and how many jobs are in each state that has any. */
    static String summary(Snapshot s) {
        List<String> parts = new ArrayList<>();
        for (JobState state : JobState.values()) {
            int n = s.count(state);
            if (n > 0) {
                parts.add(n + " " + state.name().toLowerCase(Locale.ROOT).replace('_', ' '));
            }
        }
        String queue = s.paused() ? "Queue paused" : "Queue running";
        return parts.isEmpty() ? queue + " \u2014 no jobs"
                : queue + " \u2014 " + s.total() + (s.total() == 1 ? " job: " : " jobs: ") + String.join(", ", parts);
    }

    static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
