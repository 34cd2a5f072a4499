package comfy.workbench.queue.api;

import java.nio.file.Path;
import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard service: called with the files of every job that succeeded, after they are on disk and the job is
 * SUCCEEDED. An exception is logged and does not change the job.
 */
@ConsumerType
@FunctionalInterface
public interface OutputHandler {

    void outputsReady(Job job, List<Path> files) throws Exception;
}
