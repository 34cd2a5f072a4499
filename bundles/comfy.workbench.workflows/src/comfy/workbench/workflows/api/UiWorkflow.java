package comfy.workbench.workflows.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import comfy.workbench.model.api.ComfyJson;
import comfy.workbench.model.api.ComfyJsonException;

/**
 * A workflow in the frontend's UI format ({@code workflowSchema.ts}, schema 0.4 with links as arrays and
 * schema 1 with links as objects): nodes with positions and positional {@code widgets_values}, links
 * between slots, groups, subgraph definitions. This is what the frontend saves, embeds in a PNG as
 * {@code workflow} and sends as {@code extra_pnginfo.workflow}.
 * <p>
 * Like {@code PromptGraph}, the workflow is kept as the JSON it was read from, so that writing it back
 * loses nothing; the nodes and links are parsed views of it. Immutable.
 */
public final class UiWorkflow {

    /** Node modes: 0 always, 2 never (muted: dropped from the prompt), 4 bypass (inputs pass through). */
    public static final int MODE_ALWAYS = 0;
    public static final int MODE_NEVER = 2;
    public static final int MODE_BYPASS = 4;

    /** ComfyJson's writer drops {@code null} members, and UI workflows have {@code "links": null}. */
    private static final Gson COMPACT = new GsonBuilder().serializeSpecialFloatingPointValues().serializeNulls()
            .disableHtmlEscaping().create();

    private final JsonObject json;
    private final String version;
    private final List<Node> nodes;
    private final Map<Integer, Link> links;
    private final Map<String, Subgraph> subgraphs;

    private UiWorkflow(JsonObject json, String version, List<Node> nodes, Map<Integer, Link> links,
            Map<String, Subgraph> subgraphs) {
        this.json = json;
        this.version = version;
        this.nodes = nodes;
        this.links = links;
        this.subgraphs = subgraphs;
    }

    /** The id of the virtual node a subgraph's inputs come from, as link origins inside the subgraph. */
    public static final String SUBGRAPH_INPUT_NODE = "-10";
    /** The id of the virtual node a subgraph's outputs go to, as link targets inside the subgraph. */
    public static final String SUBGRAPH_OUTPUT_NODE = "-20";

    /**
     * A subgraph definition ({@code definitions.subgraphs[]}): a graph of its own, used by nodes whose
     * {@code type} is its id. Inside it, links from node {@value #SUBGRAPH_INPUT_NODE} slot i carry the
     * instance's input i, and links to node {@value #SUBGRAPH_OUTPUT_NODE} slot j feed the instance's output j.
     */
    public record Subgraph(String id, String name, List<Node> nodes, Map<Integer, Link> links) {
        public Subgraph {
            Objects.requireNonNull(id, "id");
            nodes = List.copyOf(nodes);
            links = Collections.unmodifiableMap(new LinkedHashMap<>(links));
        }
    }

    /**
     * One node: its id, class ({@code type}), mode, title, slots and widget values. The JSON parts are
     * private copies, and the accessors return copies, so a node cannot change the workflow it came from.
     *
     * @param widgetsValues {@code widgets_values}: usually a list (positional), for some nodes an object
     *                      (by widget name), {@code null} when absent
     */
    public record Node(String id, String type, int mode, String title, List<Input> inputs, List<Output> outputs,
            JsonElement widgetsValues, JsonObject properties) {
        public Node {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(type, "type");
            inputs = List.copyOf(inputs);
            outputs = List.copyOf(outputs);
            widgetsValues = widgetsValues == null ? null : widgetsValues.deepCopy();
            properties = properties == null ? new JsonObject() : properties.deepCopy();
        }

        @Override
        public JsonElement widgetsValues() {
            return widgetsValues == null ? null : widgetsValues.deepCopy();
        }

        @Override
        public JsonObject properties() {
            return properties.deepCopy();
        }

        /** The {@code widgets_values} as a list (a copy); empty when absent or an object (see {@link #widgetsValues()}). */
        public JsonArray widgetValueList() {
            return widgetsValues != null && widgetsValues.isJsonArray() ? widgetsValues.getAsJsonArray().deepCopy()
                    : new JsonArray();
        }

        /** The title shown on the node, if the user or the frontend set one. */
        public Optional<String> titleText() {
            return Optional.ofNullable(title);
        }
    }

