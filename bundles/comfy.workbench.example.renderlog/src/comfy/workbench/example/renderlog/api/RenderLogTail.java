package comfy.workbench.example.renderlog.api;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The newest lines of the render log as read at one moment.
 *
 * @param file        the log file
 * @param exists      whether the file exists (it does once a job ended); when not, there are no lines
 * @param newestFirst the lines read, newest first
 * @param malformed   how many lines among those read were not the log's and were skipped
 */
public record RenderLogTail(Path file, boolean exists, List<RenderLogLine> newestFirst, int malformed) {

    public RenderLogTail {
        Objects.requireNonNull(file, "file");
        newestFirst = List.copyOf(newestFirst);
    }
}
