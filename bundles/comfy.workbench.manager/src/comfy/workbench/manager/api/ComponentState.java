package comfy.workbench.manager.api;

/** The state of a Declarative Services component, as its users need to know it. */
public enum ComponentState {
    /** Activated: its service (if any) is in use or it is immediate. */
    ACTIVE,
    /** Satisfied and registered, but not activated yet (a delayed component nobody has used). */
    SATISFIED,
    /** Waiting for a configuration it requires. */
    UNSATISFIED_CONFIGURATION,
    /** Waiting for a service it requires: see {@link ComponentInfo#missingReferences()}. */
    UNSATISFIED_REFERENCE,
    /** Its activation threw: see {@link ComponentInfo#failure()}. */
    FAILED,
    /** Disabled (by its description or by the manager). */
    DISABLED
}
