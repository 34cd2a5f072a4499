/**
 * The client-side job queue: jobs (an API graph plus how, where and when to run it) wait here, in priority order,
 * and are sent to ComfyUI servers a few at a time, so that the client's priorities, pauses and cancellations mean
 * something and nothing is lost or run twice.
 * <ul>
 * <li>{@link comfy.workbench.queue.api.JobQueue}: submit (one or a batch), cancel (a job or a batch), pause and
 * resume (all, or one server), clear, reprioritise, look up, await.</li>
 * <li>{@link comfy.workbench.queue.api.Job}: a snapshot; its id is the {@code prompt_id} sent to the server.
 * States: {@link comfy.workbench.queue.api.JobState}.</li>
 * <li>Every job is in a transactional store before anything is sent; after a crash of the client the unfinished
 * jobs are reconciled with their servers by prompt id (queue, then history) and sent again only when the server
 * provably does not have them.</li>
 * <li>Whiteboard: {@link comfy.workbench.queue.api.JobListener} hears every state change (also on Event Admin,
 * {@link comfy.workbench.queue.api.QueueTopics}); {@link comfy.workbench.queue.api.OutputHandler} is called with the
 * downloaded files of each succeeded job; a {@link comfy.workbench.queue.api.DispatchPolicy} chooses the
 * server of each job when the queue's configuration names it.</li>
 * </ul>
 */
@org.osgi.annotation.versioning.Version("0.5.0")
package comfy.workbench.queue.api;
