package comfy.workbench.workflows.api;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * What the library knows about a workflow besides its graph.
 *
 * @param name        the name shown to users; not blank, need not be unique
 * @param description free text, {@code ""} when none
 * @param tags        tags without blanks or duplicates, in the order given
 * @param created     when it entered the library
 * @param modified    when it was last changed
 * @param source      where it came from: a file name, {@code comfyui:<server>/workflows/<path>}, {@code new}, …
 */
public record WorkflowMetadata(String name, String description, List<String> tags, Instant created, Instant modified,
        String source) {

    public WorkflowMetadata {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a workflow needs a name");
        }
        description = description == null ? "" : description;
        tags = cleanTags(tags);
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(modified, "modified");
        source = source == null ? "" : source;
    }

    static List<String> cleanTags(List<String> tags) {
        LinkedHashSet<String> clean = new LinkedHashSet<>();
        for (String tag : tags == null ? List.<String>of() : tags) {
            if (tag != null && !tag.isBlank()) {
                clean.add(tag.strip());
            }
        }
        return List.copyOf(clean);
    }
}
