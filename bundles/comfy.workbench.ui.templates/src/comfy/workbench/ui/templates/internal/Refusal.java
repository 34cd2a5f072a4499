package comfy.workbench.ui.templates.internal;

/** Why the view did not do what it was asked, in words for the user; nothing was changed when one is thrown. */
final class Refusal extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Refusal(String message) {
        super(message);
    }
}
