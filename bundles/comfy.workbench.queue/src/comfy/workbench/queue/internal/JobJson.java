package comfy.workbench.queue.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import comfy.workbench.model.api.ComfyJson;
import comfy.workbench.model.api.PromptGraph;
import comfy.workbench.queue.api.Job;
import comfy.workbench.queue.api.JobError;
import comfy.workbench.queue.api.JobRequest;
import comfy.workbench.queue.api.JobState;
import comfy.workbench.queue.api.Priority;
import comfy.workbench.queue.api.RetryPolicy;
import comfy.workbench.queue.api.ServerPolicy;
import comfy.workbench.queue.api.Timeouts;

/**
 * A job as the store keeps it: the request (with the graph, written as the model writes it: exact seeds) once, and
 * the state, small, at every change.
 */
final class JobJson {

    private JobJson() {
    }

    /** The request: written once, when the job is submitted (the prompt is most of a job's bytes). */
    static String writeRequest(JobRequest r) {
        JsonObject json = new JsonObject();
        json.addProperty("name", r.name());
        json.add("prompt", r.prompt().toJsonTree());
        json.add("extra", r.extraData());
        json.addProperty("requestedPriority", r.priority().name());
        json.addProperty("policy", r.policy().kind().name());
        if (!r.policy().servers().isEmpty()) {
            JsonArray servers = new JsonArray();
            r.policy().servers().stream().sorted().forEach(servers::add);
            json.add("policyServers", servers);
        }
        json.addProperty("maxAttempts", r.retry().maxAttempts());
        json.addProperty("backoffMs", r.retry().initialBackoff().toMillis());
        json.addProperty("maxBackoffMs", r.retry().maxBackoff().toMillis());
        json.addProperty("retryExecutionErrors", r.retry().retryExecutionErrors());
        json.addProperty("toStartMs", r.timeouts().toStart().toMillis());
        json.addProperty("idleMs", r.timeouts().idlePerNode().toMillis());
        json.addProperty("totalMs", r.timeouts().total().toMillis());
        if (r.batchId() != null) {
            json.addProperty("batch", r.batchId());
        }
        if (r.outputFolder() != null) {
            json.addProperty("outputFolder", r.outputFolder().toString());
        }
        JsonArray tags = new JsonArray();
        r.tags().stream().sorted().forEach(tags::add);
        json.add("tags", tags);
        return ComfyJson.write(json);
    }

    /** The state: written at every change, so kept small. */
    static String writeState(Job job) {
        JsonObject json = new JsonObject();
        json.addProperty("id", job.id());
        json.addProperty("seq", job.sequence());
        json.addProperty("priority", job.priority().name());
        json.addProperty("state", job.state().name());
        if (job.serverId() != null) {
            json.addProperty("server", job.serverId());
        }
        json.addProperty("attempts", job.attempts());
        json.addProperty("created", job.created().toString());
        json.addProperty("updated", job.updated().toString());
        if (job.error() != null) {
            JsonObject e = new JsonObject();
            e.addProperty("kind", job.error().kind().name());
            e.addProperty("message", job.error().message());
            if (job.error().nodeId() != null) {
                e.addProperty("nodeId", job.error().nodeId());
            }
            if (job.error().nodeType() != null) {
                e.addProperty("nodeType", job.error().nodeType());
            }
            e.add("details", job.error().details());
            json.add("error", e);
        }
        JsonArray outputs = new JsonArray();
        job.outputs().forEach(p -> outputs.add(p.toString()));
        json.add("outputs", outputs);
        return ComfyJson.write(json);
    }

    static JobRequest readRequest(String text, String what) {
        JsonObject json = ComfyJson.parseObject(text, what);
        ServerPolicy.Kind kind = ServerPolicy.Kind.valueOf(json.get("policy").getAsString());
        Set<String> policyServers = new LinkedHashSet<>();
        if (json.has("policyServers")) {
            json.getAsJsonArray("policyServers").forEach(s -> policyServers.add(s.getAsString()));
        }
        ServerPolicy policy = new ServerPolicy(kind, policyServers);
        RetryPolicy retry = new RetryPolicy(json.get("maxAttempts").getAsInt(),
                Duration.ofMillis(json.get("backoffMs").getAsLong()), Duration.ofMillis(json.get("maxBackoffMs").getAsLong()),
                json.get("retryExecutionErrors").getAsBoolean());
        Timeouts timeouts = new Timeouts(Duration.ofMillis(json.get("toStartMs").getAsLong()),
                Duration.ofMillis(json.get("idleMs").getAsLong()), Duration.ofMillis(json.get("totalMs").getAsLong()));
        Set<String> tags = new LinkedHashSet<>();
        json.getAsJsonArray("tags").forEach(t -> tags.add(t.getAsString()));
        return new JobRequest(json.get("name").getAsString(), PromptGraph.of(json.getAsJsonObject("prompt"), what + " prompt"),
                json.getAsJsonObject("extra"), Priority.valueOf(json.get("requestedPriority").getAsString()), policy, retry,
                timeouts, json.has("batch") ? json.get("batch").getAsString() : null, tags,
                json.has("outputFolder") ? Path.of(json.get("outputFolder").getAsString()) : null);
    }

    static Job readState(String text, JobRequest request, String what) {
        JsonObject json = ComfyJson.parseObject(text, what);
        JobError error = null;
        if (json.has("error")) {
            JsonObject e = json.getAsJsonObject("error");
            error = new JobError(JobError.Kind.valueOf(e.get("kind").getAsString()), e.get("message").getAsString(),
                    string(e, "nodeId"), string(e, "nodeType"), e.getAsJsonObject("details"));
        }
        List<Path> outputs = new ArrayList<>();
        for (JsonElement p : json.getAsJsonArray("outputs")) {
            outputs.add(Path.of(p.getAsString()));
        }
        return new Job(json.get("id").getAsString(), json.get("seq").getAsLong(), request,
                Priority.valueOf(json.get("priority").getAsString()), JobState.valueOf(json.get("state").getAsString()),
                string(json, "server"), json.get("attempts").getAsInt(), Instant.parse(json.get("created").getAsString()),
                Instant.parse(json.get("updated").getAsString()), error, outputs);
    }

    private static String string(JsonObject json, String key) {
        return json.has(key) && !json.get(key).isJsonNull() ? json.get(key).getAsString() : null;
    }
}
