package comfy.workbench.monitor.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import comfy.workbench.connection.api.HistoryEntry;
import comfy.workbench.connection.api.HistoryMessage;
import comfy.workbench.monitor.api.ExecutionFailure;
import comfy.workbench.monitor.api.PromptState;

/** How a prompt ended, as the server's history entry tells it. */
final class HistoryOutcome {

    private HistoryOutcome() {
    }

    static PromptState state(HistoryEntry entry) {
        if (entry.interrupted()) {
            return PromptState.INTERRUPTED;
        }
        return entry.succeeded() ? PromptState.SUCCEEDED : PromptState.FAILED;
    }

    /** The failure recorded in the entry's messages, or null for a success. */
    static ExecutionFailure failure(HistoryEntry entry) {
        if (entry.succeeded()) {
            return null;
        }
        Optional<JsonObject> interrupted = entry.messages().stream()
                .filter(m -> m.type().equals("execution_interrupted")).map(HistoryMessage::data).findFirst();
        if (interrupted.isPresent()) {
            return failure(interrupted.get());
        }
        return entry.executionError().map(HistoryOutcome::failure)
                .orElseGet(() -> new ExecutionFailure(null, null, List.of(), "unknown",
                        "the server's history records status '" + entry.statusStr() + "' without an error message",
                        List.of()));
    }

    /** An {@code execution_error} or {@code execution_interrupted} message's data as a failure. */
    static ExecutionFailure failure(JsonObject data) {
        return new ExecutionFailure(string(data, "node_id"), string(data, "node_type"), strings(data, "executed"),
                string(data, "exception_type"), string(data, "exception_message"), strings(data, "traceback"));
    }

    private static String string(JsonObject o, String key) {
        JsonElement v = o.get(key);
        return v == null || v.isJsonNull() ? null : v.isJsonPrimitive() ? v.getAsString() : v.toString();
    }

    private static List<String> strings(JsonObject o, String key) {
        JsonElement v = o.get(key);
        List<String> list = new ArrayList<>();
        if (v != null && v.isJsonArray()) {
            for (JsonElement e : (JsonArray) v) {
                list.add(e.isJsonPrimitive() ? e.getAsString() : e.toString());
            }
        }
        return list;
    }
}
