package comfy.workbench.manager.api;

import java.util.Objects;

/**
 * A reference of a component to the services it uses.
 *
 * @param name        the reference's name
 * @param service     the service interface
 * @param cardinality {@code 0..1}, {@code 1..1}, {@code 0..n} or {@code 1..n}
 * @param target      the target filter, or an empty string
 * @param bound       how many services are bound now
 * @param satisfied   whether the reference is satisfied
 */
public record ReferenceInfo(String name, String service, String cardinality, String target, int bound,
        boolean satisfied) {

    public ReferenceInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(cardinality, "cardinality");
        target = target == null ? "" : target;
    }
}
