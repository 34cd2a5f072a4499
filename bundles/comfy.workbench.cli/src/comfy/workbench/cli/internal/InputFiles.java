package comfy.workbench.cli.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** The workflow files a command reads (JSON, PNG): read whole, within a size a workflow can have. */
final class InputFiles {

    /** Far above any workflow or PNG with one; a larger file is a mistake, and would not fit in memory anyway. */
    static final long MAX_BYTES = 256L << 20;

    private InputFiles() {
    }

    /** The file's bytes; a missing, unreadable, too large file or a folder is a usage error naming it and why. */
    static byte[] read(Path path) {
        try {
            if (Files.isDirectory(path)) {
                throw new Args.UsageException(path + " is a folder, not a workflow file");
            }
            long size = Files.size(path);
            if (size > MAX_BYTES) {
                throw new Args.UsageException(path + " is " + (size >> 20) + " MiB: more than a workflow file can be ("
                        + (MAX_BYTES >> 20) + " MiB)");
            }
            return Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new Args.UsageException("no such file: " + path);
        } catch (IOException e) {
            throw new Args.UsageException("cannot read " + path + ": " + why(e));
        }
    }

    /** Its first bytes (at most {@code n}); empty when it cannot be read. */
    static byte[] head(Path path, int n) {
        try (InputStream in = Files.newInputStream(path)) {
            return in.readNBytes(n);
        } catch (IOException e) {
            return new byte[0];
        }
    }

    /** What went wrong with a file, in words: the JDK's messages for the common cases are just the path. */
    static String why(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "its folder does not exist";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.toString();
    }
}
