package comfy.workbench.extensions.api;

/** What became of a jar in the extensions folder. */
public enum ExtensionState {
    /** Installed and started. */
    ACTIVE,
    /** Installed and started with a lazy activation policy: its activator runs when one of its classes is first used. */
    LAZY,
    /** Installed and marked to start; the platform starts it when it reaches the extensions' start level. */
    WAITING,
    /** Installed, but it does not resolve: a requirement nobody provides (the problem names it). */
    UNRESOLVED,
    /**
     * For the workbench: installed, not started in this framework because what it lacks is only the workbench's UI
     * (SWT, JFace, e4, …), which the command line does not run. Not a problem; the workbench starts it.
     *
     * @since 0.2.0
     */
    WORKBENCH_ONLY,
    /** Installed and resolved, but its start failed (its activator threw; the problem says why). */
    FAILED,
    /** Installed and resolved, not running, without a known failure: someone stopped it. */
    STOPPED,
    /** Not installed: not a bundle, a fragment, or a bundle the framework already has (the problem says which). */
    REJECTED
}
