package comfy.workbench.model.api;

/**
 * The section of a node's {@code input} object an input is declared in. Required inputs must be given
 * (as a value or a link), optional ones may be, and hidden ones are filled in by the server itself
 * ({@code PROMPT}, {@code EXTRA_PNGINFO}, {@code UNIQUE_ID}, …) and never appear in a prompt.
 */
public enum InputSection {
    REQUIRED("required"), OPTIONAL("optional"), HIDDEN("hidden");

    private final String key;

    InputSection(String key) {
        this.key = key;
    }

    /** The key of this section in {@code input} and {@code input_order}. */
    public String key() {
        return key;
    }
}
