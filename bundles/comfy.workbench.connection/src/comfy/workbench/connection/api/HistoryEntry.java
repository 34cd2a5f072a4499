package comfy.workbench.connection.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * A finished prompt as the server's history records it.
 *
 * @param promptId   the prompt id
 * @param number     its queue key
 * @param prompt     the API-format prompt that ran (a copy)
 * @param extraData  its {@code extra_data} (a copy)
 * @param outputNodes the output node ids that were to run
 * @param outputs    per node id, that node's {@code executed} output, e.g. {@code {"images":[{filename,...}]}}
 * @param statusStr  {@code success} or {@code error} (interrupted prompts are {@code error} too), or {@code ""}
 * @param completed  the server's {@code status.completed}
 * @param messages   {@code status.messages} in order
 */
public record HistoryEntry(String promptId, double number, JsonObject prompt, JsonObject extraData,
        List<String> outputNodes, Map<String, JsonObject> outputs, String statusStr, boolean completed,
        List<HistoryMessage> messages) {

    public HistoryEntry {
        Objects.requireNonNull(promptId, "promptId");
        prompt = prompt == null ? new JsonObject() : prompt.deepCopy();
        extraData = extraData == null ? new JsonObject() : extraData.deepCopy();
        outputNodes = List.copyOf(outputNodes);
        Map<String, JsonObject> copy = new LinkedHashMap<>();
        outputs.forEach((k, v) -> copy.put(k, v.deepCopy()));
        outputs = Collections.unmodifiableMap(copy);
        statusStr = statusStr == null ? "" : statusStr;
        messages = List.copyOf(messages);
    }

    @Override
    public JsonObject prompt() {
        return prompt.deepCopy();
    }

    @Override
    public JsonObject extraData() {
        return extraData.deepCopy();
    }

    @Override
    public Map<String, JsonObject> outputs() {
        Map<String, JsonObject> copy = new LinkedHashMap<>();
        outputs.forEach((k, v) -> copy.put(k, v.deepCopy()));
        return Collections.unmodifiableMap(copy);
    }

    /** Whether the prompt ran to its end without error. */
    public boolean succeeded() {
        return "success".equals(statusStr);
    }

    /** Whether it was stopped by an interrupt (the server records this as an error). */
    public boolean interrupted() {
        return messages.stream().anyMatch(m -> m.type().equals("execution_interrupted"));
    }

    /** The {@code execution_error} message's data, if the prompt failed in a node. */
    public Optional<JsonObject> executionError() {
        return messages.stream().filter(m -> m.type().equals("execution_error")).map(HistoryMessage::data)
                .findFirst();
    }

    /**
     * Every file the outputs name, in node order: all objects with a {@code filename} in any list of any
     * output ({@code images}, {@code gifs}, {@code latents}, {@code audio}, ...).
     */
    public List<FileRef> outputFiles() {
        List<FileRef> files = new ArrayList<>();
        for (JsonObject output : outputs.values()) {
            for (Map.Entry<String, JsonElement> e : output.entrySet()) {
                if (!e.getValue().isJsonArray()) {
                    continue;
                }
                for (JsonElement item : e.getValue().getAsJsonArray()) {
                    if (item.isJsonObject() && !string(item.getAsJsonObject(), "filename").isEmpty()) {
                        JsonObject o = item.getAsJsonObject();
                        files.add(new FileRef(string(o, "filename"), string(o, "subfolder"), string(o, "type")));
                    }
                }
            }
        }
        return List.copyOf(files);
    }

    private static String string(JsonObject o, String key) {
        JsonElement v = o.get(key);
        return v != null && v.isJsonPrimitive() ? v.getAsString() : "";
    }
}
