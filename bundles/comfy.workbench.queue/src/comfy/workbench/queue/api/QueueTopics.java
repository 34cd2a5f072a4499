package comfy.workbench.queue.api;

/** Event Admin topics of the queue. Properties: {@code job.id}, {@code job.state}, {@code job.previous}, {@code job.server}, {@code job.batch}, {@code job}. */
public final class QueueTopics {

    /** Every job state change. */
    public static final String JOB_STATE = "comfy/workbench/queue/JOB_STATE";

    private QueueTopics() {
    }
}
