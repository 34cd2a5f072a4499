package comfy.workbench.testing.captures;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The genuine ComfyUI 0.3.64 transcripts in {@code ../shared/comfyui-captures} (beside the project's root).
 * Tests and benchmarks read them from there when it is there, so that a new capture is picked up everywhere;
 * a clone elsewhere uses the copy in the repository ({@code tests/comfy.workbench.testing/captures}). The folder
 * is found from the system property {@code comfy.captures}, else by walking up from the working directory to a
 * folder that has {@code shared/comfyui-captures} beside it, else to the repository's copy.
 */
public final class Captures {

    /** The system property naming the captures folder. */
    public static final String PROPERTY = "comfy.captures";

    private final Path dir;

    private Captures(Path dir) {
        this.dir = dir;
    }

    /** Locates the captures folder or fails naming where it looked. */
    public static Captures locate() {
        String configured = System.getProperty(PROPERTY);
        if (configured != null && Files.isDirectory(Paths.get(configured))) {
            return new Captures(Paths.get(configured).toAbsolutePath().normalize());
        }
        Path start = Paths.get("").toAbsolutePath();
        for (String folder : new String[] { "shared/comfyui-captures", "tests/comfy.workbench.testing/captures" }) {
            for (Path p = start; p != null; p = p.getParent()) {
                Path candidate = p.resolve(folder);
                if (Files.isDirectory(candidate)) {
                    return new Captures(candidate.normalize());
                }
            }
        }
        throw new IllegalStateException("ComfyUI captures not found: -D" + PROPERTY + "=" + configured
                + " is not a folder and neither shared/comfyui-captures nor tests/comfy.workbench.testing/captures"
                + " is above " + start);
    }

    public Path dir() {
        return dir;
    }

    /** A file of the captures folder, e.g. {@code object_info.json} or {@code files/10_history_full.json}. */
    public Path file(String name) {
        Path file = dir.resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("capture file missing: " + file);
        }
        return file;
    }

    public String read(String name) {
        try {
            return Files.readString(file(name), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The transcript files ({@code NN_*.jsonl}), sorted by name. */
    public List<String> transcripts() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jsonl")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The records of one transcript, in order. */
    public List<JsonObject> records(String transcript) {
        List<JsonObject> records = new ArrayList<>();
        for (String line : read(transcript).split("\n")) {
            if (!line.isBlank()) {
                records.add(JsonParser.parseString(line).getAsJsonObject());
            }
        }
        return records;
    }

    /** The records of one transcript whose {@code kind} is the given one. */
    public List<JsonObject> records(String transcript, String kind) {
        return records(transcript).stream().filter(r -> kind.equals(r.get("kind").getAsString())).toList();
    }
}
