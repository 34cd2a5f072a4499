package comfy.workbench.example.renderlog.api;

import java.io.IOException;
import java.nio.file.Path;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The render log: a line per job of the client-side queue that ended (succeeded, failed or cancelled), appended as it
 * ends. A service of the example extension; use it, do not implement it. Thread-safe.
 */
@ProviderType
public interface RenderLog {

    /** The log file ({@code <data>/render-log/jobs.jsonl}); it exists once a line was written. */
    Path file();

    /**
     * Reads the newest lines of the file, newest first. A line that is not one of the log's (not JSON, a field missing
     * or of the wrong kind) is skipped and counted; the last line, when it has no line break yet, is being written and
     * is left for the next read. Reads the file's end only: costs the same however long the log has grown.
     *
     * @param newest how many lines at most (the malformed ones among them included)
     * @throws IOException when the file exists but cannot be read
     */
    RenderLogTail tail(int newest) throws IOException;
}
