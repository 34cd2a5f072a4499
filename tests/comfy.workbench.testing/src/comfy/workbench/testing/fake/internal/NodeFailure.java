package comfy.workbench.testing.fake.internal;

/** A node raising at run time: becomes an {@code execution_error} with these Python exception type and message. */
public final class NodeFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String exceptionType;

    public NodeFailure(String exceptionType, String message) {
        super(message, null, false, false);
        this.exceptionType = exceptionType;
    }

    public String exceptionType() {
        return exceptionType;
    }
}
