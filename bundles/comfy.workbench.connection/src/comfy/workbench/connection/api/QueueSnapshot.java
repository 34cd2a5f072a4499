package comfy.workbench.connection.api;

import java.util.Comparator;
import java.util.List;

/**
 * The server's queue at one moment ({@code GET /api/queue}).
 *
 * @param running the running prompt(s), normally zero or one
 * @param pending the waiting prompts, sorted by {@code number}: the order in which they will run (the server
 *                itself reports them in heap order)
 */
public record QueueSnapshot(List<QueueItem> running, List<QueueItem> pending) {

    public QueueSnapshot {
        running = List.copyOf(running);
        pending = pending.stream().sorted(Comparator.comparingDouble(QueueItem::number)).toList();
    }

    /** Whether the prompt is running or waiting. */
    public boolean contains(String promptId) {
        return running.stream().anyMatch(i -> i.promptId().equals(promptId))
                || pending.stream().anyMatch(i -> i.promptId().equals(promptId));
    }

    /** Running plus pending. */
    public int size() {
        return running.size() + pending.size();
    }
}
