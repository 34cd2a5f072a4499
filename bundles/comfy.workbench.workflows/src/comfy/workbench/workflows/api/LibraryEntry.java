package comfy.workbench.workflows.api;

import java.util.Objects;
import java.util.Set;

import com.google.gson.JsonObject;

/**
 * A workflow of the library as its index knows it, without the graph: enough to list and search.
 *
 * @param id          the library's id; also the file name stem ({@code <id>.json})
 * @param revision    counts the changes; an update or delete names the revision it started from
 * @param metadata    name, description, tags, times, source
 * @param format      the form the workflow file has: UI JSON when the UI form is known, else API JSON
 * @param nodeClasses the node classes the graph uses
 * @param outputTypes the types the graph's output nodes take in ({@code IMAGE}, {@code VIDEO}, …), when known
 * @param attributes  the owner's data (see {@link WorkflowDraft#attributes()})
 */
public record LibraryEntry(String id, long revision, WorkflowMetadata metadata, WorkflowFormat format,
        Set<String> nodeClasses, Set<String> outputTypes, JsonObject attributes) {

    public LibraryEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(format, "format");
        nodeClasses = Set.copyOf(nodeClasses);
        outputTypes = Set.copyOf(outputTypes);
        attributes = attributes == null ? new JsonObject() : attributes.deepCopy();
    }

    @Override
    public JsonObject attributes() {
        return attributes.deepCopy();
    }

    /** The name, for lists. */
    public String name() {
        return metadata.name();
    }
}
