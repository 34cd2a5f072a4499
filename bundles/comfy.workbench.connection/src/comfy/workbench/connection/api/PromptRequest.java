package comfy.workbench.connection.api;

import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.UUID;
import java.util.regex.Pattern;

import com.google.gson.JsonObject;

import comfy.workbench.model.api.PromptGraph;

/**
 * What {@code POST /api/prompt} sends.
 *
 * @param graph           the API-format prompt
 * @param promptId        canonical lowercase UUID chosen by the client; makes a retried submit idempotent and lets
 *                        a monitor match events before the answer arrives
 * @param clientId        the WebSocket client id that should receive execution events, or {@code null}
 * @param extraData       {@code extra_data} (e.g. {@code extra_pnginfo.workflow}); copied; empty for none
 * @param front           {@code front: true}: jump ahead of the server's queue
 * @param number          explicit queue priority ({@code number}; lower runs first), empty for the server's counter
 * @param partialTargets  {@code partial_execution_targets}: only these output nodes run; empty for all
 */
public record PromptRequest(PromptGraph graph, String promptId, String clientId, JsonObject extraData, boolean front,
        OptionalDouble number, List<String> partialTargets) {

    private static final Pattern CANONICAL_UUID = Pattern
            .compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    public PromptRequest {
        Objects.requireNonNull(graph, "graph");
        Objects.requireNonNull(promptId, "promptId");
        if (!CANONICAL_UUID.matcher(promptId).matches()) {
            throw new IllegalArgumentException("prompt id must be a canonical lowercase UUID: " + promptId);
        }
        extraData = extraData == null ? new JsonObject() : extraData.deepCopy();
        number = number == null ? OptionalDouble.empty() : number;
        partialTargets = partialTargets == null ? List.of() : List.copyOf(partialTargets);
    }

    /** A request for this graph with a fresh random prompt id and nothing else. */
    public static PromptRequest of(PromptGraph graph) {
        return new PromptRequest(graph, UUID.randomUUID().toString(), null, null, false, OptionalDouble.empty(),
                List.of());
    }

    @Override
    public JsonObject extraData() {
        return extraData.deepCopy();
    }

    public PromptRequest withPromptId(String id) {
        return new PromptRequest(graph, id, clientId, extraData, front, number, partialTargets);
    }

    public PromptRequest withClientId(String id) {
        return new PromptRequest(graph, promptId, id, extraData, front, number, partialTargets);
    }

    public PromptRequest withExtraData(JsonObject data) {
        return new PromptRequest(graph, promptId, clientId, data, front, number, partialTargets);
    }

    public PromptRequest withFront(boolean jumpAhead) {
        return new PromptRequest(graph, promptId, clientId, extraData, jumpAhead, number, partialTargets);
    }

    public PromptRequest withNumber(double priority) {
        return new PromptRequest(graph, promptId, clientId, extraData, front, OptionalDouble.of(priority),
                partialTargets);
    }

    public PromptRequest withPartialTargets(List<String> outputNodeIds) {
        return new PromptRequest(graph, promptId, clientId, extraData, front, number, outputNodeIds);
    }
}
