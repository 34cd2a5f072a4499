package comfy.workbench.manager.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.ReferenceDTO;
import org.osgi.service.component.runtime.dto.SatisfiedReferenceDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

import comfy.workbench.manager.api.ComponentInfo;
import comfy.workbench.manager.api.ComponentState;
import comfy.workbench.manager.api.ReferenceInfo;

/** Reads the components' states from {@link ServiceComponentRuntime} into {@link ComponentInfo} values. */
final class ComponentInspector {

    private static final Comparator<ComponentInfo> ORDER = Comparator.comparing(ComponentInfo::bundle)
            .thenComparing(ComponentInfo::name).thenComparingLong(ComponentInfo::configurationId);

    private final ServiceComponentRuntime scr;

    ComponentInspector(ServiceComponentRuntime scr) {
        this.scr = scr;
    }

    List<ComponentInfo> all() {
        List<ComponentInfo> result = new ArrayList<>();
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
            result.addAll(describe(d));
        }
        result.sort(ORDER);
        return result;
    }

    List<ComponentInfo> describe(ComponentDescriptionDTO d) {
        String bundle = d.bundle.symbolicName;
        List<String> services = d.serviceInterfaces == null ? List.of() : Arrays.asList(d.serviceInterfaces);
        if (!scr.isComponentEnabled(d)) {
            return List.of(new ComponentInfo(d.name, bundle, services, ComponentState.DISABLED, List.of(), "",
                    references(d, null), -1));
        }
        var configurations = configurations(scr, d);
        if (configurations.isEmpty()) {
            // enabled, yet no configuration: it requires one that is not there
            return List.of(new ComponentInfo(d.name, bundle, services, ComponentState.UNSATISFIED_CONFIGURATION,
                    List.of(), "", references(d, null), -1));
        }
        List<ComponentInfo> result = new ArrayList<>();
        for (ComponentConfigurationDTO c : configurations) {
            Map<String, ReferenceDTO> byName = Arrays.stream(d.references)
                    .collect(Collectors.toMap(r -> r.name, r -> r, (a, b) -> a));
            List<String> missing = c.unsatisfiedReferences == null ? List.of()
                    : Arrays.stream(c.unsatisfiedReferences)
                            .map(u -> u.name + " (" + interfaceOf(byName.get(u.name), u) + ")").toList();
            result.add(new ComponentInfo(d.name, bundle, services, state(c.state), missing,
                    c.failure == null ? "" : c.failure, references(d, c), c.id));
        }
        return result;
    }

    /**
     * The component's configurations. Felix SCR (2.2.18) can throw a {@code NullPointerException} from this snapshot
     * while it reconfigures the component (seen in a test); the snapshot is then taken again, a few times.
     */
    static Collection<ComponentConfigurationDTO> configurations(ServiceComponentRuntime scr, ComponentDescriptionDTO d) {
        for (int tries = 1;; tries++) {
            try {
                return scr.getComponentConfigurationDTOs(d);
            } catch (RuntimeException e) {
                if (tries == 5) {
                    throw e;
                }
                Thread.yield();
            }
        }
    }

    private static String interfaceOf(ReferenceDTO reference, UnsatisfiedReferenceDTO unsatisfied) {
        if (reference != null) {
            return reference.interfaceName;
        }
        return unsatisfied.target == null ? "?" : unsatisfied.target;
    }

    private static List<ReferenceInfo> references(ComponentDescriptionDTO d, ComponentConfigurationDTO c) {
        Map<String, Integer> bound = new HashMap<>();
        Set<String> unsatisfied = Set.of();
        if (c != null) {
            for (SatisfiedReferenceDTO s : c.satisfiedReferences) {
                bound.put(s.name, s.boundServices == null ? 0 : s.boundServices.length);
            }
            unsatisfied = Arrays.stream(c.unsatisfiedReferences).map(u -> u.name).collect(Collectors.toSet());
        }
        List<ReferenceInfo> result = new ArrayList<>();
        for (ReferenceDTO r : d.references) {
            result.add(new ReferenceInfo(r.name, r.interfaceName, r.cardinality, r.target, bound.getOrDefault(r.name, 0),
                    c != null && !unsatisfied.contains(r.name)));
        }
        return result;
    }

    private static ComponentState state(int state) {
        return switch (state) {
        case ComponentConfigurationDTO.ACTIVE -> ComponentState.ACTIVE;
        case ComponentConfigurationDTO.SATISFIED -> ComponentState.SATISFIED;
        case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION -> ComponentState.UNSATISFIED_CONFIGURATION;
        case ComponentConfigurationDTO.UNSATISFIED_REFERENCE -> ComponentState.UNSATISFIED_REFERENCE;
        case ComponentConfigurationDTO.FAILED_ACTIVATION -> ComponentState.FAILED;
        default -> ComponentState.FAILED;
        };
    }
}
