package comfy.workbench.testing.fake.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

/**
 * The prompt worker: takes the lowest {@code number}, runs the nodes an output needs in ComfyUI's order (outputs
 * first when ready, then nodes that feed an output), serves unchanged nodes from a cache keyed by input signature,
 * and emits the messages of captures 01–07 in their order and routing.
 */
public final class Executor {

    private record Cached(List<Object> outputs, JsonObject ui) {
    }

    private final PromptQueue queue;
    private final WsHub hub;
    private final ObjectInfo info;
    private final NodeSim sim;
    private final Script script;
    private final Map<String, AtomicInteger> executions;
    private final Map<String, String> outcomes;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final Object sleepLock = new Object();
    /** Node ids whose execution waits until released: lets tests hold the worker at a known point. */
    private final java.util.Set<String> heldNodes = new java.util.HashSet<>();
    private volatile String waitingAt;
    private volatile boolean interruptRequested;
    private final AtomicInteger interrupts = new AtomicInteger();
    private volatile String runningNode;
    private volatile Thread thread;
    private volatile boolean stopping;

    public Executor(PromptQueue queue, WsHub hub, ObjectInfo info, NodeSim sim, Script script, Map<String, AtomicInteger> executions,
            Map<String, String> outcomes) {
        this.queue = queue;
        this.hub = hub;
        this.info = info;
        this.sim = sim;
        this.script = script;
        this.executions = executions;
        this.outcomes = outcomes;
    }

