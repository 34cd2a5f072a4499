package comfy.workbench.queue.internal;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.zip.CRC32C;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job store's journal: the changes made since the store's last checkpoint, appended with one write per commit.
 * MVStore rewrites a page and its parents at every commit (about 150 µs with a few thousand jobs, and the file grows by
 * every such page); appending the changed entries costs a few µs, so the store's file is written only at checkpoints.
 *
 * <p>Format: a header (magic {@code CWJ1}, the generation as 8 bytes, a CRC32C of those 12 bytes), then records: body
 * length (4 bytes), CRC32C of the body (4), body (map tag, key, value; strings as a 4-byte length and UTF-8, a value
 * of length -1 is a removal). A journal belongs to the checkpoint whose generation its header carries: one of another
 * generation is stale and is ignored. Reading stops at the first record that is cut off or fails its checksum (a
 * write the process or the machine died in); what follows it is dropped with a warning.
 */
final class JobJournal implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JobJournal.class);

    private static final int MAGIC = 0x43574a31; // "CWJ1"
    private static final int HEADER_BYTES = 16;

    /** One change: {@code value} null removes the key. */
    record Change(byte map, String key, String value) {
    }

    /**
     * What a journal held for the generation asked for: its changes, whether it continues that generation (appends
     * may follow its last complete record; otherwise it needs a reset), the generation its header names (0 when it
     * has none), and what was wrong with it, if anything.
     */
    record Replay(List<Change> changes, boolean current, long generation, String problem) {
    }

    private final Path file;
    private final FileChannel channel;
    private final CRC32C crc = new CRC32C();
    private byte[] buffer = new byte[64 * 1024];
    /** Where the next record goes (the end of the last complete one). */
    private long end;
    /** Whether a failed write may have left bytes after {@link #end}. */
    private boolean tailDirty;

    JobJournal(Path file) {
        this.file = file;
        try {
            this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the job store's journal " + file + ": " + e.getMessage(), e);
        }
    }

    Path file() {
        return file;
    }

    /**
     * The changes recorded for the checkpoint of this generation, in order; none if the journal is empty, of another
     * generation, or its header is damaged. Appends go after the last complete record.
     */
    Replay read(long generation) {
        end = HEADER_BYTES;
        List<Change> changes = new ArrayList<>();
        long size;
        try {
            size = channel.size();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the job store's journal " + file + ": " + e.getMessage(), e);
        }
        if (size == 0) {
            return new Replay(changes, false, 0, null);
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(unclosing(channel.position(0)), 64 * 1024))) {
            if (size < HEADER_BYTES) {
                return new Replay(changes, false, 0, "its header is cut off (" + size + " bytes)");
            }
            byte[] header = new byte[HEADER_BYTES];
            in.readFully(header);
            ByteBuffer h = ByteBuffer.wrap(header);
            if (h.getInt(0) != MAGIC || h.getInt(12) != checksum(header, 0, 12)) {
                return new Replay(changes, false, 0, "its header is damaged");
            }
            long found = h.getLong(4);
            if (found < generation) {
                return new Replay(changes, false, found, null); // before the last checkpoint: all of it is in the store
            }
            // a later generation than the store's means the store lost its last checkpoint (a file put back from a
            // copy, say): the journal's changes are still the newest there are, so they are replayed all the same
            long at = HEADER_BYTES;
            while (at < size) {
                try {
                    at += readRecord(in, size - at, changes);
                } catch (Damaged d) {
                    return new Replay(changes, true, found, d.getMessage() + " at byte " + at + " of " + size);
                }
                end = at;
            }
            return new Replay(changes, true, found, null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the job store's journal " + file + ": " + e.getMessage(), e);
        }
    }

    /** A record that is cut off or damaged. */
    private static final class Damaged extends Exception {
        private static final long serialVersionUID = 1L;

        Damaged(String message) {
            super(message, null, false, false);
        }
    }

    /** Reads one record into {@code into}; returns its length in bytes. */
    private int readRecord(DataInputStream in, long left, List<Change> into) throws IOException, Damaged {
        if (left < 8) {
            throw new Damaged("a record is cut off");
        }
        int length = in.readInt();
        int expected = in.readInt();
        if (length < 1 || length > left - 8) {
            throw new Damaged("a record is cut off or its length (" + length + ") is damaged");
        }
        byte[] body = new byte[length];
        try {
            in.readFully(body);
        } catch (EOFException e) {
            throw new Damaged("a record is cut off");
        }
        if (checksum(body, 0, length) != expected) {
            throw new Damaged("a record fails its checksum");
        }
        ByteBuffer b = ByteBuffer.wrap(body);
        try {
            byte map = b.get();
            String key = string(b);
            String value = string(b);
            if (key == null || b.hasRemaining()) {
                throw new Damaged("a record's body is malformed");
            }
            into.add(new Change(map, key, value));
        } catch (RuntimeException e) {
            throw new Damaged("a record's body is malformed");
        }
        return 8 + length;
    }

    private static String string(ByteBuffer b) {
        int length = b.getInt();
        if (length == -1) {
            return null;
        }
        if (length < 0 || length > b.remaining()) {
            throw new IllegalArgumentException("bad length");
        }
        String s = new String(b.array(), b.position(), length, StandardCharsets.UTF_8);
        b.position(b.position() + length);
        return s;
    }

    /**
     * Appends the changes with one write. On failure nothing counts as written: the next append writes over whatever
     * part reached the file.
     *
     * @throws UncheckedIOException naming the journal if the write fails
     */
    void append(Collection<Change> changes) {
        int size = 0;
        for (Change c : changes) {
            size = put(c, size);
        }
        try {
            if (tailDirty) {
                channel.truncate(end); // a shorter write must not leave a failed one's bytes after it
                tailDirty = false;
            }
            ByteBuffer data = ByteBuffer.wrap(buffer, 0, size);
            long at = end;
            while (data.hasRemaining()) {
                at += channel.write(data, at);
            }
            end = at;
        } catch (IOException e) {
            tailDirty = true;
            throw new UncheckedIOException("cannot write the job store's journal " + file + ": " + e.getMessage(), e);
        } finally {
            if (buffer.length > 1 << 20) {
                buffer = new byte[64 * 1024]; // a batch's big write does not keep its buffer
            }
        }
    }

    private int put(Change c, int at) {
        byte[] key = c.key().getBytes(StandardCharsets.UTF_8);
        byte[] value = c.value() == null ? null : c.value().getBytes(StandardCharsets.UTF_8);
        int body = 1 + 4 + key.length + 4 + (value == null ? 0 : value.length);
        ensure(at + 8 + body);
        ByteBuffer b = ByteBuffer.wrap(buffer, at, 8 + body);
        b.position(at + 8);
        b.put(c.map()).putInt(key.length).put(key);
        if (value == null) {
            b.putInt(-1);
        } else {
            b.putInt(value.length).put(value);
        }
        b.putInt(at, body).putInt(at + 4, checksum(buffer, at + 8, body));
        return at + 8 + body;
    }

    private void ensure(int capacity) {
        if (capacity > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(capacity, buffer.length * 2));
        }
    }

    /** Empties the journal and starts it for the checkpoint of this generation. */
    void reset(long generation) {
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).putInt(MAGIC).putLong(generation);
        header.putInt(checksum(header.array(), 0, 12)).flip();
        keepAsPrevious();
        try {
            channel.truncate(0);
            while (header.hasRemaining()) {
                channel.write(header, header.position());
            }
            end = HEADER_BYTES;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reset the job store's journal " + file + ": " + e.getMessage(), e);
        }
    }

    /** The journal a reset replaces, as it was: {@code <journal>.previous}. */
    Path previousFile() {
        return file.resolveSibling(file.getFileName() + ".previous");
    }

    /**
     * Keeps the records a reset is about to drop, which the checkpoint has just written into the store: should the
     * store lose that checkpoint (a file put back from a copy, a compaction cut short by a kill), they are still there
     * to replay. Best effort: a journal that cannot be kept only loses that second chance.
     */
    private void keepAsPrevious() {
        if (end <= HEADER_BYTES) {
            return; // nothing recorded since the last checkpoint: the previous journal is still the one to keep
        }
        Path previous = previousFile();
        Path partial = file.resolveSibling(file.getFileName() + ".previous.part");
        try (FileChannel out = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            long at = 0;
            while (at < end) {
                at += channel.transferTo(at, end - at, out);
            }
            out.force(false);
        } catch (IOException e) {
            LOG.warn("the job store's journal {} could not be kept as {} before its reset: {}", file, previous,
                    e.toString());
            return;
        }
        try {
            Files.move(partial, previous, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("the job store's journal {} could not be kept as {} before its reset: {}", file, previous,
                    e.toString());
        }
    }

    /** The changes a kept previous journal holds for {@code generation}; none when there is no such journal. */
    static Replay readPrevious(Path previous, long generation) {
        if (!Files.isRegularFile(previous)) {
            return new Replay(List.of(), false, 0, null);
        }
        JobJournal journal = new JobJournal(previous);
        try {
            return journal.read(generation);
        } finally {
            journal.close();
        }
    }

    /** The journal's length in bytes. */
    long size() {
        return end;
    }

    /** Forces what was appended to the disk (callable from any thread). */
    void force() {
        try {
            if (channel.isOpen()) {
                channel.force(false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot sync the job store's journal " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.warn("closing the job store's journal {} failed: {}", file, e.toString());
        }
    }

    private int checksum(byte[] data, int offset, int length) {
        crc.reset();
        crc.update(data, offset, length);
        return (int) crc.getValue();
    }

    /** The channel as a stream whose close leaves the channel open. */
    private static InputStream unclosing(FileChannel channel) {
        InputStream in = Channels.newInputStream(channel);
        return new FilterInputStream(in) {
            @Override
            public void close() {
                // the channel stays open for appends
            }
        };
    }
}
