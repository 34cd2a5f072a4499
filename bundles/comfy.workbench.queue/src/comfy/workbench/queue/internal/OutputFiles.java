package comfy.workbench.queue.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import comfy.workbench.connection.api.ComfyClient;
import comfy.workbench.connection.api.ComfyException;
import comfy.workbench.connection.api.FileRef;
import comfy.workbench.connection.api.ViewRequest;

/**
 * Finds the files in a prompt's outputs and downloads them into a job's folder under names that are safe whatever
 * the server sent: the last path segment only, no control or reserved characters, no {@code .}/{@code ..}, at most
 * {@value #MAX_NAME} characters, and a fresh name instead of overwriting. The server's subfolder is kept below the
 * job's folder ({@code shots/sh010/beauty_00001_.png}, as ComfyUI writes it), its segments made safe the same way
 * (at most {@value #MAX_DEPTH}); files that are not of type {@code output} (a PreviewImage's {@code temp}) go below
 * a folder named after their type, apart from the outputs.
 */
final class OutputFiles {

    static final int MAX_NAME = 120;
    static final int MAX_DEPTH = 8;

    private OutputFiles() {
    }

    /** Every {@code {filename, subfolder, type}} object in the outputs (images, gifs, audio, video, …), in node order. */
    static List<FileRef> files(Map<String, JsonObject> outputs) {
        List<FileRef> files = new ArrayList<>();
        for (JsonObject output : outputs.values()) {
            for (Map.Entry<String, JsonElement> e : output.entrySet()) {
                if (!e.getValue().isJsonArray()) {
                    continue;
                }
                for (JsonElement item : e.getValue().getAsJsonArray()) {
                    if (item.isJsonObject() && item.getAsJsonObject().has("filename")
                            && item.getAsJsonObject().get("filename").isJsonPrimitive()) {
                        JsonObject o = item.getAsJsonObject();
                        String name = o.get("filename").getAsString();
                        if (!name.isEmpty()) {
                            files.add(new FileRef(name, text(o, "subfolder"), text(o, "type")));
                        }
                    }
                }
            }
        }
        return files;
    }

    private static String text(JsonObject o, String key) {
        return o.has(key) && o.get(key).isJsonPrimitive() ? o.get(key).getAsString() : "";
    }

    /**
     * Downloads every file of a run of a prompt ({@code run}: the prompt id and the attempt) into {@code folder}
     * (emptied first: a download interrupted by a crash is redone whole), each from {@code outputs} when it holds a
     * copy, else from the server (and then kept in {@code outputs}).
     *
     * @throws IOException      when the folder cannot be written
     * @throws ComfyException   when a download fails (the partial file is removed)
     */
    static List<Path> download(ComfyClient client, String server, String run, List<FileRef> files, Path folder,
            DownloadedOutputs outputs) throws IOException, ComfyException {
        try {
            createFolder(folder);
        } catch (FileAlreadyExistsException e) {
            clear(folder); // an earlier attempt's files
        }
        List<Path> saved = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        for (FileRef file : files) {
            Path into = folder.resolve(safeSubfolder(file));
            if (!into.equals(folder)) {
                Files.createDirectories(into);
            }
            Path target = into.resolve(freeName(folder.relativize(into), safeName(file.filename()), taken));
            Path partial = into.resolve("." + target.getFileName() + ".part");
            String key = DownloadedOutputs.key(server, run, file);
            boolean moved = false;
            try {
                boolean fetched = !outputs.copyTo(key, partial);
                if (fetched) {
                    try (OutputStream out = Files.newOutputStream(partial)) {
                        client.view(ViewRequest.of(file), out);
                    }
                }
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
                moved = true;
                if (fetched) {
                    outputs.keep(key, target);
                }
            } finally {
                if (!moved) {
                    Files.deleteIfExists(partial);
                }
            }
            saved.add(target);
        }
        return saved;
    }

    /** A new job's folder: one system call when its parent (the batch's or the day's) exists, as it mostly does. */
    private static void createFolder(Path folder) throws IOException {
        try {
            Files.createDirectory(folder);
        } catch (NoSuchFileException e) {
            Files.createDirectories(folder.getParent());
            Files.createDirectory(folder);
        }
    }

    private static void clear(Path folder) throws IOException {
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(folder)) {
            for (Path p : dir) {
                if (Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.delete(p);
                } else if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    clear(p); // an earlier attempt's subfolders (left in place, emptied)
                }
            }
        }
    }

    /**
     * Where below the job's folder a file goes: its type's folder unless it is an output, then the server's subfolder,
     * each segment made safe; {@code ..}, {@code .} and empty segments are dropped, so nothing climbs out.
     */
    static Path safeSubfolder(FileRef file) {
        List<String> segments = new ArrayList<>();
        String type = file.type() == null ? "" : file.type().strip();
        if (!type.isEmpty() && !type.equals("output")) {
            segments.add(type);
        }
        segments.addAll(List.of((file.subfolder() == null ? "" : file.subfolder()).replace('\\', '/').split("/")));
        Path path = Path.of("");
        int depth = 0;
        for (String segment : segments) {
            String safe = segment.strip();
            if (safe.isEmpty() || safe.equals(".") || safe.equals("..") || depth == MAX_DEPTH) {
                continue;
            }
            path = path.resolve(safeName(safe));
            depth++;
        }
        return path;
    }

    /** The name a server-given file name is saved under. */
    static String safeName(String serverName) {
        String name = serverName.replace('\\', '/');
        name = name.substring(name.lastIndexOf('/') + 1);
        StringBuilder b = new StringBuilder(name.length());
        name.codePoints().forEach(c -> b.appendCodePoint(Character.isISOControl(c) || "<>:\"|?*".indexOf(c) >= 0 ? '_' : c));
        name = b.toString().strip();
        while (name.startsWith(".")) {
            name = name.substring(1);
        }
        if (name.isEmpty()) {
            name = "output";
        }
        if (name.length() > MAX_NAME) {
            int dot = name.lastIndexOf('.');
            String ext = dot > 0 && name.length() - dot <= 10 ? name.substring(dot) : "";
            name = name.substring(0, MAX_NAME - ext.length()) + ext;
        }
        return name;
    }

    /** {@code name}, or {@code stem (2).ext}, … when a file of this download already has it in that subfolder. */
    private static String freeName(Path subfolder, String name, Set<String> taken) {
        String candidate = name;
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        String where = subfolder.toString().toLowerCase(Locale.ROOT) + "/";
        for (int n = 2; !taken.add(where + candidate.toLowerCase(Locale.ROOT)); n++) {
            candidate = stem + " (" + n + ")" + ext;
        }
        return candidate;
    }
}
