package comfy.workbench.connection.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

import comfy.workbench.connection.api.Device;
import comfy.workbench.connection.api.HistoryEntry;
import comfy.workbench.connection.api.HistoryMessage;
import comfy.workbench.connection.api.Job;
import comfy.workbench.connection.api.JobStatus;
import comfy.workbench.connection.api.JobsPage;
import comfy.workbench.connection.api.PromptAccepted;
import comfy.workbench.connection.api.QueueItem;
import comfy.workbench.connection.api.QueueSnapshot;
import comfy.workbench.connection.api.SystemStats;
import comfy.workbench.connection.api.UploadResult;
import comfy.workbench.connection.api.UserDataFile;
import comfy.workbench.model.api.ComfyJson;
import comfy.workbench.model.api.ComfyJsonException;
import comfy.workbench.model.api.NodeError;

/**
 * Turns the protocol's JSON bodies into the API's records. Every method throws {@link ComfyJsonException} naming
 * the JSON path when the shape is not what the protocol says; the client turns that into BAD_RESPONSE.
 */
final class Decode {

    private Decode() {
    }

    static PromptAccepted promptAccepted(JsonElement body) {
        JsonObject o = object(body, "body");
        return new PromptAccepted(string(o, "prompt_id"), number(o, "number"),
                NodeError.mapFromJson(o.get("node_errors"), "node_errors"));
    }

    static int queueRemaining(JsonElement body) {
        JsonObject execInfo = object(object(body, "body").get("exec_info"), "exec_info");
        return (int) number(execInfo, "queue_remaining");
    }

    static QueueSnapshot queue(JsonElement body) {
        JsonObject o = object(body, "body");
        return new QueueSnapshot(queueItems(o, "queue_running"), queueItems(o, "queue_pending"));
    }

