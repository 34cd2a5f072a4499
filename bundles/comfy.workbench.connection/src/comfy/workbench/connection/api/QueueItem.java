package comfy.workbench.connection.api;

import java.util.List;
import java.util.Objects;

import com.google.gson.JsonObject;

/**
 * One entry of the server's queue: {@code [number, prompt_id, prompt, extra_data, outputs_to_execute]}.
 *
 * @param number           the queue key (lowest runs first)
 * @param promptId         the prompt id
 * @param prompt           the API-format prompt as queued (a copy)
 * @param extraData        {@code extra_data} as queued, incl. {@code client_id} and {@code create_time} (a copy)
 * @param outputsToExecute ids of the output nodes that will run
 */
public record QueueItem(double number, String promptId, JsonObject prompt, JsonObject extraData,
        List<String> outputsToExecute) {

    public QueueItem {
        Objects.requireNonNull(promptId, "promptId");
        prompt = prompt == null ? new JsonObject() : prompt.deepCopy();
        extraData = extraData == null ? new JsonObject() : extraData.deepCopy();
        outputsToExecute = List.copyOf(outputsToExecute);
    }

    @Override
    public JsonObject prompt() {
        return prompt.deepCopy();
    }

    @Override
    public JsonObject extraData() {
        return extraData.deepCopy();
    }
}
