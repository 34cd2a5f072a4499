package comfy.workbench.workflows.api;

import java.util.Collection;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Names for new entries of a library that it does not have yet, the way a file manager names a copy: {@code portrait},
 * then {@code portrait (2)}, {@code portrait (3)}. In a list by name two equal names cannot be told apart, nor two
 * that differ only in case or surrounding spaces, so those count as taken too. The libraries themselves accept any
 * name; importers (the Workflows view, {@code comfy workflows import}) ask this first. Not thread-safe: one import.
 *
 * @since 0.4.0
 */
public final class LibraryNames {

    private final Set<String> taken = new HashSet<>();

    /** @param entries the library's entries, whose names are taken */
    public LibraryNames(Collection<LibraryEntry> entries) {
        entries.forEach(e -> taken.add(key(e.name())));
    }

    /**
     * The name without surrounding spaces if it is free, else the first numbered form of it that is; either is taken
     * from then on, so that two files of the same import named alike get different names.
     */
    public String claim(String name) {
        String base = name.strip();
        String free = base;
        for (int n = 2; !taken.add(key(free)); n++) {
            free = base + " (" + n + ")";
        }
        return free;
    }

    private static String key(String name) {
        return name.strip().toLowerCase(Locale.ROOT);
    }
}
