package comfy.workbench.connection.api;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

import com.google.gson.JsonObject;

/**
 * A job of the jobs API ({@code /api/jobs}, ComfyUI 0.6+). A job is a prompt seen through the server's queue and
 * history at once.
 *
 * @param id                 the job id (= prompt id)
 * @param status             its status
 * @param priority           its queue key ({@code number})
 * @param createTime         when the server received it, epoch ms
 * @param executionStartTime when it started, epoch ms
 * @param executionEndTime   when it ended, epoch ms
 * @param executionError     the {@code execution_error} message of a failed job
 * @param outputsCount       how many outputs it produced
 * @param workflowId         {@code extra_data.extra_pnginfo.workflow.id}, if submitted with one
 * @param raw                the whole job object as the server sent it (a copy), incl. {@code outputs} and
 *                           {@code workflow} when fetched by id
 */
public record Job(String id, JobStatus status, double priority, OptionalLong createTime,
        OptionalLong executionStartTime, OptionalLong executionEndTime, Optional<JsonObject> executionError,
        int outputsCount, Optional<String> workflowId, JsonObject raw) {

    public Job {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(status, "status");
        executionError = executionError.map(JsonObject::deepCopy);
        raw = raw == null ? new JsonObject() : raw.deepCopy();
    }

    @Override
    public Optional<JsonObject> executionError() {
        return executionError.map(JsonObject::deepCopy);
    }

    @Override
    public JsonObject raw() {
        return raw.deepCopy();
    }
}