    /**
     * An input slot.
     *
     * @param name   the input's name (for a widget turned into a socket, the widget's name)
     * @param type   the slot type
     * @param link   the id of the link into it, or {@code null}
     * @param widget the widget it stands for ({@code widget.name}), or {@code null}
     */
    public record Input(String name, String type, Integer link, String widget) {
    }

    /** An output slot and the ids of the links out of it. */
    public record Output(String name, String type, List<Integer> links) {
        public Output {
            links = List.copyOf(links);
        }
    }

    /** A link from output {@code originSlot} of one node to input {@code targetSlot} of another. */
    public record Link(int id, String originId, int originSlot, String targetId, int targetSlot, String type) {
    }

    /**
     * Parses UI-format JSON.
     *
     * @throws WorkflowException {@link WorkflowException.Kind#NOT_JSON} for text that is not a JSON object,
     *                           {@link WorkflowException.Kind#WRONG_KIND} for JSON that is not a UI workflow
     */
    public static UiWorkflow parse(String text, String what) {
        JsonObject json;
        try {
            json = ComfyJson.parseObject(text, what);
        } catch (ComfyJsonException e) {
            throw new WorkflowException(WorkflowException.Kind.NOT_JSON, what, "not a JSON workflow: " + e.getMessage(), e);
        }
        return of(json, what);
    }

    /** Reads a UI workflow from its JSON object (copied). */
    public static UiWorkflow of(JsonObject source, String what) {
        if (!looksLikeUi(source)) {
            throw new WorkflowException(WorkflowException.Kind.WRONG_KIND, what,
                    "not a UI-format workflow (no \"nodes\" list): " + describeKind(source));
        }
        JsonObject json = source.deepCopy();
        List<Node> nodes = nodes(json, what, "");
        Map<Integer, Link> links = links(json, what, "");
        Map<String, Subgraph> subgraphs = new LinkedHashMap<>();
        JsonElement definitions = json.get("definitions");
        if (definitions != null && definitions.isJsonObject()) {
            JsonElement list = definitions.getAsJsonObject().get("subgraphs");
            if (list != null && list.isJsonArray()) {
                int i = 0;
                for (JsonElement s : list.getAsJsonArray()) {
                    String where = "definitions.subgraphs[" + i++ + "].";
                    if (!s.isJsonObject() || scalar(s.getAsJsonObject().get("id")) == null) {
                        throw new WorkflowException(WorkflowException.Kind.WRONG_KIND, what, where + " is not a subgraph with an id");
                    }
                    JsonObject o = s.getAsJsonObject();
                    String id = scalar(o.get("id"));
                    subgraphs.put(id, new Subgraph(id, scalar(o.get("name")), nodes(o, what, where), links(o, what, where)));
                }
            }
        }
        JsonElement version = json.get("version");
        return new UiWorkflow(json, version != null && version.isJsonPrimitive() ? version.getAsString() : "",
                nodes, links, Collections.unmodifiableMap(subgraphs));
    }

    /** Whether a JSON object has the shape of a UI workflow (a {@code nodes} list). */
    public static boolean looksLikeUi(JsonObject json) {
        JsonElement nodes = json.get("nodes");
        return nodes != null && nodes.isJsonArray();
    }

