package comfy.workbench.connection.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

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

    private final FileChannel channel;
    private final FileLock lock;

    private DataFolderLock(FileChannel channel, FileLock lock) {
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
        Path file = root.resolve(FILE);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            // this process holds it already (the file must not be read here: see above)
            channel.close();
            throw new InUseException("the data folder " + root + " is in use by another owner in this process");
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new InUseException("the data folder " + root + " is in use by another process" + holder(file));
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)));
        return new DataFolderLock(channel, lock);
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
            channel.close();
        }
    }
}
