package comfy.workbench.monitor.internal;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.stream.JsonReader;

import comfy.workbench.connection.api.FeatureFlags;
import comfy.workbench.monitor.api.ExecutedEvent;
import comfy.workbench.monitor.api.ExecutingEvent;
import comfy.workbench.monitor.api.ExecutionCachedEvent;
import comfy.workbench.monitor.api.ExecutionErrorEvent;
import comfy.workbench.monitor.api.ExecutionFailure;
import comfy.workbench.monitor.api.ExecutionInterruptedEvent;
import comfy.workbench.monitor.api.ExecutionStartEvent;
import comfy.workbench.monitor.api.ExecutionSuccessEvent;
import comfy.workbench.monitor.api.FeatureFlagsEvent;
import comfy.workbench.monitor.api.LogsEvent;
import comfy.workbench.monitor.api.MonitorEvent;
import comfy.workbench.monitor.api.NodeProgress;
import comfy.workbench.monitor.api.NodeProgress.NodeState;
import comfy.workbench.monitor.api.ProgressEvent;
import comfy.workbench.monitor.api.ProgressStateEvent;
import comfy.workbench.monitor.api.StatusEvent;

/**
 * The {@code data} of each known JSON message type, read into its event. The types a running sampler floods the
 * socket with ({@code progress}, {@code progress_state}, {@code executing}) and the small per-prompt ones are read
 * field by field from the stream, in whatever order they come, skipping fields this version does not know; the rare,
 * large or free-form ones ({@code executed}, {@code execution_error}, ...) go through a Gson tree, which costs more
 * but only a few times per prompt.
 */
final class TextMessages {

    private final String serverId;

    TextMessages(String serverId) {
        this.serverId = serverId;
    }

    /** Whether this version decodes messages of this type. */
    static boolean known(String type) {
        return switch (type) {
            case "status", "feature_flags", "execution_start", "execution_cached", "executing", "progress",
                    "progress_state", "executed", "execution_success", "execution_error", "execution_interrupted",
                    "logs" -> true;
            default -> false;
        };
    }

    /**
     * Reads the value at the reader's position as the data of a message of a {@link #known} type.
     *
     * @throws ShapeException when the data does not have the type's shape
     * @throws IOException    when it is not well-formed JSON
     */
    MonitorEvent decode(String type, JsonReader in, Instant at) throws IOException {
        return switch (type) {
            case "progress" -> progress(in, at);
            case "progress_state" -> progressState(in, at);
            case "executing" -> executing(in, at);
            case "status" -> status(in, at);
            case "execution_start", "execution_success" -> promptEdge(type, in, at);
            case "execution_cached" -> cached(in, at);
            case "executed" -> executed(tree(in), at);
            case "execution_error" -> error(tree(in), at);
            case "execution_interrupted" -> interrupted(tree(in), at);
            case "feature_flags" -> new FeatureFlagsEvent(serverId, at, new FeatureFlags(tree(in)));
            case "logs" -> logs(tree(in), at);
            default -> throw new IllegalArgumentException("not a known type: " + type);
        };
    }

    // ---- streamed

    private ProgressEvent progress(JsonReader in, Instant at) throws IOException {
        Fields.beginObject(in, "data");
        String promptId = null;
        String node = null;
        double value = Double.NaN;
        double max = Double.NaN;
        boolean hasValue = false;
        boolean hasMax = false;
        while (in.hasNext()) {
            switch (in.nextName()) {
                case "value" -> {
                    value = Fields.number(in, "value");
                    hasValue = true;
                }
                case "max" -> {
                    max = Fields.number(in, "max");
                    hasMax = true;
                }
                case "prompt_id" -> promptId = Fields.string(in, "prompt_id");
                case "node" -> node = Fields.string(in, "node");
                default -> in.skipValue();
            }
        }
        in.endObject();
        if (!hasValue || !hasMax) {
            throw new ShapeException(hasValue ? "max is missing" : "value is missing");
        }
        return new ProgressEvent(serverId, at, promptId, node, value, max);
    }

