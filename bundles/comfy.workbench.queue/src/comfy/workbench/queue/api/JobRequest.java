package comfy.workbench.queue.api;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;

import com.google.gson.JsonObject;

import comfy.workbench.model.api.PromptGraph;

/**
 * What to run and how.
 *
 * @param name      a label for lists (the workflow's name), may be {@code ""}
 * @param prompt    the API graph
 * @param extraData the {@code extra_data} to send (put the UI workflow under {@code extra_pnginfo.workflow} so the
 *                  output PNGs carry it)
 * @param priority  the priority
 * @param policy    where it may run
 * @param retry     how often it is tried
 * @param timeouts  limits on an attempt
 * @param batchId   the batch it belongs to, or {@code null}
 * @param tags      free labels
 * @param outputFolder where its outputs go ({@code <folder>/<batch or date>/<job id>/}), kept with the job so that
 *                  the run that finishes it puts them beside its batch's others; {@code null} for the queue's
 *                  output folder (since 0.5.0)
 */
public record JobRequest(String name, PromptGraph prompt, JsonObject extraData, Priority priority, ServerPolicy policy,
        RetryPolicy retry, Timeouts timeouts, String batchId, Set<String> tags, Path outputFolder) {

    public JobRequest {
        name = name == null ? "" : name;
        Objects.requireNonNull(prompt, "prompt");
        extraData = extraData == null ? new JsonObject() : extraData.deepCopy();
        priority = priority == null ? Priority.NORMAL : priority;
        policy = policy == null ? ServerPolicy.any() : policy;
        retry = retry == null ? RetryPolicy.DEFAULT : retry;
        timeouts = timeouts == null ? Timeouts.NONE : timeouts;
        tags = tags == null ? Set.of() : Set.copyOf(tags);
    }

    /** A request whose outputs go to the queue's output folder. */
    public JobRequest(String name, PromptGraph prompt, JsonObject extraData, Priority priority, ServerPolicy policy,
            RetryPolicy retry, Timeouts timeouts, String batchId, Set<String> tags) {
        this(name, prompt, extraData, priority, policy, retry, timeouts, batchId, tags, null);
    }

    /** A NORMAL job for any server with the default retries and no timeouts. */
    public static JobRequest of(PromptGraph prompt) {
        return new JobRequest("", prompt, null, null, null, null, null, null, null, null);
    }

    @Override
    public JsonObject extraData() {
        return extraData.deepCopy();
    }

    public JobRequest withName(String newName) {
        return new JobRequest(newName, prompt, extraData, priority, policy, retry, timeouts, batchId, tags, outputFolder);
    }

    public JobRequest withExtraData(JsonObject data) {
        return new JobRequest(name, prompt, data, priority, policy, retry, timeouts, batchId, tags, outputFolder);
    }

    public JobRequest withPriority(Priority p) {
        return new JobRequest(name, prompt, extraData, p, policy, retry, timeouts, batchId, tags, outputFolder);
    }

    public JobRequest withPolicy(ServerPolicy p) {
        return new JobRequest(name, prompt, extraData, priority, p, retry, timeouts, batchId, tags, outputFolder);
    }

    public JobRequest withRetry(RetryPolicy r) {
        return new JobRequest(name, prompt, extraData, priority, policy, r, timeouts, batchId, tags, outputFolder);
    }

    public JobRequest withTimeouts(Timeouts t) {
        return new JobRequest(name, prompt, extraData, priority, policy, retry, t, batchId, tags, outputFolder);
    }

    public JobRequest withBatch(String batch) {
        return new JobRequest(name, prompt, extraData, priority, policy, retry, timeouts, batch, tags, outputFolder);
    }

    /** @since 0.5.0 */
    public JobRequest withOutputFolder(Path folder) {
        return new JobRequest(name, prompt, extraData, priority, policy, retry, timeouts, batchId, tags, folder);
    }

    public JobRequest withTags(Set<String> newTags) {
        return new JobRequest(name, prompt, extraData, priority, policy, retry, timeouts, batchId, newTags, outputFolder);
    }
}
