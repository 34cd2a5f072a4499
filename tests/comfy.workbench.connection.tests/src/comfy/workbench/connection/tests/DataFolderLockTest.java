package comfy.workbench.connection.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import comfy.workbench.connection.api.DataLocation;
import comfy.workbench.testing.osgi.Osgi;

/**
 * One process at a time on a data folder: the data location holds its folder against other processes (probed from
 * another JVM, as a second {@code comfy} would find it) and lets it go when it moves to another folder.
 */
class DataFolderLockTest {

    private static final String DATA = "comfy.workbench.connection.internal.DataLocationComponent";

    /**
     * Says whether another process could take the lock on the file, and what the file says. It must be another
     * process: closing any descriptor of a locked file in the process that holds the lock releases the lock (POSIX).
     */
    private static final String PROBE = """
            import java.nio.channels.FileChannel;
            import java.nio.channels.FileLock;
            import java.nio.file.Files;
            import java.nio.file.Path;
            import java.nio.file.StandardOpenOption;

            public class LockProbe {
                public static void main(String[] args) throws Exception {
                    try (FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.READ,
                            StandardOpenOption.WRITE)) {
                        FileLock lock = channel.tryLock();
                        System.out.println((lock == null ? "held by " : "free, last held by ")
                                + new String(Files.readAllBytes(Path.of(args[0]))).strip());
                    }
                }
            }
            """;

    @TempDir
    Path dir;

    @Test
    void theDataLocationHoldsItsFolderAgainstOtherProcessesAndLetsGoWhenItMoves() throws Exception {
        Path first = dir.resolve("first");
        Path second = dir.resolve("second");
        Path probe = Files.writeString(dir.resolve("LockProbe.java"), PROBE);

        Osgi.configure("comfy.workbench.data", DATA, Map.of("directory", first.toString()));
        assertEquals(first, Osgi.service(DataLocation.class).root());
        Path lock = first.resolve(".lock");
        String self = Long.toString(ProcessHandle.current().pid());
        assertEquals("held by " + self, otherProcessFinds(probe, lock));

        Osgi.configure("comfy.workbench.data", DATA, Map.of("directory", second.toString()));
        assertEquals(second, Osgi.service(DataLocation.class).root());
        assertEquals("free, last held by " + self, otherProcessFinds(probe, lock), "the folder it left");
        assertEquals("held by " + self, otherProcessFinds(probe, second.resolve(".lock")));
    }

    private static String otherProcessFinds(Path probe, Path lock) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), probe.toString(), lock.toString())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the probe did not end: " + output);
        }
        assertEquals(0, process.exitValue(), output);
        return output;
    }
}
