package comfy.workbench.cache.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.zip.CRC32C;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A disk tier: one file per key under a folder, within a byte budget, the least recently used evicted first.
 * <p>
 * A file is named by the SHA-256 of its key and holds a header, then the payload:
 *
 * <pre>
 * 0  "CWC1"            magic
 * 4  int               CRC32C of the payload, then of bytes 8..end of header
 * 8  long              payload length
 * 16 long              write time (epoch ms)
 * 24 int               key length n (UTF-8 bytes)
 * 28 n bytes           the key
 * 28+n                 the payload
 * </pre>
 *
 * A file is written to a temporary file and moved into place atomically, so a reader sees the old or the new data,
 * never part of it. Before a payload is returned its checksum and key are checked: a corrupt, truncated or foreign file
 * is counted, deleted and is a miss. Recency is the file's modification time, set on each write and hit, so the
 * eviction order survives a restart (the index is rebuilt from the files at start). No operation throws for a disk
 * failure: it is counted, remembered for the health check, and is a miss.
 */
final class DiskStore {

    private static final Logger LOG = LoggerFactory.getLogger(DiskStore.class);
    private static final int MAGIC = 0x43574331; // "CWC1"
    private static final int FIXED_HEADER = 28;
    private static final int MAX_KEY_BYTES = 64 * 1024;
    private static final String SUFFIX = ".entry";
    private static final String TEMP_SUFFIX = ".tmp";
    /** Tells this process's temporary files from another's (two products may share a data folder). */
    private static final String PROCESS_TAG = Long.toString(ProcessHandle.current().pid(), 36);

    /** An indexed file: its size on disk and its last use. */
    private record Item(long bytes, long usedMillis) {
    }

    private final Path dir;
    private final long budget;
    private final long writeMillis;
    private final long accessMillis;
    private final Clock clock;
    private final AtomicLong temps = new AtomicLong();
    /** Files by name, least recently used first; guarded by {@code this}. */
    private final LinkedHashMap<String, Item> index = new LinkedHashMap<>(16, 0.75f, true);
    private long total;
    private boolean closed;
    private volatile String failure;

    final LongAdder hits = new LongAdder();
    final LongAdder misses = new LongAdder();
    final LongAdder evictions = new LongAdder();
    final LongAdder expired = new LongAdder();
    final LongAdder corrupt = new LongAdder();
    final LongAdder errors = new LongAdder();

    DiskStore(Path dir, long budget, Duration expireAfterWrite, Duration expireAfterAccess, Clock clock) {
        this.dir = dir;
        this.budget = budget;
        this.writeMillis = expireAfterWrite == null ? 0 : expireAfterWrite.toMillis();
        this.accessMillis = expireAfterAccess == null ? 0 : expireAfterAccess.toMillis();
        this.clock = clock;
        scan();
    }

    Path directory() {
        return dir;
    }

    long budget() {
        return budget;
    }

    /** Why the last write failed, {@code null} if it did not. */
    String failure() {
        return failure;
    }

