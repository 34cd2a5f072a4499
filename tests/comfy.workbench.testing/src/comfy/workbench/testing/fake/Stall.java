package comfy.workbench.testing.fake;

/** A running stall of matching routes; {@link #release()} lets every held and future request through. */
public interface Stall extends AutoCloseable {

    /** Releases held requests and removes the stall. */
    void release();

    @Override
    default void close() {
        release();
    }
}