    /** Names what kind of JSON object this is, for messages about JSON of the wrong kind. */
    public static String describeKind(JsonObject json) {
        if (looksLikeUi(json)) {
            return "it is a UI-format workflow (it has \"nodes\" and \"links\")";
        }
        if (json.isEmpty()) {
            return "it is an empty object";
        }
        int api = 0;
        int objectInfo = 0;
        for (Map.Entry<String, JsonElement> e : json.entrySet()) {
            if (e.getValue().isJsonObject()) {
                JsonObject o = e.getValue().getAsJsonObject();
                if (o.has("class_type")) {
                    api++;
                }
                if (o.has("input") && o.has("output") && (o.has("category") || o.has("output_node"))) {
                    objectInfo++;
                }
            }
        }
        if (objectInfo > 0 && objectInfo >= api) {
            return "it looks like a node schema (/object_info), not a workflow";
        }
        if (api == json.size()) {
            return "it is an API-format prompt (nodes with class_type)";
        }
        if (json.has("prompt") && json.get("prompt").isJsonObject()) {
            return "it looks like a POST /prompt body; the graph is its \"prompt\"";
        }
        List<String> keys = new ArrayList<>(json.keySet());
        return "it has neither \"nodes\" nor class_type entries (keys: "
                + String.join(", ", keys.subList(0, Math.min(5, keys.size()))) + (keys.size() > 5 ? ", …" : "") + ")";
    }

    private static List<Node> nodes(JsonObject graph, String what, String where) {
        List<Node> nodes = new ArrayList<>();
        JsonElement nodeArray = graph.get("nodes");
        if (nodeArray != null && nodeArray.isJsonArray()) {
            for (int i = 0; i < nodeArray.getAsJsonArray().size(); i++) {
                nodes.add(node(nodeArray.getAsJsonArray().get(i), where + "nodes[" + i + "]", what));
            }
        }
        return Collections.unmodifiableList(nodes);
    }

    private static Map<Integer, Link> links(JsonObject graph, String what, String where) {
        Map<Integer, Link> links = new LinkedHashMap<>();
        JsonElement linkArray = graph.get("links");
        if (linkArray != null && linkArray.isJsonArray()) {
            int i = 0;
            for (JsonElement l : linkArray.getAsJsonArray()) {
                Link link = link(l, what, where, i++);
                if (link != null) {
                    links.put(link.id(), link);
                }
            }
        }
        return Collections.unmodifiableMap(links);
    }

    private static Node node(JsonElement element, String where, String what) {
        if (!element.isJsonObject()) {
            throw new WorkflowException(WorkflowException.Kind.WRONG_KIND, what,
                    where + " is " + ComfyJson.kind(element) + ", expected a node object");
        }
        JsonObject o = element.getAsJsonObject();
        String id = scalar(o.get("id"));
        String type = scalar(o.get("type"));
        if (id == null || type == null) {
            throw new WorkflowException(WorkflowException.Kind.WRONG_KIND, what, where + " has no id or type");
        }
        JsonElement modeJson = o.get("mode");
        int mode = modeJson != null && modeJson.isJsonPrimitive() && modeJson.getAsJsonPrimitive().isNumber()
                ? modeJson.getAsInt() : MODE_ALWAYS;
        List<Input> inputs = new ArrayList<>();
        JsonElement in = o.get("inputs");
        if (in != null && in.isJsonArray()) {
            for (JsonElement e : in.getAsJsonArray()) {
                if (e.isJsonObject()) {
                    JsonObject slot = e.getAsJsonObject();
                    JsonElement widget = slot.get("widget");
                    String widgetName = widget != null && widget.isJsonObject() ? scalar(widget.getAsJsonObject().get("name")) : null;
                    inputs.add(new Input(scalar(slot.get("name")), scalar(slot.get("type")), integer(slot.get("link")),
                            widgetName));
                }
            }
        }
        List<Output> outputs = new ArrayList<>();
        JsonElement out = o.get("outputs");
        if (out != null && out.isJsonArray()) {
            for (JsonElement e : out.getAsJsonArray()) {
                if (e.isJsonObject()) {
                    JsonObject slot = e.getAsJsonObject();
                    List<Integer> ids = new ArrayList<>();
                    JsonElement l = slot.get("links");
                    if (l != null && l.isJsonArray()) {
                        for (JsonElement x : l.getAsJsonArray()) {
                            Integer v = integer(x);
                            if (v != null) {
                                ids.add(v);
                            }
                        }
                    }
                    outputs.add(new Output(scalar(slot.get("name")), scalar(slot.get("type")), ids));
                }
            }
        }
        JsonElement props = o.get("properties");
        return new Node(id, type, mode, scalar(o.get("title")), inputs, outputs, o.get("widgets_values"),
                props != null && props.isJsonObject() ? props.getAsJsonObject() : null);
    }

