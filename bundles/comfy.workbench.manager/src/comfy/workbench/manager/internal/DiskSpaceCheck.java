package comfy.workbench.manager.internal;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import comfy.workbench.connection.api.DataLocation;
import comfy.workbench.manager.api.HealthCheck;
import comfy.workbench.manager.api.HealthResult;

/** Free space on the file system of the data folder (job store, workflows, cache, outputs). */
@Component(service = HealthCheck.class, configurationPid = DiskSpaceCheck.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, property = { HealthCheck.NAME + "=disk space",
                HealthCheck.TAGS + "=storage", HealthCheck.INTERVAL + ":Long=60000" })
@Designate(ocd = DiskSpaceCheck.Config.class)
public final class DiskSpaceCheck implements HealthCheck {

    static final String PID = "comfy.workbench.manager.disk";
    private static final long MIB = 1024L * 1024;

    /** Configuration of the disk-space check. */
    @ObjectClassDefinition(name = "Comfy Workbench disk space check")
    public @interface Config {
        @AttributeDefinition(name = "Warn below (MiB)")
        long warnBelowMiB() default 1024;

        @AttributeDefinition(name = "Critical below (MiB)")
        long criticalBelowMiB() default 100;
    }

    private final Path root;
    private final long warnBelow;
    private final long criticalBelow;

    @Activate
    public DiskSpaceCheck(@Reference DataLocation data, Config config) {
        if (config.criticalBelowMiB() < 0 || config.warnBelowMiB() < config.criticalBelowMiB()) {
            throw new IllegalArgumentException("need 0 <= criticalBelowMiB <= warnBelowMiB, not "
                    + config.criticalBelowMiB() + " and " + config.warnBelowMiB());
        }
        this.root = data.root();
        this.warnBelow = config.warnBelowMiB() * MIB;
        this.criticalBelow = config.criticalBelowMiB() * MIB;
    }

    @Override
    public HealthResult check() {
        long free;
        try {
            Path existing = root;
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
            }
            FileStore store = Files.getFileStore(existing == null ? root : existing);
            free = store.getUsableSpace();
        } catch (IOException e) {
            return HealthResult.critical("cannot read the free space of " + root + ": " + e.getMessage());
        }
        String message = (free / MIB) + " MiB free for " + root;
        if (free < criticalBelow) {
            return HealthResult.critical(message + "; jobs and outputs can no longer be saved: free some space");
        }
        if (free < warnBelow) {
            return HealthResult.warn(message + "; free some space (outputs, cache) before it runs out");
        }
        return HealthResult.ok(message);
    }
}