    private ProgressStateEvent progressState(JsonReader in, Instant at) throws IOException {
        Fields.beginObject(in, "data");
        String promptId = null;
        Map<String, NodeProgress> nodes = null;
        while (in.hasNext()) {
            switch (in.nextName()) {
                case "prompt_id" -> promptId = Fields.string(in, "prompt_id");
                case "nodes" -> nodes = nodes(in);
                default -> in.skipValue();
            }
        }
        in.endObject();
        if (nodes == null) {
            throw new ShapeException("nodes is missing");
        }
        return new ProgressStateEvent(serverId, at, promptId, nodes);
    }

    private static Map<String, NodeProgress> nodes(JsonReader in) throws IOException {
        Fields.beginObject(in, "nodes");
        if (!in.hasNext()) {
            in.endObject();
            return Map.of();
        }
        String firstKey = in.nextName();
        NodeProgress first = node(in, firstKey);
        if (!in.hasNext()) {
            in.endObject();
            // the usual case while one node runs: an immutable map the event's Map.copyOf keeps as it is
            return Map.of(firstKey, first);
        }
        Map<String, NodeProgress> nodes = new HashMap<>();
        nodes.put(firstKey, first);
        while (in.hasNext()) {
            String key = in.nextName();
            nodes.put(key, node(in, key));
        }
        in.endObject();
        return nodes;
    }

    private static NodeProgress node(JsonReader in, String key) throws IOException {
        String where = "nodes." + key;
        Fields.beginObject(in, where);
        double value = 0;
        double max = 0;
        String state = null;
        String nodeId = null;
        String display = null;
        String parent = null;
        String real = null;
        while (in.hasNext()) {
            switch (in.nextName()) {
                case "value" -> value = Fields.number(in, where + ".value");
                case "max" -> max = Fields.number(in, where + ".max");
                case "state" -> state = Fields.string(in, where + ".state");
                case "node_id" -> nodeId = Fields.string(in, where + ".node_id");
                case "display_node_id" -> display = Fields.string(in, where + ".display_node_id");
                case "parent_node_id" -> parent = Fields.string(in, where + ".parent_node_id");
                case "real_node_id" -> real = Fields.string(in, where + ".real_node_id");
                default -> in.skipValue();
            }
        }
        in.endObject();
        if (state == null) {
            throw new ShapeException(where + ".state is missing");
        }
        // the key is the node id; node_id repeats it, and is the one to trust if a server ever makes them differ
        return new NodeProgress(nodeId == null ? key : nodeId, value, max, NodeState.of(state), display, parent, real);
    }

    private ExecutingEvent executing(JsonReader in, Instant at) throws IOException {
        Fields.beginObject(in, "data");
        String promptId = null;
        String node = null;
        String display = null;
        while (in.hasNext()) {
            switch (in.nextName()) {
                case "node" -> node = Fields.string(in, "node");
                case "display_node" -> display = Fields.string(in, "display_node");
                case "prompt_id" -> promptId = Fields.string(in, "prompt_id");
                default -> in.skipValue();
            }
        }
        in.endObject();
        if (node == null && promptId == null) {
            // neither a node that started, nor the end of a prompt: nothing a listener could act on
            throw new ShapeException("neither node nor prompt_id");
        }
        return new ExecutingEvent(serverId, at, promptId, node, display);
    }

    private StatusEvent status(JsonReader in, Instant at) throws IOException {
        Fields.beginObject(in, "data");
        String sid = null;
        int remaining = -1;
        while (in.hasNext()) {
            switch (in.nextName()) {
                case "sid" -> sid = Fields.string(in, "sid");
                case "status" -> remaining = queueRemaining(in);
                default -> in.skipValue();
            }
        }
        in.endObject();
        if (remaining < 0) {
            throw new ShapeException("status.exec_info.queue_remaining is missing");
        }
        return new StatusEvent(serverId, at, remaining, sid);
    }

    private static int queueRemaining(JsonReader in) throws IOException {
        int remaining = -1;
        Fields.beginObject(in, "status");
        while (in.hasNext()) {
            if (in.nextName().equals("exec_info")) {
                Fields.beginObject(in, "status.exec_info");
                while (in.hasNext()) {
                    if (in.nextName().equals("queue_remaining")) {
                        remaining = Fields.integer(in, "status.exec_info.queue_remaining");
                        if (remaining < 0) {
                            throw new ShapeException("status.exec_info.queue_remaining is negative");
                        }
                    } else {
                        in.skipValue();
                    }
                }
                in.endObject();
            } else {
                in.skipValue();
            }
        }
        in.endObject();
        return remaining;
    }

