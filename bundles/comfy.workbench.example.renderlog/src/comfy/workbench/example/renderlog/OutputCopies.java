package comfy.workbench.example.renderlog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import comfy.workbench.queue.api.Job;
import comfy.workbench.queue.api.OutputHandler;

/**
 * Copies every output of a succeeded job to a studio's share, {@code <folder>/<batch or day>/<job id>-<file>}, where
 * the rest of the pipeline picks it up; the queue's own copy stays where the job's record says. Runs only when
 * configured: {@code <data>/config/comfy.workbench.example.copies.json} with {@code {"folder": "/mnt/renders"}}.
 */
@Component(configurationPid = OutputCopies.PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = OutputCopies.Config.class)
public final class OutputCopies implements OutputHandler {

    static final String PID = "comfy.workbench.example.copies";
    private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

    /** Where the copies go. */
    @ObjectClassDefinition(name = "Example: copies of outputs")
    public @interface Config {
        @AttributeDefinition(name = "Folder", description = "The share the outputs are copied to")
        String folder();
    }

    private final Path folder;

    @Activate
    public OutputCopies(Config config) {
        if (config.folder() == null || config.folder().isBlank()) {
            throw new IllegalArgumentException(PID + ": folder is required (the share to copy outputs to)");
        }
        this.folder = Path.of(config.folder()).toAbsolutePath();
    }

    @Override
    public void outputsReady(Job job, List<Path> files) throws IOException {
        if (files.isEmpty()) {
            return;
        }
        Path target = Files.createDirectories(folder.resolve(job.batchId() != null ? job.batchId()
                : DAY.format(job.updated())));
        for (Path file : files) {
            // copied under a temporary name and renamed, so that the pipeline never picks up half a file
            Path copy = target.resolve(job.id() + "-" + file.getFileName());
            Path partial = target.resolve("." + copy.getFileName() + ".part");
            Files.copy(file, partial, StandardCopyOption.REPLACE_EXISTING);
            Files.move(partial, copy, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /** The share. */
    public Path folder() {
        return folder;
    }
}
