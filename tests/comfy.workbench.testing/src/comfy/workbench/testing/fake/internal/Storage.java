package comfy.workbench.testing.fake.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
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
        int max = 0;
        Pattern counterPattern = Pattern.compile(Pattern.quote(filename) + "_(\\d+)_.*");
        try {
            Files.createDirectories(folder);
            try (Stream<Path> files = Files.list(folder)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Matcher m = counterPattern.matcher(f.getFileName().toString());
                    if (m.matches()) {
                        max = Math.max(max, Integer.parseInt(m.group(1)));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new SavePath(folder, filename, subfolder, max + 1);
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
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
