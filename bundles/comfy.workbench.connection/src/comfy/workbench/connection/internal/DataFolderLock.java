package comfy.workbench.connection.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One process at a time owns a data folder. Everything in it assumes so — the job store, the libraries, and the
 * client ids the monitor connects with: a second process on the same folder would open sockets under the first one's
 * client ids, and the server would send the first one's events to it. The lock is the operating system's, so a
 * process that dies releases it; the file names the process that holds it. (Nothing in the holding process may open
 * the file otherwise: closing any descriptor of a locked file releases the process's lock.)
 */
final class DataFolderLock implements AutoCloseable {

    static final String FILE = ".lock";

    /** Another process holds the data folder. */
    static final class InUseException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        InUseException(String message) {
            super(message);
        }
    }

    /**
     * The folders this process holds. The operating system's lock belongs to the process, and closing any
     * descriptor of the file drops it: a second owner in this process must be refused before it opens the file.
     * Static because the lock it mirrors is the process's, not an object's.
     */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path folder;
    private final FileChannel channel;
    private final FileLock lock;

    private DataFolderLock(Path folder, FileChannel channel, FileLock lock) {
        this.folder = folder;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the folder (creating it if missing) or fails at once.
     *
     * @throws InUseException when another process (or another owner in this one) holds it
     */
    static DataFolderLock acquire(Path root) throws IOException {
        PrivateFiles.createDirectory(root);
        Path folder = root.toRealPath();
        if (!HELD.add(folder)) {
            throw new InUseException("the data folder " + root + " is in use by another owner in this process");
        }
        try {
            Path file = folder.resolve(FILE);
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            try {
                FileLock lock = channel.tryLock();
                if (lock == null) {
                    channel.close();
                    throw new InUseException("the data folder " + root + " is in use by another process" + holder(file));
                }
                channel.truncate(0);
                channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)));
                return new DataFolderLock(folder, channel, lock);
            } catch (IOException | RuntimeException e) {
                channel.close(); // releases the lock too, if it was taken
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            HELD.remove(folder);
            throw e;
        }
    }

    private static String holder(Path file) {
        try {
            String pid = Files.readString(file, StandardCharsets.US_ASCII).strip();
            return pid.matches("\\d{1,10}") ? " (process " + pid + ")" : "";
        } catch (IOException e) {
            return ""; // it was released meanwhile, or cannot be read: the message does without the process
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            try {
                channel.close();
            } finally {
                HELD.remove(folder);
            }
        }
    }
}
