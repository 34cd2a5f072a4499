package comfy.workbench.workflows.api;

import java.util.Objects;

/** Why a library operation did not happen. Nothing was changed on disk when one is thrown. */
public final class LibraryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What kind of problem it is. */
    public enum Kind {
        /** No workflow has this id. */
        NOT_FOUND,
        /** The workflow was changed (or deleted) since the revision the caller started from. */
        CONFLICT,
        /** The workflow's files cannot be read as a workflow. */
        CORRUPT,
        /** Reading or writing the library folder failed. */
        IO
    }

    private final Kind kind;
    private final String id;

    public LibraryException(Kind kind, String id, String message) {
        this(kind, id, message, null);
    }

    public LibraryException(Kind kind, String id, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.id = id;
    }

    public Kind kind() {
        return kind;
    }

    /** The workflow concerned, or {@code null} when the whole library is. */
    public String id() {
        return id;
    }
}
