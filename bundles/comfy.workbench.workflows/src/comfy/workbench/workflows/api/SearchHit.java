package comfy.workbench.workflows.api;

import java.util.Objects;

/**
 * One search result.
 *
 * @param entry the workflow
 * @param score how well it matched; higher is better (a name match outweighs a tag match, which outweighs a
 *              description match; whole words and word starts outweigh substrings)
 */
public record SearchHit(LibraryEntry entry, double score) {

    public SearchHit {
        Objects.requireNonNull(entry, "entry");
    }
}
