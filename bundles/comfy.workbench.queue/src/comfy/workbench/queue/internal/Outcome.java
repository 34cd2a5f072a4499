package comfy.workbench.queue.internal;

import java.util.List;
import java.util.Map;

import com.google.gson.JsonObject;

import comfy.workbench.connection.api.FileRef;
import comfy.workbench.connection.api.HistoryEntry;
import comfy.workbench.connection.api.HistoryMessage;
import comfy.workbench.monitor.api.ExecutionFailure;
import comfy.workbench.monitor.api.PromptExecution;
import comfy.workbench.monitor.api.PromptState;
import comfy.workbench.queue.api.JobError;

/**
 * How a sent prompt ended, whether the monitor said so or the server's history did.
 *
 * @param state the end: SUCCEEDED, FAILED, INTERRUPTED or LOST
 * @param files the output files (for SUCCEEDED)
 * @param error why it did not succeed, else {@code null}
 */
record Outcome(PromptState state, List<FileRef> files, JobError error) {

    static Outcome of(PromptExecution execution) {
        return switch (execution.state()) {
            case SUCCEEDED -> new Outcome(PromptState.SUCCEEDED, OutputFiles.files(execution.outputs()), null);
            case FAILED -> new Outcome(PromptState.FAILED, List.of(), executionError(execution.failure()));
            case INTERRUPTED -> new Outcome(PromptState.INTERRUPTED, List.of(), new JobError(JobError.Kind.INTERRUPTED,
                    "interrupted on " + execution.serverId() + " by another client",
                    execution.failure() == null ? null : execution.failure().nodeId(),
                    execution.failure() == null ? null : execution.failure().nodeType(), null));
            case LOST -> new Outcome(PromptState.LOST, List.of(), new JobError(JobError.Kind.LOST, "the server "
                    + execution.serverId() + " lost the job (it was neither queued nor in its history; a restart?)"));
            default -> throw new IllegalArgumentException("not an end: " + execution.state());
        };
    }

    static Outcome of(HistoryEntry entry, String serverId) {
        if ("success".equals(entry.statusStr()) || (entry.statusStr().isEmpty() && entry.completed())) {
            return new Outcome(PromptState.SUCCEEDED, OutputFiles.files(entry.outputs()), null);
        }
        for (HistoryMessage m : entry.messages()) {
            if (m.type().equals("execution_interrupted")) {
                return new Outcome(PromptState.INTERRUPTED, List.of(), new JobError(JobError.Kind.INTERRUPTED,
                        "interrupted on " + serverId + " by another client", text(m.data(), "node_id"),
                        text(m.data(), "node_type"), m.data()));
            }
        }
        for (HistoryMessage m : entry.messages()) {
            if (m.type().equals("execution_error")) {
                JsonObject d = m.data();
                return new Outcome(PromptState.FAILED, List.of(), new JobError(JobError.Kind.EXECUTION,
                        text(d, "exception_type") + ": " + text(d, "exception_message").strip(), text(d, "node_id"),
                        text(d, "node_type"), d));
            }
        }
        return new Outcome(PromptState.FAILED, List.of(), new JobError(JobError.Kind.EXECUTION,
                "the server's history says " + (entry.statusStr().isEmpty() ? "it did not complete" : entry.statusStr())));
    }

    private static JobError executionError(ExecutionFailure failure) {
        if (failure == null) {
            return new JobError(JobError.Kind.EXECUTION, "execution failed");
        }
        JsonObject details = new JsonObject();
        if (failure.exceptionType() != null) {
            details.addProperty("exception_type", failure.exceptionType());
        }
        if (failure.exceptionMessage() != null) {
            details.addProperty("exception_message", failure.exceptionMessage());
        }
        return new JobError(JobError.Kind.EXECUTION, failure.describe(), failure.nodeId(), failure.nodeType(), details);
    }

    private static String text(JsonObject o, String key) {
        return o != null && o.has(key) && o.get(key).isJsonPrimitive() ? o.get(key).getAsString() : null;
    }

}
