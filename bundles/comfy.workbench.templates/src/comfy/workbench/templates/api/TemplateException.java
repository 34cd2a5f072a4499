package comfy.workbench.templates.api;

import java.util.List;
import java.util.Objects;

/** Why a template could not be defined, previewed, instantiated or swept. The message says what, naming the parameter. */
public final class TemplateException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What kind of problem it is. */
    public enum Kind {
        /** A parameter definition does not fit the workflow or the schema (unknown node, input, mixed types, …). */
        BAD_DEFINITION,
        /** A value was given for a parameter the template does not have. */
        UNKNOWN_PARAMETER,
        /** A value does not satisfy its parameter: wrong type, out of range, not an option, no such file, missing. */
        INVALID_VALUE,
        /** The template has bindings that no longer fit its workflow ({@link Template#problems()}). */
        STALE_BINDING,
        /** A sweep would make more instances than its cap. */
        TOO_MANY_INSTANCES,
        /** Uploading an IMAGE value to the server failed. */
        UPLOAD_FAILED,
        /** A stored template cannot be read as one. */
        CORRUPT
    }

    private final Kind kind;
    private final List<String> details;

    public TemplateException(Kind kind, String message) {
        this(kind, message, List.of(), null);
    }

    /**
     * @param details one line per problem when there are several (every invalid value, every stale binding)
     */
    public TemplateException(Kind kind, String message, List<String> details, Throwable cause) {
        super(details.isEmpty() ? message : message + ": " + String.join("; ", details), cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.details = List.copyOf(details);
    }

    public Kind kind() {
        return kind;
    }

    /** The single problems, when there were several. */
    public List<String> details() {
        return details;
    }
}
