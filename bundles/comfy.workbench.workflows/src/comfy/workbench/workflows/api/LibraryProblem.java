package comfy.workbench.workflows.api;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A file in the library folder the library could not load. It is left where it is, untouched, and the rest of
 * the library works without it.
 *
 * @param file    the file
 * @param message what is wrong with it
 */
public record LibraryProblem(Path file, String message) {

    public LibraryProblem {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(message, "message");
    }
}
