package comfy.workbench.connection.api;

import java.util.Objects;

import com.google.gson.JsonObject;

/**
 * One {@code [event, data]} of a history entry's {@code status.messages}, e.g. {@code execution_start},
 * {@code execution_cached}, {@code execution_success}, {@code execution_error}, {@code execution_interrupted}.
 *
 * @param type the message type
 * @param data its data (a copy)
 */
public record HistoryMessage(String type, JsonObject data) {

    public HistoryMessage {
        Objects.requireNonNull(type, "type");
        data = data == null ? new JsonObject() : data.deepCopy();
    }

    @Override
    public JsonObject data() {
        return data.deepCopy();
    }
}
