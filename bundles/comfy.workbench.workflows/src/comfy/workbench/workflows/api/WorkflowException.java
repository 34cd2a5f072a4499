package comfy.workbench.workflows.api;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Why a workflow could not be imported or converted. The message names the source, and where one is at
 * fault the node and the widget; the same facts are available as fields for a UI to point at.
 */
public final class WorkflowException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What kind of problem it is. */
    public enum Kind {
        /** The text is not JSON (or not the JSON object a workflow is). */
        NOT_JSON,
        /** Valid JSON, but of another kind than asked for: a UI workflow given as API format, an {@code /object_info}, … */
        WRONG_KIND,
        /** A PNG without a {@code prompt} or {@code workflow} text chunk. */
        NO_METADATA,
        /** Not a PNG, a truncated PNG, a chunk with a bad CRC, or a text chunk that does not decode. */
        CORRUPT_FILE,
        /** The workflow uses node classes the server does not have; {@link #names()} lists them. */
        MISSING_NODE_TYPES,
        /** The workflow uses something the converter does not handle (group nodes); {@link #names()} lists them. */
        UNSUPPORTED,
        /** A UI workflow node cannot be converted: a widget value is missing or of the wrong type, a link is broken. */
        CONVERSION,
        /** Reading the source failed. */
        IO
    }

    private final Kind kind;
    private final String source;
    private final String nodeId;
    private final String widget;
    private final List<String> names;

    public WorkflowException(Kind kind, String source, String message) {
        this(kind, source, message, null, null, List.of(), null);
    }

    public WorkflowException(Kind kind, String source, String message, Throwable cause) {
        this(kind, source, message, null, null, List.of(), cause);
    }

    /**
     * @param kind    the kind
     * @param source  names the input (a file name, "clipboard")
     * @param message what was wrong, without the source (it is prefixed)
     * @param nodeId  the node at fault, or {@code null}
     * @param widget  the widget or input at fault, or {@code null}
     * @param names   the node classes at fault for {@link Kind#MISSING_NODE_TYPES} and {@link Kind#UNSUPPORTED}
     * @param cause   the underlying exception, or {@code null}
     */
    public WorkflowException(Kind kind, String source, String message, String nodeId, String widget, List<String> names,
            Throwable cause) {
        super(source + ": " + message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.source = source;
        this.nodeId = nodeId;
        this.widget = widget;
        this.names = List.copyOf(names);
    }

    public Kind kind() {
        return kind;
    }

    /** The source as the caller named it. */
    public String source() {
        return source;
    }

    /** The UI node at fault, if one is. */
    public Optional<String> nodeId() {
        return Optional.ofNullable(nodeId);
    }

    /** The widget (or input) at fault, if one is. */
    public Optional<String> widget() {
        return Optional.ofNullable(widget);
    }

    /** The node classes at fault (missing or unsupported), in first-use order. */
    public List<String> names() {
        return names;
    }
}
