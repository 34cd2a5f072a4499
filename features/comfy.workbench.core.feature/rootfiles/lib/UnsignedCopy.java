import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Copies a jar without its signature files: the JVM's class-data sharing skips every class of a signed jar, and the
 * OSGi framework's classes are a good part of what the launch scripts load before anything else. Run by the
 * {@code comfy} and {@code comfy-workbench} scripts as a single-file program, once per installation:
 * {@code java UnsignedCopy.java SOURCE.jar TARGET.jar [SOURCE.jar TARGET.jar]...}.
 */
public final class UnsignedCopy {

    public static void main(String[] args) throws IOException {
        if (args.length == 0 || args.length % 2 != 0) {
            throw new IllegalArgumentException("usage: UnsignedCopy SOURCE.jar TARGET.jar [SOURCE.jar TARGET.jar]...");
        }
        for (int i = 0; i < args.length; i += 2) {
            copy(Path.of(args[i]), Path.of(args[i + 1]));
        }
    }

    private static void copy(Path source, Path target) throws IOException {
        Path partial = target.resolveSibling(target.getFileName() + ".part");
        // buffered: the zip streams write their headers a byte at a time
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(source), 1 << 16);
                ZipInputStream in = new ZipInputStream(raw);
                OutputStream sink = new BufferedOutputStream(Files.newOutputStream(partial), 1 << 16);
                ZipOutputStream out = new ZipOutputStream(sink)) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null;) {
                if (!signature(entry.getName())) {
                    out.putNextEntry(new ZipEntry(entry.getName()));
                    in.transferTo(out);
                    out.closeEntry();
                }
            }
        }
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static boolean signature(String name) {
        String n = name.toUpperCase(Locale.ROOT);
        return n.startsWith("META-INF/") && n.indexOf('/', 9) < 0
                && (n.endsWith(".SF") || n.endsWith(".RSA") || n.endsWith(".DSA") || n.endsWith(".EC"));
    }
}
