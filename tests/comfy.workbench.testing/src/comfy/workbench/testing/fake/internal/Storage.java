package comfy.workbench.testing.fake.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The server's folders ({@code input}, {@code output}, {@code temp}, {@code user/default}) and ComfyUI's file naming. */
public final class Storage {

    /** Where a save node writes: folder, file name stem, subfolder and the next free counter. */
    public record SavePath(Path folder, String filename, String subfolder, int counter) {
        public String name(int index, String extension) {
            return String.format("%s_%05d_.%s", filename, counter + index, extension);
        }
    }

    private final Path root;
    private final Map<Path, FolderCounters> counters = new HashMap<>();

    public Storage(Path root) {
        this.root = root;
        try {
            for (String d : new String[] {"input", "output", "temp", "user/default"}) {
                Files.createDirectories(root.resolve(d));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path root() {
        return root;
    }

    /** The folder of a type, or {@code null} for an unknown type. */
    public Path dir(String type) {
        return switch (type) {
            case "input", "output", "temp" -> root.resolve(type);
            default -> null;
        };
    }

    public Path userDir() {
        return root.resolve("user/default");
    }

    /** The temp folder is emptied when the server starts, as ComfyUI does. */
    public void wipeTemp() {
        Path temp = root.resolve("temp");
        try (Stream<Path> files = Files.walk(temp)) {
            files.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(temp)).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code folder_paths.get_save_image_path}: a prefix may carry subfolders; the counter is one past the highest on disk. */
    public SavePath savePath(String type, String prefix) {
        String p = prefix.replace('\\', '/');
        int slash = p.lastIndexOf('/');
        String subfolder = slash < 0 ? "" : p.substring(0, slash);
        String filename = slash < 0 ? p : p.substring(slash + 1);
        Path folder = dir(type).resolve(subfolder).normalize();
        try {
            Files.createDirectories(folder);
            return new SavePath(folder, filename, subfolder, counters(folder).highest(filename) + 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /*
     * Listing the folder for every save (as ComfyUI does) made the listing most of the fake's work once a benchmark
     * had written thousands of outputs; the folder's counters are kept instead and read again whenever the folder
     * changed behind the fake's back (its modification time is not the one after the fake's own last write).
     */
    private synchronized FolderCounters counters(Path folder) throws IOException {
        FileTime modified = Files.getLastModifiedTime(folder);
        FolderCounters known = counters.get(folder);
        if (known == null || !known.modified.equals(modified)) {
            known = new FolderCounters(modified);
            try (Stream<Path> files = Files.list(folder)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    known.add(f.getFileName().toString());
                }
            }
            counters.put(folder, known);
        }
        return known;
    }

    private synchronized void written(Path file) throws IOException {
        FolderCounters known = counters.get(file.getParent());
        if (known != null) {
            known.add(file.getFileName().toString());
            known.modified = Files.getLastModifiedTime(file.getParent());
        }
    }

    /** For each stem, the highest counter of a file named {@code <stem>_<digits>_…} in one folder. */
    private static final class FolderCounters {
        private final Map<String, Integer> highest = new HashMap<>();
        private FileTime modified;

        FolderCounters(FileTime modified) {
            this.modified = modified;
        }

        /** Every split of the name counts, as ComfyUI's test of each file against the prefix would find it. */
        void add(String name) {
            for (int i = name.indexOf('_'); i >= 0; i = name.indexOf('_', i + 1)) {
                int end = i + 1;
                while (end < name.length() && name.charAt(end) >= '0' && name.charAt(end) <= '9') {
                    end++;
                }
                if (end > i + 1 && end < name.length() && name.charAt(end) == '_' && end - i - 1 <= 9) {
                    highest.merge(name.substring(0, i), Integer.parseInt(name.substring(i + 1, end)), Math::max);
                }
            }
        }

        int highest(String stem) {
            return highest.getOrDefault(stem, 0);
        }
    }

    /** Resolves an annotated name ({@code "x.png [output]"}, default type input) to an existing file, or {@code null}. */
    public Path annotated(String name) {
        String type = "input";
        String file = name;
        Matcher m = Pattern.compile("(.*) \\[(input|output|temp)\\]").matcher(name);
        if (m.matches()) {
            file = m.group(1);
            type = m.group(2);
        }
        Path base = dir(type);
        Path path = base.resolve(file).normalize();
        return path.startsWith(base) && Files.isRegularFile(path) ? path : null;
    }

    public void write(Path file, byte[] bytes) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, bytes);
            written(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
