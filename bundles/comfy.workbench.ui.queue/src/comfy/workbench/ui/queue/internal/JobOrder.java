package comfy.workbench.ui.queue.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    /**
     * The fresh rows in the places the shown ones have, new jobs after them in their own order, jobs gone left out:
     * while the user's pointer is over the table a row must not move away from under it.
     */
    static List<Job> keepingPlaces(List<Job> shown, List<Job> fresh) {
        Map<String, Job> byId = new LinkedHashMap<>();
        fresh.forEach(j -> byId.put(j.id(), j));
        List<Job> rows = new ArrayList<>(fresh.size());
        for (Job old : shown) {
            Job now = byId.remove(old.id());
            if (now != null) {
                rows.add(now);
            }
        }
        rows.addAll(byId.values());
        return rows;
    }
}
