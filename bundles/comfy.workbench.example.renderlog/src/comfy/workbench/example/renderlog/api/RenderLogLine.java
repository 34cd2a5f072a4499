package comfy.workbench.example.renderlog.api;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One line of the render log: a job that ended.
 *
 * @param ended   when it ended
 * @param job     the job's id
 * @param name    its name; empty when it had none
 * @param state   how it ended: {@code SUCCEEDED}, {@code FAILED} or {@code CANCELLED}
 * @param server  the server it ran on; empty when it never reached one
 * @param attempts how often it was sent
 * @param batch   its batch; empty when none
 * @param tags    its tags, sorted
 * @param seconds seconds from its submission to its end
 * @param error   why it failed; empty when it did not
 * @param outputs the files it made
 */
public record RenderLogLine(Instant ended, String job, String name, String state, String server, int attempts,
        String batch, List<String> tags, double seconds, String error, List<Path> outputs) {

    public RenderLogLine {
        Objects.requireNonNull(ended, "ended");
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(state, "state");
        name = name == null ? "" : name;
        server = server == null ? "" : server;
        batch = batch == null ? "" : batch;
        error = error == null ? "" : error;
        tags = tags == null ? List.of() : List.copyOf(tags);
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
    }

    /** The folder of its outputs (of the first, when they are in several), if it made any. */
    public Optional<Path> outputFolder() {
        return outputs.isEmpty() ? Optional.empty() : Optional.ofNullable(outputs.get(0).getParent());
    }
}
