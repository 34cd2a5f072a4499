package comfy.workbench.model.api;

/**
 * What kind of value an input takes. The first five are widgets: a prompt gives them a literal (or,
 * when the input is converted to a socket, a link). {@link #LINK} inputs only take a link from another
 * node's output of the input's {@linkplain InputSpec#type() type} ({@code MODEL}, {@code IMAGE},
 * {@code *}, …); {@link #HIDDEN} inputs are supplied by the server.
 */
public enum InputKind {
    INT, FLOAT, STRING, BOOLEAN,
    /** A choice from a list: the legacy {@code [["a","b"], {…}]} form or {@code ["COMBO", {options: […]}]}. */
    COMBO,
    LINK, HIDDEN;

    /** Whether a prompt may give this input a literal value. */
    public boolean isWidget() {
        return this != LINK && this != HIDDEN;
    }
}