    private static List<QueueItem> queueItems(JsonObject o, String key) {
        JsonArray items = array(o.get(key), key);
        List<QueueItem> result = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            String what = key + "[" + i + "]";
            JsonArray item = array(items.get(i), what);
            if (item.size() < 3) {
                throw new ComfyJsonException(what + ": expected [number, prompt_id, prompt, ...] but has "
                        + item.size() + " elements");
            }
            result.add(new QueueItem(asNumber(item.get(0), what + "[0]"), asString(item.get(1), what + "[1]"),
                    object(item.get(2), what + "[2]"), item.size() > 3 ? optionalObject(item.get(3), what + "[3]") : null,
                    item.size() > 4 ? strings(item.get(4), what + "[4]") : List.of()));
        }
        return result;
    }

    /** {@code {prompt_id: entry, ...}} in the server's (insertion) order. */
    static List<HistoryEntry> history(JsonElement body) {
        List<HistoryEntry> result = new ArrayList<>();
        for (Map.Entry<String, JsonElement> e : object(body, "body").entrySet()) {
            result.add(historyEntry(e.getKey(), e.getValue()));
        }
        return result;
    }

    static HistoryEntry historyEntry(String promptId, JsonElement value) {
        JsonObject o = object(value, promptId);
        JsonArray prompt = array(o.get("prompt"), promptId + ".prompt");
        if (prompt.size() < 3) {
            throw new ComfyJsonException(promptId + ".prompt: expected [number, prompt_id, prompt, ...] but has "
                    + prompt.size() + " elements");
        }
        Map<String, JsonObject> outputs = new LinkedHashMap<>();
        JsonElement outs = o.get("outputs");
        if (outs != null && !outs.isJsonNull()) {
            for (Map.Entry<String, JsonElement> e : object(outs, promptId + ".outputs").entrySet()) {
                outputs.put(e.getKey(), object(e.getValue(), promptId + ".outputs." + e.getKey()));
            }
        }
        String statusStr = "";
        boolean completed = false;
        List<HistoryMessage> messages = new ArrayList<>();
        JsonElement status = o.get("status");
        if (status != null && !status.isJsonNull()) {
            JsonObject s = object(status, promptId + ".status");
            statusStr = s.has("status_str") && !s.get("status_str").isJsonNull()
                    ? asString(s.get("status_str"), promptId + ".status.status_str") : "";
            completed = s.has("completed") && asBoolean(s.get("completed"), promptId + ".status.completed");
            JsonElement list = s.get("messages");
            if (list != null && !list.isJsonNull()) {
                JsonArray msgs = array(list, promptId + ".status.messages");
                for (int i = 0; i < msgs.size(); i++) {
                    String what = promptId + ".status.messages[" + i + "]";
                    JsonArray m = array(msgs.get(i), what);
                    if (m.size() != 2) {
                        throw new ComfyJsonException(what + ": expected [type, data] but has " + m.size() + " elements");
                    }
                    messages.add(new HistoryMessage(asString(m.get(0), what + "[0]"), optionalObject(m.get(1), what + "[1]")));
                }
            }
        }
        String what = promptId + ".prompt";
        return new HistoryEntry(promptId, asNumber(prompt.get(0), what + "[0]"), object(prompt.get(2), what + "[2]"),
                prompt.size() > 3 ? optionalObject(prompt.get(3), what + "[3]") : null,
                prompt.size() > 4 ? strings(prompt.get(4), what + "[4]") : List.of(), outputs, statusStr, completed,
                messages);
    }

    static SystemStats systemStats(JsonElement body) {
        JsonObject o = object(body, "body");
        JsonObject system = object(o.get("system"), "system");
        List<Device> devices = new ArrayList<>();
        JsonArray list = array(o.get("devices"), "devices");
        for (int i = 0; i < list.size(); i++) {
            String what = "devices[" + i + "]";
            JsonObject d = object(list.get(i), what);
            devices.add(new Device(string(d, "name"), optionalString(d, "type"),
                    d.has("index") && !d.get("index").isJsonNull() ? (int) number(d, "index") : -1,
                    optionalLong(d, "vram_total"), optionalLong(d, "vram_free"), optionalLong(d, "torch_vram_total"),
                    optionalLong(d, "torch_vram_free")));
        }
        JsonElement argv = system.get("argv");
        return new SystemStats(optionalString(system, "os"), optionalString(system, "comfyui_version"),
                optionalString(system, "python_version"), optionalString(system, "pytorch_version"),
                optionalString(system, "required_frontend_version"), optionalLong(system, "ram_total"),
                optionalLong(system, "ram_free"),
                system.has("embedded_python") && asBoolean(system.get("embedded_python"), "system.embedded_python"),
                argv == null || argv.isJsonNull() ? List.of() : strings(argv, "system.argv"), devices);
    }

    static UploadResult upload(JsonElement body) {
        JsonObject o = object(body, "body");
        return new UploadResult(string(o, "name"), optionalString(o, "subfolder"), optionalString(o, "type"));
    }

    static List<UserDataFile> userData(JsonElement body) {
        JsonArray list = array(body, "body");
        List<UserDataFile> files = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String what = "body[" + i + "]";
            JsonElement item = list.get(i);
            if (item.isJsonPrimitive()) {
                // servers that ignore full_info answer with bare paths
                files.add(new UserDataFile(asString(item, what), 0, 0, 0));
                continue;
            }
            JsonObject o = object(item, what);
            files.add(new UserDataFile(string(o, "path"), optionalLong(o, "size"), optionalLong(o, "modified"),
                    optionalLong(o, "created")));
        }
        return files;
    }

    static JobsPage jobs(JsonElement body) {
        JsonObject o = object(body, "body");
        JsonArray list = array(o.get("jobs"), "jobs");
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            jobs.add(job(list.get(i), "jobs[" + i + "]"));
        }
        JsonElement p = o.get("pagination");
        if (p == null || p.isJsonNull()) {
            return new JobsPage(jobs, 0, jobs.size(), false);
        }
        JsonObject page = object(p, "pagination");
        return new JobsPage(jobs, (int) optionalLong(page, "offset"), (int) optionalLong(page, "total"),
                page.has("has_more") && asBoolean(page.get("has_more"), "pagination.has_more"));
    }

    static Job job(JsonElement value, String what) {
        JsonObject o = object(value, what);
        String status = string(o, "status");
        JobStatus parsed;
        try {
            parsed = JobStatus.fromWire(status);
        } catch (IllegalArgumentException e) {
            throw new ComfyJsonException(what + ".status: unknown job status '" + status + "'");
        }
        JsonElement error = o.get("execution_error");
        JsonElement workflowId = o.get("workflow_id");
        return new Job(string(o, "id"), parsed, o.has("priority") && !o.get("priority").isJsonNull() ? number(o, "priority") : 0,
                maybeLong(o, "create_time"), maybeLong(o, "execution_start_time"), maybeLong(o, "execution_end_time"),
                error != null && error.isJsonObject() ? Optional.of(error.getAsJsonObject()) : Optional.empty(),
                (int) optionalLong(o, "outputs_count"),
                workflowId != null && workflowId.isJsonPrimitive() ? Optional.of(workflowId.getAsString()) : Optional.empty(),
                o);
    }

    static boolean cancelled(JsonElement body) {
        JsonObject o = object(body, "body");
        return asBoolean(o.get("cancelled"), "cancelled");
    }

    static List<String> strings(JsonElement value, String what) {
        JsonArray list = array(value, what);
        List<String> result = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            result.add(asString(list.get(i), what + "[" + i + "]"));
        }
        return result;
    }

    // ---- primitives with messages that name the path

    static JsonObject object(JsonElement value, String what) {
        if (value == null || !value.isJsonObject()) {
            throw new ComfyJsonException(what + ": expected an object but found " + ComfyJson.kind(value));
        }
        return value.getAsJsonObject();
    }

    private static JsonObject optionalObject(JsonElement value, String what) {
        return value == null || value.isJsonNull() ? null : object(value, what);
    }

    static JsonArray array(JsonElement value, String what) {
        if (value == null || !value.isJsonArray()) {
            throw new ComfyJsonException(what + ": expected an array but found " + ComfyJson.kind(value));
        }
        return value.getAsJsonArray();
    }

    private static String string(JsonObject o, String key) {
        return asString(o.get(key), key);
    }

    private static String optionalString(JsonObject o, String key) {
        JsonElement v = o.get(key);
        return v == null || v.isJsonNull() ? "" : asString(v, key);
    }

    static String asString(JsonElement value, String what) {
        if (value == null || !value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
            throw new ComfyJsonException(what + ": expected a string but found " + ComfyJson.kind(value));
        }
        return value.getAsString();
    }

    private static double number(JsonObject o, String key) {
        return asNumber(o.get(key), key);
    }

    static double asNumber(JsonElement value, String what) {
        if (value == null || !value.isJsonPrimitive() || !value.getAsJsonPrimitive().isNumber()) {
            throw new ComfyJsonException(what + ": expected a number but found " + ComfyJson.kind(value));
        }
        return value.getAsDouble();
    }

    private static long optionalLong(JsonObject o, String key) {
        return maybeLong(o, key).orElse(0);
    }

    private static OptionalLong maybeLong(JsonObject o, String key) {
        JsonElement v = o.get(key);
        if (v == null || v.isJsonNull()) {
            return OptionalLong.empty();
        }
        if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isNumber()) {
            throw new ComfyJsonException(key + ": expected a number but found " + ComfyJson.kind(v));
        }
        // byte counts and epoch-ms timestamps: Python may write them as floats
        return OptionalLong.of(v.getAsJsonPrimitive().getAsBigDecimal().longValue());
    }

    private static boolean asBoolean(JsonElement value, String what) {
        if (value instanceof JsonPrimitive p && p.isBoolean()) {
            return p.getAsBoolean();
        }
        throw new ComfyJsonException(what + ": expected true or false but found " + ComfyJson.kind(value));
    }
}