    /** Rebuilds the index from the files, oldest use first; deletes temporary files left by a crash. */
    private void scan() {
        record Found(String name, long bytes, long used) {
        }
        List<Found> found = new ArrayList<>();
        try {
            Files.createDirectories(dir);
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
                for (Path f : files) {
                    String name = f.getFileName().toString();
                    if (name.endsWith(TEMP_SUFFIX)) {
                        Files.deleteIfExists(f);
                    } else if (name.endsWith(SUFFIX)) {
                        BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
                        found.add(new Found(name, a.size(), a.lastModifiedTime().toMillis()));
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            failed("cannot read the disk tier's folder " + dir, e);
        }
        found.sort((a, b) -> Long.compare(a.used(), b.used()));
        synchronized (this) {
            for (Found f : found) {
                index.put(f.name(), new Item(f.bytes(), f.used()));
                total += f.bytes();
            }
            evictOverBudget();
        }
    }

    private void failed(String what, Exception e) {
        errors.increment();
        String message = what + ": " + e;
        if (failure == null) {
            LOG.warn("{} (the disk tier answers misses until a write succeeds)", message);
        }
        failure = message;
    }

    static String fileName(String key) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash) + SUFFIX;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** The payload, checked; {@code null} on a miss. */
    byte[] read(String key) {
        try (Opened o = openChecked(key)) {
            if (o == null) {
                return null;
            }
            ByteBuffer payload = ByteBuffer.allocate((int) o.length);
            while (payload.hasRemaining() && o.channel.read(payload, o.start + payload.position()) >= 0) {
                // read fully
            }
            return payload.array();
        } catch (IOException e) {
            errors.increment();
            return null;
        }
    }

    /** A stream of the payload, checked; {@code null} on a miss. The caller closes it. */
    InputStream open(String key) {
        Opened o = openChecked(key);
        if (o == null) {
            return null;
        }
        try {
            o.channel.position(o.start);
            return Channels.newInputStream(o.channel);
        } catch (IOException e) {
            o.close();
            errors.increment();
            return null;
        }
    }

    /** An open file whose payload starts at {@code start}. */
    private record Opened(FileChannel channel, long start, long length) implements AutoCloseable {
        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException e) {
                // read only: nothing lost
            }
        }
    }

    /** Opens and checks the key's file (magic, lengths, key, checksum, expiry); counts a hit or a miss. */
    private Opened openChecked(String key) {
        String name = fileName(key);
        Item item;
        synchronized (this) {
            item = closed ? null : index.get(name);
        }
        if (item == null) {
            misses.increment();
            return null;
        }
        long now = clock.millis();
        if (accessMillis > 0 && now - item.usedMillis() >= accessMillis) {
            drop(name, expired);
            misses.increment();
            return null;
        }
        Path file = dir.resolve(name);
        FileChannel ch = null;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
            long size = ch.size();
            ByteBuffer h = ByteBuffer.allocate(FIXED_HEADER);
            if (size < FIXED_HEADER || !readFully(ch, h, 0)) {
                return corrupt(ch, name);
            }
            h.flip();
            int magic = h.getInt(0);
            int crc = h.getInt(4);
            long length = h.getLong(8);
            long written = h.getLong(16);
            int keyLength = h.getInt(24);
            if (magic != MAGIC || keyLength < 0 || keyLength > MAX_KEY_BYTES || length < 0
                    || length > Integer.MAX_VALUE - 16 || size != FIXED_HEADER + keyLength + length) {
                return corrupt(ch, name);
            }
            ByteBuffer k = ByteBuffer.allocate(keyLength);
            if (!readFully(ch, k, FIXED_HEADER)) {
                return corrupt(ch, name);
            }
            long start = FIXED_HEADER + keyLength;
            CRC32C sum = new CRC32C();
            ByteBuffer buf = ByteBuffer.allocate((int) Math.min(64 * 1024, Math.max(1, length)));
            long pos = start;
            while (pos < size) {
                buf.clear();
                int n = ch.read(buf, pos);
                if (n < 0) {
                    return corrupt(ch, name);
                }
                buf.flip();
                sum.update(buf);
                pos += n;
            }
            sum.update(h.array(), 8, FIXED_HEADER - 8);
            sum.update(k.array(), 0, keyLength);
            if ((int) sum.getValue() != crc
                    || !new String(k.array(), StandardCharsets.UTF_8).equals(key)) {
                return corrupt(ch, name);
            }
            if (writeMillis > 0 && now - written >= writeMillis) {
                ch.close();
                drop(name, expired);
                misses.increment();
                return null;
            }
            touch(name, file, now);
            hits.increment();
            return new Opened(ch, start, length);
        } catch (NoSuchFileException e) {
            // deleted behind our back (the folder removed?): a miss
            close(ch);
            forget(name);
            misses.increment();
            return null;
        } catch (IOException | RuntimeException e) {
            close(ch);
            errors.increment();
            misses.increment();
            return null;
        }
    }

    private static boolean readFully(FileChannel ch, ByteBuffer b, long position) throws IOException {
        long pos = position;
        while (b.hasRemaining()) {
            int n = ch.read(b, pos);
            if (n < 0) {
                return false;
            }
            pos += n;
        }
        return true;
    }

    private Opened corrupt(FileChannel ch, String name) {
        close(ch);
        drop(name, corrupt);
        misses.increment();
        return null;
    }

    private static void close(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                // nothing was written
            }
        }
    }

    private void touch(String name, Path file, long now) {
        synchronized (this) {
            Item item = index.get(name);
            if (item != null) {
                index.put(name, new Item(item.bytes(), now));
            }
        }
        try {
            Files.setLastModifiedTime(file, FileTime.fromMillis(now));
        } catch (IOException e) {
            // recency for the next run only; the read succeeded
        }
    }

    /** Stores a payload. */
    boolean write(String key, byte[] payload) {
        try {
            return write(key, new java.io.ByteArrayInputStream(payload));
        } catch (IOException e) {
            throw new IllegalStateException("a byte array cannot fail to read", e);
        }
    }

    /** Thrown by the source stream, to tell it from the disk's failures. */
    private static final class SourceFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SourceFailure(IOException cause) {
            super(cause);
        }
    }

    /**
     * Stores the stream's data under the key, atomically.
     *
     * @return whether it was stored (not when larger than the budget, or the disk failed)
     * @throws IOException if reading the stream failed
     */
    boolean write(String key, InputStream data) throws IOException {
        synchronized (this) {
            if (closed) {
                return false;
            }
        }
        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        if (keyBytes.length > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("key longer than " + MAX_KEY_BYTES + " bytes");
        }
        String name = fileName(key);
        Temp opened;
        try {
            opened = createTemp(name);
        } catch (IOException | RuntimeException e) {
            failed("cannot write in the disk tier's folder " + dir, e);
            return false;
        }
        Path temp = opened.path();
        long now = clock.millis();
        long size;
        try (FileChannel ch = opened.channel()) {
            long start = FIXED_HEADER + keyBytes.length;
            ByteBuffer header = ByteBuffer.allocate((int) start);
            ch.write(header, 0); // placeholder, filled in at the end
            CRC32C sum = new CRC32C();
            byte[] buf = new byte[64 * 1024];
            long length = 0;
            long pos = start;
            while (true) {
                int n;
                try {
                    n = data.read(buf);
                } catch (IOException e) {
                    throw new SourceFailure(e);
                }
                if (n < 0) {
                    break;
                }
                length += n;
                if (start + length > budget) {
                    Files.deleteIfExists(temp);
                    return false;
                }
                sum.update(buf, 0, n);
                ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
                while (b.hasRemaining()) {
                    pos += ch.write(b, pos);
                }
            }
            header.putInt(0, MAGIC).putLong(8, length).putLong(16, now).putInt(24, keyBytes.length)
                    .put(FIXED_HEADER, keyBytes);
            sum.update(header.array(), 8, (int) start - 8);
            header.putInt(4, (int) sum.getValue());
            header.clear();
            while (header.hasRemaining()) {
                ch.write(header, header.position());
            }
            size = start + length;
        } catch (SourceFailure e) {
            deleteQuietly(temp);
            throw (IOException) e.getCause();
        } catch (IOException | RuntimeException e) {
            deleteQuietly(temp);
            failed("cannot write in the disk tier's folder " + dir, e);
            return false;
        }
        synchronized (this) {
            if (closed) {
                deleteQuietly(temp);
                return false;
            }
            try {
                Path target = dir.resolve(name);
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                Files.setLastModifiedTime(target, FileTime.fromMillis(now));
            } catch (IOException | RuntimeException e) {
                deleteQuietly(temp);
                failed("cannot write in the disk tier's folder " + dir, e);
                return false;
            }
            Item old = index.put(name, new Item(size, now));
            total += size - (old == null ? 0 : old.bytes());
            evictOverBudget();
        }
        failure = null;
        return true;
    }

    private record Temp(Path path, FileChannel channel) {
    }

    /**
     * A new temporary file, open for writing. Named by a counter rather than {@link Files#createTempFile}'s secure
     * random (which costs more than the write of a small file); {@code CREATE_NEW} keeps another process's files apart.
     */
    private Temp createTemp(String name) throws IOException {
        String prefix = name.substring(0, 16) + "-" + PROCESS_TAG + "-";
        while (true) {
            Path temp = dir.resolve(prefix + temps.incrementAndGet() + TEMP_SUFFIX);
            try {
                return new Temp(temp, FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
            } catch (FileAlreadyExistsException e) {
                // a leftover of an earlier run, or another process's: the next number
            } catch (NoSuchFileException e) {
                Files.createDirectories(dir); // the folder was removed while we ran
            }
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // a leftover temporary file is deleted at the next start
        }
    }

    /** Evicts the least recently used files while over budget; called holding {@code this}. */
    private void evictOverBudget() {
        Iterator<Map.Entry<String, Item>> it = index.entrySet().iterator();
        while (total > budget && it.hasNext()) {
            Map.Entry<String, Item> e = it.next();
            it.remove();
            total -= e.getValue().bytes();
            evictions.increment();
            delete(e.getKey());
        }
    }

    private void delete(String name) {
        try {
            Files.deleteIfExists(dir.resolve(name));
        } catch (IOException e) {
            failed("cannot delete in the disk tier's folder " + dir, e);
        }
    }

    /** Deletes a file and counts it under {@code cause}. */
    private void drop(String name, LongAdder cause) {
        cause.increment();
        synchronized (this) {
            forget(name);
            delete(name);
        }
    }

    private synchronized void forget(String name) {
        Item old = index.remove(name);
        if (old != null) {
            total -= old.bytes();
        }
    }

    boolean contains(String key) {
        synchronized (this) {
            return index.containsKey(fileName(key));
        }
    }

    void remove(String key) {
        String name = fileName(key);
        synchronized (this) {
            if (index.containsKey(name)) {
                forget(name);
                delete(name);
            }
        }
    }

    /** Deletes every file of the tier. */
    synchronized void clear() {
        for (String name : List.copyOf(index.keySet())) {
            delete(name);
        }
        index.clear();
        total = 0;
    }

    /** Deletes the folder and stops: later writes are refused and reads are misses. */
    void destroy() {
        synchronized (this) {
            clear();
            closed = true;
        }
        deleteTree(dir);
    }

    /** Deletes a folder with its files (a cache folder has no sub-folders); quietly. */
    static void deleteTree(Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                deleteQuietly(f);
            }
        } catch (IOException e) {
            // what remains is deleted by a later remove
        }
        deleteQuietly(dir);
    }

    synchronized long bytes() {
        return total;
    }

    synchronized long entries() {
        return index.size();
    }
}
