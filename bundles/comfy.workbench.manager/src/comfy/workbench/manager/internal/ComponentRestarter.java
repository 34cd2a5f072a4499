package comfy.workbench.manager.internal;

import java.io.IOException;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.util.promise.Promise;

/**
 * Restarts a Declarative Services component, through its configuration where it can: with Configuration Admin present,
 * a component that takes a configuration and has no {@code modified} method is deactivated and activated anew by SCR
 * when its configuration changes, here by a restart counter ({@value #GENERATION}) beside its own values. That way the
 * component comes back even if the restart is cut short; disabling and enabling it — for the other components — leaves
 * it disabled until its bundle restarts if the enable never comes.
 */
final class ComponentRestarter {

    /** The configuration property whose change restarts a component. */
    static final String GENERATION = "comfy.workbench.restart";
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final ServiceComponentRuntime scr;
    private final Supplier<ConfigurationAdmin> configurationAdmin;

    ComponentRestarter(ServiceComponentRuntime scr, Supplier<ConfigurationAdmin> configurationAdmin) {
        this.scr = scr;
        this.configurationAdmin = configurationAdmin;
    }

    /**
     * Restarts the component and waits, {@code stepNanos} at most for each step, for it to be back; the caller reads
     * its state afterwards.
     *
     * @return how: {@code "through its configuration"}, {@code "disabled and enabled"} or {@code "enabled"}
     * @throws IOException when Configuration Admin cannot store the configuration
     */
    String restart(ComponentDescriptionDTO component, long stepNanos) throws IOException {
        if (!scr.isComponentEnabled(component)) {
            await(scr.enableComponent(component), System.nanoTime() + stepNanos);
            return "enabled";
        }
        ConfigurationAdmin admin = configurationAdmin.get();
        // a component that is not up (unsatisfied, failed) is started afresh by SCR when it is enabled again, which
        // also answers at once when it stays unsatisfied, where waiting for it through its configuration would not
        boolean up = ComponentInspector.configurations(scr, component).stream().anyMatch(c -> up(component, c));
        if (admin != null && up && takesConfiguration(component)) {
            restartThroughConfiguration(admin, component, System.nanoTime() + stepNanos);
            return "through its configuration";
        }
        await(scr.disableComponent(component), System.nanoTime() + stepNanos);
        await(scr.enableComponent(component), System.nanoTime() + stepNanos);
        return "disabled and enabled";
    }

    private static boolean takesConfiguration(ComponentDescriptionDTO c) {
        return !"ignore".equals(c.configurationPolicy) && c.modified == null && c.configurationPid.length == 1
                && c.factory == null;
    }

    private void restartThroughConfiguration(ConfigurationAdmin admin, ComponentDescriptionDTO component,
            long endNanos) throws IOException {
        Configuration configuration = admin.getConfiguration(component.configurationPid[0], "?");
        Dictionary<String, Object> properties = configuration.getProperties();
        if (properties == null) {
            properties = new Hashtable<>();
        }
        long generation = (properties.get(GENERATION) instanceof Number n ? n.longValue() : 0) + 1;
        properties.put(GENERATION, generation);
        configuration.update(properties);
        // SCR applies the change on its own thread: back when an instance carries the new counter
        while (!back(component, generation) && System.nanoTime() - endNanos < 0
                && !Thread.currentThread().isInterrupted()) {
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    private boolean back(ComponentDescriptionDTO component, long generation) {
        return ComponentInspector.configurations(scr, component).stream().anyMatch(c -> up(component, c)
                && c.properties.get(GENERATION) instanceof Number n && n.longValue() == generation);
    }

    /** Active; or satisfied, for a delayed component (nobody using it yet, it is as up as an active one). */
    private static boolean up(ComponentDescriptionDTO component, ComponentConfigurationDTO c) {
        return c.state == ComponentConfigurationDTO.ACTIVE
                || (!component.immediate && c.state == ComponentConfigurationDTO.SATISFIED);
    }

    /** Waits for an SCR operation until {@code endNanos} at most; whether it completed in time. */
    static boolean await(Promise<Void> promise, long endNanos) {
        CountDownLatch done = new CountDownLatch(1);
        promise.onResolve(done::countDown);
        try {
            return done.await(Math.max(0, endNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
