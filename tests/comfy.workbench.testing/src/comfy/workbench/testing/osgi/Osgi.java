package comfy.workbench.testing.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Test helpers for talking to the running framework: services, configuration, component states. Tests wait on
 * conditions here, never on sleeps.
 */
public final class Osgi {

    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    private Osgi() {
    }

    /**
     * The Configuration Admin and Event Admin implementations have no lazy activation policy, and the test runtime
     * starts only the bundles it is told to; a product starts them through its start levels.
     */
    private static final List<String> SERVICE_BUNDLES = List.of("org.apache.felix.configadmin", "org.eclipse.equinox.event");

    public static BundleContext context() {
        BundleContext context = FrameworkUtil.getBundle(Osgi.class).getBundleContext();
        for (Bundle bundle : context.getBundles()) {
            if (SERVICE_BUNDLES.contains(bundle.getSymbolicName()) && bundle.getState() != Bundle.ACTIVE) {
                try {
                    bundle.start();
                } catch (org.osgi.framework.BundleException e) {
                    throw new AssertionError("cannot start " + bundle.getSymbolicName(), e);
                }
            }
        }
        return context;
    }

    /**
     * Starts the bundles of these symbolic names that are not active yet, transiently (the test runtime starts only
     * the bundles it is told to, and a view's tests need the services of several).
     */
    public static void start(String... symbolicNames) {
        List<String> names = List.of(symbolicNames);
        for (Bundle bundle : context().getBundles()) {
            if (names.contains(bundle.getSymbolicName()) && bundle.getState() != Bundle.ACTIVE) {
                try {
                    bundle.start(Bundle.START_TRANSIENT);
                } catch (org.osgi.framework.BundleException e) {
                    throw new AssertionError("cannot start " + bundle.getSymbolicName(), e);
                }
            }
        }
    }

    /** The service, waiting for it to appear. */
    public static <T> T service(Class<T> type) {
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context(), type, null);
        tracker.open();
        try {
            if (tracker.waitForService(TIMEOUT.toMillis()) == null) {
                fail("no " + type.getName() + " service within " + TIMEOUT);
            }
            // got outside the tracker and never released: closing the tracker would release a service factory's
            // (Configuration Admin's) instance while the test still uses it
            return context().getService(tracker.getServiceReference());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            tracker.close();
        }
    }

    /**
     * Polls the condition until it holds. A condition that throws counts as not yet holding (SCR's DTO snapshots can
     * throw while a component is reconfigured); the last exception is reported with a timeout.
     */
    public static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        RuntimeException last = null;
        while (true) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException e) {
                last = e;
            }
            if (System.nanoTime() > deadline) {
                AssertionError timedOut = new AssertionError("timed out after " + TIMEOUT + " waiting for " + what);
                if (last != null) {
                    timedOut.initCause(last);
                }
                throw timedOut;
            }
            try {
                // a condition poll, not a synchronisation sleep: the condition decides
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    public static ComponentDescriptionDTO component(String implementationClass) {
        ServiceComponentRuntime scr = service(ServiceComponentRuntime.class);
        // every bundle's components: the implementation class names the component well enough
        return scr.getComponentDescriptionDTOs().stream()
                .filter(d -> d.implementationClass.equals(implementationClass)).findFirst()
                .orElseThrow(() -> new AssertionError("no component " + implementationClass));
    }

    /** The active configuration of a component, waiting until there is exactly one and it is ACTIVE. */
    public static ComponentConfigurationDTO activeConfiguration(String implementationClass) {
        ServiceComponentRuntime scr = service(ServiceComponentRuntime.class);
        ComponentConfigurationDTO[] found = new ComponentConfigurationDTO[1];
        await(implementationClass + " ACTIVE", () -> {
            var configs = scr.getComponentConfigurationDTOs(component(implementationClass));
            if (configs.size() == 1 && configs.iterator().next().state == ComponentConfigurationDTO.ACTIVE) {
                found[0] = configs.iterator().next();
                return true;
            }
            return false;
        });
        return found[0];
    }

    /** Disables and enables a component, waiting for each step: a component restart. */
    public static void restart(String implementationClass) throws Exception {
        ServiceComponentRuntime scr = service(ServiceComponentRuntime.class);
        ComponentDescriptionDTO description = component(implementationClass);
        scr.disableComponent(description).getValue();
        assertEquals(0, scr.getComponentConfigurationDTOs(component(implementationClass)).size());
        scr.enableComponent(component(implementationClass)).getValue();
        activeConfiguration(implementationClass);
    }

    /**
     * Sets a component's configuration and waits until its active configuration carries the given values
     * (the component has been reconfigured or re-activated).
     */
    public static void configure(String pid, String implementationClass, Map<String, Object> values) throws Exception {
        ConfigurationAdmin admin = service(ConfigurationAdmin.class);
        Configuration configuration = admin.getConfiguration(pid, "?");
        Dictionary<String, Object> properties = new Hashtable<>(values);
        configuration.update(properties);
        await(pid + " configured with " + values, () -> {
            ServiceComponentRuntime scr = service(ServiceComponentRuntime.class);
            var configs = scr.getComponentConfigurationDTOs(component(implementationClass));
            // a delayed component nobody uses yet is SATISFIED, which is as configured as ACTIVE
            return configs.size() == 1 && (configs.iterator().next().state == ComponentConfigurationDTO.ACTIVE
                    || configs.iterator().next().state == ComponentConfigurationDTO.SATISFIED)
                    && values.entrySet().stream().allMatch(e -> Objects.equals(
                            String.valueOf(configs.iterator().next().properties.get(e.getKey())),
                            String.valueOf(e.getValue())))
                    && servicesCarry(configs.iterator().next().description.name, values);
        });
    }

    /*
     * SCR reports the new configuration before it has replaced the component's service: until then a test looking
     * the service up could get the old instance, which is about to be deactivated.
     */
    private static boolean servicesCarry(String componentName, Map<String, Object> values) {
        try {
            ServiceReference<?>[] references = context().getServiceReferences((String) null, "(component.name=" + componentName + ")");
            if (references == null) {
                return true; // a component without a service
            }
            for (ServiceReference<?> reference : references) {
                for (Map.Entry<String, Object> e : values.entrySet()) {
                    if (!String.valueOf(reference.getProperty(e.getKey())).equals(String.valueOf(e.getValue()))) {
                        return false;
                    }
                }
            }
            return true;
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
