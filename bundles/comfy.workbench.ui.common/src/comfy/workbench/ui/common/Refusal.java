package comfy.workbench.ui.common;

/**
 * Why a view did not do what it was asked, in words for the user; nothing was changed when one is thrown.
 * {@link ViewActions} shows it as {@code "Title: why"}.
 *
 * @since 0.2.0
 */
public final class Refusal extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Refusal(String message) {
        super(message);
    }
}
