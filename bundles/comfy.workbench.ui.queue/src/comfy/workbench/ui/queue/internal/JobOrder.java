package comfy.workbench.ui.queue.internal;

import java.util.Comparator;

import comfy.workbench.queue.api.Job;

/** The order of the view's rows: what is still to happen first, in the order the queue will send it, then the rest. */
final class JobOrder {

    /**
     * Unfinished jobs first, by priority and then by sequence (the queue's own order of dispatch); finished jobs
     * after them, the most recently finished first.
     */
    static final Comparator<Job> UNFINISHED_FIRST = Comparator.<Job, Boolean>comparing(j -> j.state().terminal())
            .thenComparing((a, b) -> a.state().terminal()
                    ? b.updated().compareTo(a.updated())
                    : Comparator.comparing(Job::priority).thenComparingLong(Job::sequence).compare(a, b))
            .thenComparingLong(Job::sequence);

    private JobOrder() {
    }
}
