package comfy.workbench.model.api;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * A server's node schema: every node class it offers, as {@code GET /object_info} describes them. It
 * tells a client which {@code class_type}s exist, what inputs each takes (types, bounds, combo choices,
 * defaults) and what it outputs, which is what checking a prompt before sending it needs. Immutable.
 */
public final class NodeSchema {

    private final Map<String, NodeClass> classes;

    private NodeSchema(Map<String, NodeClass> classes) {
        this.classes = classes;
    }

    /**
     * Parses the body of {@code /object_info}.
     *
     * @param json the body
     * @param what names the source in error messages (a URL, a file)
     * @throws ComfyJsonException if the text is not JSON or a class is malformed; the message names the
     *                            class and, when one is at fault, the input
     */
    public static NodeSchema parse(String json, String what) {
        return of(ComfyJson.parseObject(json, what), what);
    }

    /** Reads a schema from the parsed body of {@code /object_info}, class name → class. */
    public static NodeSchema of(JsonObject json, String what) {
        Map<String, NodeClass> classes = new LinkedHashMap<>(json.size() * 4 / 3 + 1);
        for (Map.Entry<String, JsonElement> e : json.entrySet()) {
            classes.put(e.getKey(), NodeClass.fromJson(e.getKey(), e.getValue(), what));
        }
        return new NodeSchema(Collections.unmodifiableMap(classes));
    }

    /** The class a prompt node's {@code class_type} names, if the server has it. */
    public Optional<NodeClass> nodeClass(String name) {
        return Optional.ofNullable(classes.get(name));
    }

    /** All classes, in the server's order. */
    public Collection<NodeClass> classes() {
        return classes.values();
    }

    /** The number of classes. */
    public int size() {
        return classes.size();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof NodeSchema schema && schema.classes.equals(classes);
    }

    @Override
    public int hashCode() {
        return classes.hashCode();
    }

    @Override
    public String toString() {
        return "NodeSchema[" + classes.size() + " classes]";
    }
}