    public void start() {
        stopping = false;
        Thread t = new Thread(this::loop, "fake-comfyui-worker");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /** Stops the worker; a running prompt is abandoned without history, as when the real process dies. */
    public void stop() {
        stopping = true;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        thread = null;
        cache.clear();
        runningNode = null;
        interruptRequested = false;
    }

    /** The global interrupt: takes effect when the next node would start (capture 07). */
    public void interrupt() {
        interruptRequested = true;
        interrupts.incrementAndGet();
    }

    /** How many interrupts were applied (set), for tests that must not race the request's handler. */
    public int interruptsApplied() {
        return interrupts.get();
    }

    public String runningNode() {
        return runningNode;
    }

    private void loop() {
        while (!stopping) {
            PromptQueue.Item item;
            try {
                item = queue.take(200);
            } catch (InterruptedException e) {
                return;
            }
            if (item == null) {
                continue;
            }
            interruptRequested = false;
            executions.computeIfAbsent(item.promptId(), k -> new AtomicInteger()).incrementAndGet();
            try {
                execute(item);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException bug) {
                // a defect of the fake must not kill the worker silently: report it like a node exception
                failed(item, bug);
            }
        }
    }

    private void execute(PromptQueue.Item item) throws InterruptedException {
        String pid = item.promptId();
        String client = item.clientId();
        JsonObject prompt = item.prompt();
        JsonArray messages = new JsonArray();
        JsonObject outputs = new JsonObject();
        JsonObject meta = new JsonObject();

        toClient(client, messages, "execution_start", Json.obj("prompt_id", pid, "timestamp", System.currentTimeMillis()));
        Map<String, String> signatures = new HashMap<>();
        List<String> cachedNodes = new ArrayList<>();
        for (String id : prompt.keySet()) {
            signature(prompt, id, signatures);
        }
        // the classic cache keeps only what the new prompt can use (set_prompt + clean_unused): capture 09's
        // slow prompt re-runs nodes that an interrupted prompt two prompts earlier had computed
        cache.keySet().retainAll(new java.util.HashSet<>(signatures.values()));
        for (String id : prompt.keySet()) {
            if (cache.containsKey(signatures.get(id))) {
                cachedNodes.add(id);
            }
        }
        toClient(client, messages, "execution_cached",
                Json.obj("nodes", Json.strings(cachedNodes), "prompt_id", pid, "timestamp", System.currentTimeMillis()));

        // ExecutionList: add outputs, then their uncached inputs depth first; links to cached nodes do not block
        Map<String, Set<String>> blockers = new LinkedHashMap<>();
        for (String o : item.outputs()) {
            add(prompt, o, cachedNodes, blockers);
        }
        Map<String, List<Object>> values = new HashMap<>();
        JsonObject progress = new JsonObject();
        List<String> executed = new ArrayList<>();
        while (!blockers.isEmpty()) {
            String id = pick(prompt, blockers);
            blockers.remove(id);
            blockers.values().forEach(b -> b.remove(id));
            String classType = Json.str(prompt.getAsJsonObject(id), "class_type");
            Cached hit = cache.get(signatures.get(id));
            if (hit != null) {
                values.put(id, hit.outputs());
                if (hit.ui() != null) {
                    toClientOnly(client, "executed", Json.obj("node", id, "display_node", id, "output", hit.ui(), "prompt_id", pid));
                    outputs.add(id, hit.ui());
                    meta.add(id, meta(id));
                    progress.add(id, progressEntry(id, pid, new JsonPrimitive(1), new JsonPrimitive(1), "finished"));
                    hub.route(client, Json.message("progress_state", Json.obj("prompt_id", pid, "nodes", progress.deepCopy())));
                }
                executed.add(id);
                continue;
            }
            abandonIfStopping();
            progress.add(id, progressEntry(id, pid, new JsonPrimitive(0.0), new JsonPrimitive(1.0), "running"));
            hub.route(client, Json.message("progress_state", Json.obj("prompt_id", pid, "nodes", progress.deepCopy())));
            runningNode = id;
            toClientOnly(client, "executing", Json.obj("node", id, "display_node", id, "prompt_id", pid));
            if (interruptRequested) {
                interruptRequested = false;
                JsonObject data = Json.obj("prompt_id", pid, "node_id", id, "node_type", classType,
                        "executed", Json.strings(executed), "timestamp", System.currentTimeMillis());
                messages.add(Json.arr("execution_interrupted", data));
                hub.route(client, Json.message("execution_interrupted", data));
                finish(item, client, Json.obj(), Json.obj(), messages, "error", false);
                return;
            }
            Map<String, Object> inputs = inputs(prompt, id, values);
            NodeSim.Outcome outcome;
            try {
                outcome = runNode(id, classType, inputs, prompt, item.extraData(), pid, client, progress);
            } catch (NodeFailure failure) {
                JsonObject currentInputs = new JsonObject();
                inputs.forEach((k, v) -> currentInputs.add(k, Json.arr(v instanceof Number || v instanceof String || v instanceof Boolean
                        ? Json.of(v) : new JsonPrimitive(String.valueOf(v)))));
                JsonObject data = Json.obj("prompt_id", pid, "node_id", id, "node_type", classType, "executed", Json.strings(executed),
                        "exception_message", failure.getMessage(), "exception_type", failure.exceptionType(),
                        "traceback", Json.arr("  File \"/opt/ComfyUI/execution.py\", line 496, in execute\n"),
                        "current_inputs", currentInputs, "current_outputs", Json.strings(prompt.keySet()),
                        "timestamp", System.currentTimeMillis());
                toClient(client, messages, "execution_error", data);
                finish(item, client, Json.obj(), Json.obj(), messages, "error", false);
                return;
            }
            values.put(id, outcome.outputs());
            if (outcome.ui() != null) {
                toClientOnly(client, "executed", Json.obj("node", id, "display_node", id, "output", outcome.ui(), "prompt_id", pid));
                outputs.add(id, outcome.ui());
                meta.add(id, meta(id));
            }
            JsonObject entry = progress.getAsJsonObject(id);
            JsonElement max = entry.get("max");
            progress.add(id, progressEntry(id, pid, max, max, "finished"));
            hub.route(client, Json.message("progress_state", Json.obj("prompt_id", pid, "nodes", progress.deepCopy())));
            cache.put(signatures.get(id), new Cached(outcome.outputs(), outcome.ui()));
            executed.add(id);
        }
        abandonIfStopping();
        toClient(client, messages, "execution_success", Json.obj("prompt_id", pid, "timestamp", System.currentTimeMillis()));
        finish(item, client, outputs, meta, messages, "success", true);
    }

    private NodeSim.Outcome runNode(String id, String classType, Map<String, Object> inputs, JsonObject prompt, JsonObject extraData,
            String pid, String client, JsonObject progress) throws InterruptedException {
        Script.Failure failure = script.failure(classType);
        int steps = script.progressSteps(classType);
        Duration duration = script.duration(id, classType);
        NodeSim.Context ctx = new NodeSim.Context() {
            @Override
            public String nodeId() {
                return id;
            }

            @Override
            public JsonObject prompt() {
                return prompt;
            }

            @Override
            public JsonObject extraData() {
                return extraData;
            }

            @Override
            public void progress(int value, int max, byte[] previewPng) {
                reportProgress(id, pid, client, progress, value, max, previewPng);
            }

            @Override
            public void text(String text) {
                byte[] node = id.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                byte[] t = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                hub.binary(client, java.nio.ByteBuffer.allocate(8 + node.length + t.length).putInt(3).putInt(node.length).put(node).put(t).array());
            }
        };
        awaitRelease(id);
        if (steps > 0) {
            for (int step = 1; step <= steps; step++) {
                work(duration.dividedBy(steps));
                reportProgress(id, pid, client, progress, step, steps, null);
            }
        } else {
            work(duration);
        }
        if (failure != null) {
            throw new NodeFailure(failure.exceptionType(), failure.message());
        }
        return sim.run(classType, inputs, ctx);
    }

    private void reportProgress(String id, String pid, String client, JsonObject progress, int value, int max, byte[] previewPng) {
        progress.add(id, progressEntry(id, pid, new JsonPrimitive(value), new JsonPrimitive(max), "running"));
        hub.route(client, Json.message("progress_state", Json.obj("prompt_id", pid, "nodes", progress.deepCopy())));
        JsonObject data = Json.obj("value", value, "max", max, "prompt_id", pid, "node", id);
        if (previewPng == null) {
            hub.route(client, Json.message("progress", data));
            return;
        }
        JsonObject metadata = Json.obj("node_id", id, "prompt_id", pid, "display_node_id", id, "parent_node_id", null,
                "real_node_id", id, "image_type", "image/png");
        // capture 04 (legacy) has progress then the preview; capture 05 (metadata) the preview then progress
        if (hub.supportsPreviewMetadata(client)) {
            hub.preview(client, previewPng, metadata);
            hub.route(client, Json.message("progress", data));
        } else {
            hub.route(client, Json.message("progress", data));
            hub.preview(client, previewPng, metadata);
        }
    }

    /** Holds every later execution of node {@code nodeId} (in any prompt) until {@link #release}. */
    public void hold(String nodeId) {
        synchronized (sleepLock) {
            heldNodes.add(nodeId);
        }
    }

    public void release(String nodeId) {
        synchronized (sleepLock) {
            heldNodes.remove(nodeId);
            sleepLock.notifyAll();
        }
    }

    private void awaitRelease(String nodeId) throws InterruptedException {
        synchronized (sleepLock) {
            try {
                while (heldNodes.contains(nodeId)) {
                    waitingAt = nodeId;
                    sleepLock.wait();
                }
            } finally {
                waitingAt = null;
            }
        }
    }

    /** The held node the worker is waiting at, or null when it is not waiting at a hold. */
    public String waitingAt() {
        return waitingAt;
    }

    /** Simulated work: waits the scripted time (the fake's stand-in for computing, not a synchronisation). */
    private void work(Duration d) throws InterruptedException {
        long end = System.nanoTime() + d.toNanos();
        synchronized (sleepLock) {
            for (long left = end - System.nanoTime(); left > 0; left = end - System.nanoTime()) {
                sleepLock.wait(Math.max(1, left / 1_000_000), 0);
            }
        }
    }

    private void finish(PromptQueue.Item item, String client, JsonObject outputs, JsonObject meta, JsonArray messages,
            String statusStr, boolean completed) {
        runningNode = null;
        queue.done(item, inPromptOrder(item.prompt(), outputs), Json.obj("status_str", statusStr, "completed", completed, "messages", messages),
                inPromptOrder(item.prompt(), meta));
        outcomes.put(item.promptId(), statusStr);
        toClientOnly(client, "executing", Json.obj("node", null, "prompt_id", item.promptId()));
    }

    /**
     * A stopping server abandons its running prompt at the next node, as a killed process would: a node without a
     * wait (zero duration) never meets the stop's interrupt, and the prompt must not complete into the next run.
     */
    private void abandonIfStopping() throws InterruptedException {
        if (stopping) {
            throw new InterruptedException("the server is stopping");
        }
    }

    private void failed(PromptQueue.Item item, RuntimeException bug) {
        java.io.StringWriter trace = new java.io.StringWriter();
        bug.printStackTrace(new java.io.PrintWriter(trace));
        JsonObject data = Json.obj("prompt_id", item.promptId(), "node_id", runningNode, "node_type", null, "executed", new JsonArray(),
                "exception_message", "fake server defect: " + bug, "exception_type", bug.getClass().getName(),
                "traceback", Json.arr(trace.toString()), "current_inputs", new JsonObject(), "current_outputs", new JsonArray(),
                "timestamp", System.currentTimeMillis());
        JsonArray messages = Json.arr(Json.arr("execution_error", data));
        toClientOnly(item.clientId(), "execution_error", data);
        finish(item, item.clientId(), new JsonObject(), new JsonObject(), messages, "error", false);
    }

    /** History lists outputs and meta in the prompt's node order, not in execution order (capture 01). */
    private static JsonObject inPromptOrder(JsonObject prompt, JsonObject byNode) {
        JsonObject ordered = new JsonObject();
        for (String id : prompt.keySet()) {
            if (byNode.has(id)) {
                ordered.add(id, byNode.get(id));
            }
        }
        return ordered;
    }

    private void toClient(String client, JsonArray messages, String type, JsonObject data) {
        messages.add(Json.arr(type, data));
        toClientOnly(client, type, data);
    }

    private void toClientOnly(String client, String type, JsonObject data) {
        if (client != null) {
            hub.send(client, Json.message(type, data));
        }
    }

    private static JsonObject meta(String id) {
        return Json.obj("node_id", id, "display_node", id, "parent_node", null, "real_node_id", id);
    }

    private static JsonObject progressEntry(String id, String pid, JsonElement value, JsonElement max, String state) {
        return Json.obj("value", value, "max", max, "state", state, "node_id", id, "prompt_id", pid,
                "display_node_id", id, "parent_node_id", null, "real_node_id", id);
    }

    private void add(JsonObject prompt, String id, List<String> cached, Map<String, Set<String>> blockers) {
        if (blockers.containsKey(id)) {
            return;
        }
        Set<String> deps = new LinkedHashSet<>();
        blockers.put(id, deps);
        for (Map.Entry<String, JsonElement> in : inputsOf(prompt, id).entrySet()) {
            if (Json.isLink(in.getValue())) {
                String from = in.getValue().getAsJsonArray().get(0).getAsString();
                if (!cached.contains(from) && prompt.has(from)) {
                    deps.add(from);
                    add(prompt, from, cached, blockers);
                }
            }
        }
    }

    /** {@code ux_friendly_pick_node}: a ready output node, else one feeding an output (one or two levels), else the first. */
    private String pick(JsonObject prompt, Map<String, Set<String>> blockers) {
        List<String> ready = blockers.entrySet().stream().filter(e -> e.getValue().isEmpty()).map(Map.Entry::getKey).toList();
        for (String id : ready) {
            if (isOutput(prompt, id)) {
                return id;
            }
        }
        for (String id : ready) {
            for (String blocked : blocked(blockers, id)) {
                if (isOutput(prompt, blocked)) {
                    return id;
                }
            }
        }
        for (String id : ready) {
            for (String blocked : blocked(blockers, id)) {
                for (String blocked2 : blocked(blockers, blocked)) {
                    if (isOutput(prompt, blocked2)) {
                        return id;
                    }
                }
            }
        }
        return ready.get(0);
    }

    private static List<String> blocked(Map<String, Set<String>> blockers, String id) {
        return blockers.entrySet().stream().filter(e -> e.getValue().contains(id)).map(Map.Entry::getKey).toList();
    }

    private boolean isOutput(JsonObject prompt, String id) {
        return info.isOutputNode(Json.str(prompt.getAsJsonObject(id), "class_type"));
    }

    private static JsonObject inputsOf(JsonObject prompt, String id) {
        JsonObject node = prompt.getAsJsonObject(id);
        return node.has("inputs") && node.get("inputs").isJsonObject() ? node.getAsJsonObject("inputs") : new JsonObject();
    }

    private static Map<String, Object> inputs(JsonObject prompt, String id, Map<String, List<Object>> values) {
        Map<String, Object> in = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : inputsOf(prompt, id).entrySet()) {
            JsonElement v = e.getValue();
            if (Json.isLink(v)) {
                List<Object> upstream = values.get(v.getAsJsonArray().get(0).getAsString());
                int slot = v.getAsJsonArray().get(1).getAsInt();
                in.put(e.getKey(), upstream != null && slot < upstream.size() ? upstream.get(slot) : null);
            } else if (v.isJsonPrimitive() && v.getAsJsonPrimitive().isNumber()) {
                String s = v.getAsString();
                in.put(e.getKey(), s.contains(".") || s.contains("e") || s.contains("E") ? (Object) v.getAsDouble() : (Object) v.getAsBigDecimal().longValue());
            } else if (v.isJsonPrimitive() && v.getAsJsonPrimitive().isBoolean()) {
                in.put(e.getKey(), v.getAsBoolean());
            } else if (v.isJsonPrimitive()) {
                in.put(e.getKey(), v.getAsString());
            } else {
                in.put(e.getKey(), v);
            }
        }
        return in;
    }

    /** The input signature: class and literal inputs, with links replaced by the linked node's signature and slot. */
    private static String signature(JsonObject prompt, String id, Map<String, String> memo) {
        String known = memo.get(id);
        if (known != null) {
            return known;
        }
        memo.put(id, "cycle:" + id);
        JsonObject node = prompt.getAsJsonObject(id);
        StringBuilder s = new StringBuilder(String.valueOf(Json.str(node, "class_type"))).append('{');
        for (Map.Entry<String, JsonElement> e : new java.util.TreeMap<>(inputsOf(prompt, id).asMap()).entrySet()) {
            s.append(e.getKey()).append('=');
            if (Json.isLink(e.getValue()) && prompt.has(e.getValue().getAsJsonArray().get(0).getAsString())) {
                s.append('(').append(signature(prompt, e.getValue().getAsJsonArray().get(0).getAsString(), memo)).append(")#")
                        .append(e.getValue().getAsJsonArray().get(1));
            } else {
                s.append(Json.write(e.getValue()));
            }
            s.append(';');
        }
        String sig = s.append('}').toString();
        memo.put(id, sig);
        return sig;
    }
}