    private static Link link(JsonElement l, String what, String where, int index) {
        if (l.isJsonArray()) {
            JsonArray a = l.getAsJsonArray();
            if (a.size() < 5) {
                throw new WorkflowException(WorkflowException.Kind.WRONG_KIND, what, where + "links[" + index + "] has "
                        + a.size() + " elements, expected [id, origin_id, origin_slot, target_id, target_slot, type]");
            }
            return link(a.get(0), a.get(1), a.get(2), a.get(3), a.get(4), a.size() > 5 ? a.get(5) : null, what, where, index);
        }
        if (l.isJsonObject()) {
            JsonObject o = l.getAsJsonObject();
            return link(o.get("id"), o.get("origin_id"), o.get("origin_slot"), o.get("target_id"), o.get("target_slot"),
                    o.get("type"), what, where, index);
        }
        if (l.isJsonNull()) {
            return null; // the frontend leaves holes in old link arrays
        }
        throw new WorkflowException(WorkflowException.Kind.WRONG_KIND, what, where + "links[" + index + "] is " + ComfyJson.kind(l));
    }

    private static Link link(JsonElement id, JsonElement origin, JsonElement originSlot, JsonElement target,
            JsonElement targetSlot, JsonElement type, String what, String where, int index) {
        Integer linkId = integer(id);
        Integer os = integer(originSlot);
        Integer ts = integer(targetSlot);
        String o = scalar(origin);
        String t = scalar(target);
        if (linkId == null || os == null || ts == null || o == null || t == null) {
            throw new WorkflowException(WorkflowException.Kind.WRONG_KIND, what, "links[" + index
                    + "] lacks an id, origin or target");
        }
        return new Link(linkId, o, os, t, ts, type == null || !type.isJsonPrimitive() ? "*" : type.getAsString());
    }

    private static String scalar(JsonElement e) {
        return e != null && e.isJsonPrimitive() ? e.getAsString() : null;
    }

    private static Integer integer(JsonElement e) {
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            return null;
        }
        double d = e.getAsDouble();
        return d == Math.rint(d) && Math.abs(d) <= Integer.MAX_VALUE ? (int) d : null;
    }

    /** The schema version: {@code "0.4"} or {@code "1"} ({@code ""} when the file does not say). */
    public String version() {
        return version;
    }

    /** The nodes in file order. */
    public List<Node> nodes() {
        return nodes;
    }

    /** The links by id. */
    public Map<Integer, Link> links() {
        return links;
    }

    /** The subgraph definitions by id ({@code definitions.subgraphs}); a node whose type is one is a subgraph instance. */
    public Map<String, Subgraph> subgraphs() {
        return subgraphs;
    }

    /** A copy of the JSON. */
    public JsonObject toJsonTree() {
        return json.deepCopy();
    }

    /** The JSON, compact, as read apart from white space ({@code null} members kept). */
    public String toJson() {
        return COMPACT.toJson(json);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof UiWorkflow w && w.json.equals(json);
    }

    @Override
    public int hashCode() {
        return json.hashCode();
    }

    @Override
    public String toString() {
        return "UiWorkflow[version " + version + ", " + nodes.size() + " nodes, " + links.size() + " links]";
    }
}
