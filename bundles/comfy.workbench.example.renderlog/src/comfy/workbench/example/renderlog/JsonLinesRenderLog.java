package comfy.workbench.example.renderlog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import comfy.workbench.connection.api.DataLocation;
import comfy.workbench.example.renderlog.api.RenderLog;
import comfy.workbench.example.renderlog.api.RenderLogTail;
import comfy.workbench.queue.api.Job;
import comfy.workbench.queue.api.JobEvent;
import comfy.workbench.queue.api.JobListener;

/**
 * A studio's render log: one JSON line per job that ended (succeeded, failed or cancelled) in
 * {@code <data>/render-log/jobs.jsonl} — when, what, where, how long, how often tried, why it failed, what it made —
 * for accounting and for finding a render again. Written on the queue's event thread, one short append per job; read
 * by others through {@link RenderLog} (the Render Log view).
 */
@Component(service = { JobListener.class, RenderLog.class, JsonLinesRenderLog.class })
public final class JsonLinesRenderLog implements JobListener, RenderLog {

    static final String AREA = "render-log";
    static final String FILE = "jobs.jsonl";
    private static final Logger LOG = LoggerFactory.getLogger(JsonLinesRenderLog.class);

    private final Path file;
    private long written;
    private String problem;

    @Activate
    public JsonLinesRenderLog(@Reference DataLocation data) throws IOException {
        this.file = data.area(AREA).resolve(FILE);
    }

    @Override
    public void jobChanged(JobEvent event) {
        Job job = event.job();
        // the error of a job can change without its state (a download retried): one line per ending only
        if (!job.state().terminal() || event.previous() == job.state()) {
            return;
        }
        append(line(job));
    }

    static JsonObject line(Job job) {
        JsonObject line = new JsonObject();
        line.addProperty("ended", job.updated().toString());
        line.addProperty("job", job.id());
        line.addProperty("name", job.request().name());
        line.addProperty("state", job.state().name());
        line.addProperty("server", job.serverId());
        line.addProperty("attempts", job.attempts());
        line.addProperty("batch", job.batchId());
        JsonArray tags = new JsonArray();
        job.request().tags().stream().sorted().forEach(tags::add);
        line.add("tags", tags);
        line.addProperty("secondsSinceSubmitted", Duration.between(job.created(), job.updated()).toMillis() / 1000.0);
        if (job.error() != null) {
            line.addProperty("error", job.error().message());
        }
        JsonArray outputs = new JsonArray();
        job.outputs().forEach(p -> outputs.add(p.toString()));
        line.add("outputs", outputs);
        return line;
    }

    private synchronized void append(JsonObject line) {
        try {
            Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.WRITE);
            written++;
            problem = null;
        } catch (IOException e) {
            problem = "cannot append to " + file + ": " + e;
            LOG.warn("render log: {}", problem);
        }
    }

    @Override
    public Path file() {
        return file;
    }

    @Override
    public RenderLogTail tail(int newest) throws IOException {
        return RenderLogReader.tail(file, newest);
    }

    /** Lines written since this component started. */
    public synchronized long written() {
        return written;
    }

    /** Why the last line could not be written; empty when it was. */
    public synchronized Optional<String> problem() {
        return Optional.ofNullable(problem);
    }
}