    private MonitorEvent promptEdge(String type, JsonReader in, Instant at) throws IOException {
        Fields.beginObject(in, "data");
        String promptId = null;
        long timestamp = 0;
        while (in.hasNext()) {
            switch (in.nextName()) {
                case "prompt_id" -> promptId = Fields.string(in, "prompt_id");
                case "timestamp" -> timestamp = Fields.timestamp(in, "timestamp");
                default -> in.skipValue();
            }
        }
        in.endObject();
        if (promptId == null) {
            throw new ShapeException("prompt_id is missing");
        }
        return type.equals("execution_start") ? new ExecutionStartEvent(serverId, at, promptId, timestamp)
                : new ExecutionSuccessEvent(serverId, at, promptId, timestamp);
    }

    private ExecutionCachedEvent cached(JsonReader in, Instant at) throws IOException {
        Fields.beginObject(in, "data");
        String promptId = null;
        long timestamp = 0;
        List<String> nodes = List.of();
        while (in.hasNext()) {
            switch (in.nextName()) {
                case "prompt_id" -> promptId = Fields.string(in, "prompt_id");
                case "timestamp" -> timestamp = Fields.timestamp(in, "timestamp");
                case "nodes" -> nodes = Fields.strings(in, "nodes");
                default -> in.skipValue();
            }
        }
        in.endObject();
        if (promptId == null) {
            throw new ShapeException("prompt_id is missing");
        }
        return new ExecutionCachedEvent(serverId, at, promptId, nodes, timestamp);
    }

    // ---- tree

    private static JsonObject tree(JsonReader in) {
        // JsonParser reads exactly the one value at the reader's position and keeps the reader's leniency
        return Fields.object(JsonParser.parseReader(in), "data");
    }

    private ExecutedEvent executed(JsonObject data, Instant at) {
        JsonElement output = data.get("output");
        JsonObject out = output == null || output.isJsonNull() ? null : Fields.object(output, "output");
        return new ExecutedEvent(serverId, at, Fields.string(data, "prompt_id"), Fields.requiredString(data, "node"),
                Fields.string(data, "display_node"), out);
    }

    private ExecutionErrorEvent error(JsonObject data, Instant at) {
        ExecutionFailure failure = new ExecutionFailure(Fields.string(data, "node_id"), Fields.string(data, "node_type"),
                Fields.strings(data, "executed"), Fields.requiredString(data, "exception_type"),
                Fields.string(data, "exception_message"), Fields.strings(data, "traceback"));
        return new ExecutionErrorEvent(serverId, at, Fields.requiredString(data, "prompt_id"), failure,
                Fields.timestamp(data, "timestamp"));
    }

    private ExecutionInterruptedEvent interrupted(JsonObject data, Instant at) {
        ExecutionFailure failure = new ExecutionFailure(Fields.string(data, "node_id"), Fields.string(data, "node_type"),
                Fields.strings(data, "executed"), null, null, List.of());
        return new ExecutionInterruptedEvent(serverId, at, Fields.requiredString(data, "prompt_id"), failure,
                Fields.timestamp(data, "timestamp"));
    }

    private LogsEvent logs(JsonObject data, Instant at) {
        JsonElement entries = data.get("entries");
        if (entries == null || !entries.isJsonArray()) {
            throw new ShapeException("entries is " + (entries == null ? "missing" : "not an array"));
        }
        JsonArray array = entries.getAsJsonArray();
        List<LogsEvent.Entry> list = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            JsonObject entry = Fields.object(array.get(i), "entries[" + i + "]");
            String message = Fields.string(entry, "m");
            if (message == null) {
                throw new ShapeException("entries[" + i + "].m is missing");
            }
            list.add(new LogsEvent.Entry(Fields.string(entry, "t"), message));
        }
        return new LogsEvent(serverId, at, list);
    }
}
