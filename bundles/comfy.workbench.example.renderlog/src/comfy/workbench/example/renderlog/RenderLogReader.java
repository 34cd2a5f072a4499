package comfy.workbench.example.renderlog;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import comfy.workbench.example.renderlog.api.RenderLogLine;
import comfy.workbench.example.renderlog.api.RenderLogTail;

/**
 * Reads the newest lines of the render log from the file's end, backwards a block at a time, so that a log of years
 * costs no more to show than one of a day. A line that is not the log's is skipped and counted, never thrown.
 */
final class RenderLogReader {

    private static final int BLOCK = 64 * 1024;

    private RenderLogReader() {
    }

    static RenderLogTail tail(Path file, int newest) throws IOException {
        if (newest < 1) {
            throw new IllegalArgumentException("newest must be at least 1: " + newest);
        }
        List<String> raw;
        try {
            raw = lastLines(file, newest);
        } catch (NoSuchFileException e) {
            return new RenderLogTail(file, false, List.of(), 0);
        }
        List<RenderLogLine> lines = new ArrayList<>();
        int malformed = 0;
        for (String text : raw) {
            RenderLogLine line = parse(text);
            if (line == null) {
                malformed++;
            } else {
                lines.add(line);
            }
        }
        return new RenderLogTail(file, true, lines, malformed);
    }

    /** Up to {@code max} complete, non-blank lines from the end of the file, newest first. */
    private static List<String> lastLines(Path file, int max) throws IOException {
        List<String> lines = new ArrayList<>();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long end = channel.size();
            // the bytes after the last line break are a line still being appended: left for the next read
            ByteArrayOutputStream partial = null;
            ByteArrayOutputStream current = new ByteArrayOutputStream();
            long position = end;
            ByteBuffer buffer = ByteBuffer.allocate(BLOCK);
            while (position > 0 && lines.size() < max) {
                int length = (int) Math.min(BLOCK, position);
                position -= length;
                buffer.clear().limit(length);
                while (buffer.hasRemaining() && channel.read(buffer, position + buffer.position()) >= 0) {
                    // read the whole block
                }
                byte[] block = buffer.array();
                for (int i = length - 1; i >= 0 && lines.size() < max; i--) {
                    if (block[i] == '\n') {
                        if (partial == null) {
                            partial = current; // what followed the last line break
                        } else {
                            add(lines, current);
                        }
                        current = new ByteArrayOutputStream();
                    } else {
                        current.write(block[i]);
                    }
                }
            }
            if (position == 0 && partial != null && lines.size() < max) {
                add(lines, current); // the first line of the file
            }
        }
        return lines;
    }

    /** Adds a line gathered backwards, unless it is blank. */
    private static void add(List<String> lines, ByteArrayOutputStream reversed) {
        byte[] bytes = reversed.toByteArray();
        for (int i = 0, j = bytes.length - 1; i < j; i++, j--) {
            byte b = bytes[i];
            bytes[i] = bytes[j];
            bytes[j] = b;
        }
        String line = new String(bytes, StandardCharsets.UTF_8).strip();
        if (!line.isEmpty()) {
            lines.add(line);
        }
    }

    /** The line as the log wrote it ({@link JsonLinesRenderLog#line}), or null when it is not one. */
    static RenderLogLine parse(String text) {
        try {
            JsonObject o = JsonParser.parseString(text).getAsJsonObject();
            List<String> tags = new ArrayList<>();
            for (JsonElement t : array(o, "tags")) {
                tags.add(t.getAsString());
            }
            List<Path> outputs = new ArrayList<>();
            for (JsonElement p : array(o, "outputs")) {
                outputs.add(Path.of(p.getAsString()));
            }
            return new RenderLogLine(Instant.parse(o.get("ended").getAsString()), o.get("job").getAsString(),
                    string(o, "name"), o.get("state").getAsString(), string(o, "server"),
                    o.has("attempts") ? o.get("attempts").getAsInt() : 0, string(o, "batch"), tags,
                    o.has("secondsSinceSubmitted") ? o.get("secondsSinceSubmitted").getAsDouble() : 0,
                    string(o, "error"), outputs);
        } catch (RuntimeException e) {
            // not JSON, not an object, a field missing (get(..) is null) or of another kind, a bad time or path
            return null;
        }
    }

    private static String string(JsonObject o, String field) {
        JsonElement e = o.get(field);
        return e == null || e.isJsonNull() ? "" : e.getAsString();
    }

    private static JsonArray array(JsonObject o, String field) {
        JsonElement e = o.get(field);
        return e == null || e.isJsonNull() ? new JsonArray() : e.getAsJsonArray();
    }
}
