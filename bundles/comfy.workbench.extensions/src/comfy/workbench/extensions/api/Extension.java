package comfy.workbench.extensions.api;

import java.util.Objects;

/**
 * One jar of the extensions folder and what became of it.
 *
 * @param file         the jar's file name in the folder
 * @param symbolicName its {@code Bundle-SymbolicName} (without directives), or empty when it has none
 * @param version      its {@code Bundle-Version}, or empty when it is not a bundle
 * @param state        what became of it
 * @param problem      what is wrong, in words a user can act on; empty when nothing is
 * @param bundleId     the framework's id of the bundle installed from it, or -1 when none was
 */
public record Extension(String file, String symbolicName, String version, ExtensionState state, String problem,
        long bundleId) {

    public Extension {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(state, "state");
        symbolicName = symbolicName == null ? "" : symbolicName;
        version = version == null ? "" : version;
        problem = problem == null ? "" : problem;
    }

    /** Whether it runs as it should: active, or started and waiting for its lazy activation or its start level. */
    public boolean running() {
        return state == ExtensionState.ACTIVE || state == ExtensionState.LAZY || state == ExtensionState.WAITING;
    }
}
