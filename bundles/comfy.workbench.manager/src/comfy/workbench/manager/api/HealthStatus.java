package comfy.workbench.manager.api;

/** How healthy something is, from best to worst. */
public enum HealthStatus {
    /** Working as it should. */
    OK,
    /** Working, but something needs attention. */
    WARN,
    /** Not working. */
    CRITICAL;

    /** The worse of the two. */
    public HealthStatus worst(HealthStatus other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
