package comfy.workbench.manager.api;

import java.util.List;
import java.util.Objects;

/**
 * A Declarative Services component and its state. A component with several configurations (a factory configuration,
 * several servers) appears once per configuration.
 *
 * @param name              the component's name
 * @param bundle            the symbolic name of the bundle that declares it
 * @param services          the service interfaces it provides
 * @param state             its state
 * @param missingReferences names and services of the references that are not satisfied ({@code name (service)}),
 *                          empty unless {@link ComponentState#UNSATISFIED_REFERENCE}
 * @param failure           why activation failed, or an empty string
 * @param references        every reference it has
 * @param configurationId   the id of this configuration, or -1 when it has none (disabled)
 */
public record ComponentInfo(String name, String bundle, List<String> services, ComponentState state,
        List<String> missingReferences, String failure, List<ReferenceInfo> references, long configurationId) {

    public ComponentInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(bundle, "bundle");
        services = List.copyOf(services);
        Objects.requireNonNull(state, "state");
        missingReferences = List.copyOf(missingReferences);
        failure = failure == null ? "" : failure;
        references = List.copyOf(references);
    }
}
