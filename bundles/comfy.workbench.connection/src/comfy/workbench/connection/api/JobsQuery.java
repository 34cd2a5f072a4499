package comfy.workbench.connection.api;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Filter, sort and page for {@code GET /api/jobs}.
 *
 * @param statuses   only jobs in these states; empty for all
 * @param workflowId only jobs of this workflow
 * @param sortBy     {@code created_at} or {@code execution_duration}; empty for the server's default
 * @param descending sort order
 * @param limit      page size; empty for the server's default
 * @param offset     page start
 */
public record JobsQuery(Set<JobStatus> statuses, Optional<String> workflowId, Optional<String> sortBy,
        boolean descending, OptionalInt limit, int offset) {

    /** All jobs, newest first, the server's default page. */
    public static final JobsQuery ALL = new JobsQuery(Set.of(), Optional.empty(), Optional.empty(), true,
            OptionalInt.empty(), 0);

    public JobsQuery {
        statuses = Set.copyOf(statuses);
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative");
        }
        if (limit.isPresent() && limit.getAsInt() < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
    }

    public JobsQuery withStatuses(Set<JobStatus> only) {
        return new JobsQuery(only, workflowId, sortBy, descending, limit, offset);
    }

    public JobsQuery withPage(int pageOffset, int pageSize) {
        return new JobsQuery(statuses, workflowId, sortBy, descending, OptionalInt.of(pageSize), pageOffset);
    }
}
