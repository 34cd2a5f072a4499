package comfy.workbench.extensions.tests.samples;

/**
 * An extension's Declarative Services component that fails to activate, as one does whose configuration is wrong:
 * its bundle is active, yet it does nothing.
 */
public final class ThrowingComponent {

    /** Called by Service Component Runtime. */
    public void activate() {
        throw new IllegalStateException("the sample component's share is not mounted");
    }
}
