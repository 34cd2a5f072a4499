package comfy.workbench.example.renderlog;

import java.nio.file.Files;
import java.nio.file.Path;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import comfy.workbench.manager.api.HealthCheck;
import comfy.workbench.manager.api.HealthResult;

/** Health check "render log": the log's folder takes lines, and the last line was written. */
@Component(property = { HealthCheck.NAME + "=render log", HealthCheck.TAGS + "=storage",
        HealthCheck.INTERVAL + ":Long=60000" })
public final class RenderLogCheck implements HealthCheck {

    private final JsonLinesRenderLog log;

    @Activate
    public RenderLogCheck(@Reference JsonLinesRenderLog log) {
        this.log = log;
    }

    @Override
    public HealthResult check() {
        if (log.problem().isPresent()) {
            return HealthResult.critical(log.problem().get() + " (check free space and permissions)");
        }
        Path folder = log.file().getParent();
        if (!Files.isDirectory(folder) || !Files.isWritable(folder)) {
            return HealthResult.critical("the render log's folder " + folder + " is missing or read-only");
        }
        return HealthResult.ok(log.written() + " jobs logged since start to " + log.file());
    }
}
