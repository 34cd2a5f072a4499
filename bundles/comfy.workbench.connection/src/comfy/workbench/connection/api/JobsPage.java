package comfy.workbench.connection.api;

import java.util.List;

/**
 * One page of {@code GET /api/jobs}: {@code {jobs, pagination:{offset, limit, total, has_more}}}.
 *
 * @param jobs    the jobs on this page
 * @param offset  the page's start
 * @param total   how many jobs match in all
 * @param hasMore whether a further page exists
 */
public record JobsPage(List<Job> jobs, int offset, int total, boolean hasMore) {

    public JobsPage {
        jobs = List.copyOf(jobs);
    }
}
