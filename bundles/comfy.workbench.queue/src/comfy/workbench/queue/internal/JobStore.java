package comfy.workbench.queue.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.h2.mvstore.type.StringDataType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import comfy.workbench.queue.api.Job;

/**
 * The durable job store: an H2 MVStore file with maps of job id → request JSON (written once) and job id → state
 * JSON (written at every change), and a map of settings (pause). Changes are collected and made durable by
 * {@link #commit()}, which appends them to a {@linkplain JobJournal journal} beside the file; a checkpoint writes them
 * into the MVStore file once the journal has grown (and when the store closes), and opening the store replays what
 * the journal holds beyond the last checkpoint. The file is locked, so one process at a time owns a store.
 */
final class JobStore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JobStore.class);

    /** Thrown when another process holds the store. */
    static final class StoreLockedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StoreLockedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** How often changes are forced to the disk: a power failure loses at most about this much. */
    static final Duration SYNC_INTERVAL = Duration.ofSeconds(1);
    /*
     * MVStore keeps the space of replaced pages for 45 s (so that the version on disk stays readable until the OS
     * flushed its successor), and without a background writer it never compacts: a burst of jobs left the file at
     * 150 MB and more. Closing compacts a file mostly made of such space, for at most this long.
     */
    private static final int COMPACT_BELOW_FILL_RATE = 50;
    private static final int COMPACTION_MILLIS = 300;
    /*
     * Each commit rewrites the pages it changed: with 4 KB pages instead of 16 KB, a job's change writes half as
     * many bytes and commits take a quarter less time (measured with 4,000 jobs of three changes each).
     */
    private static final int PAGE_SPLIT_SIZE = 4096;
    /** A checkpoint is made once the journal is this long: it bounds replay at start and unsaved pages in memory. */
    static final long CHECKPOINT_BYTES = 4 << 20;

    private static final byte REQUESTS = 'r';
    private static final byte STATES = 's';
    private static final byte SETTINGS = 'g';
    /** The generation of the last checkpoint, in the meta map; the journal's header names the one it follows. */
    private static final String GENERATION = "journal.generation";

    private final Path file;
    private final FileLock processLock;
    private final MVStore store;
    private final MVMap<String, String> requests;
    private final MVMap<String, String> states;
    private final MVMap<String, String> settings;
    private final MVMap<String, String> meta;
    private final JobJournal journal;
    /** Changes made since the last commit, by map tag and key (the latest value of each). */
    private final Map<String, JobJournal.Change> unjournaled = new LinkedHashMap<>();
    private long generation;
    /** Set while a checkpoint is under way: until its journal is reset, changes must go into a checkpoint too. */
    private boolean checkpointing;
    /** Commits so far (read by the sync thread). */
    private final AtomicLong commits = new AtomicLong();
    /** Jobs whose request is stored (it never changes, so it is written once). */
    private final Set<String> storedRequests = new HashSet<>();
    /** Whether a change since the last commit may not wait for a later one. */
    private boolean urgent;

    JobStore(Path file) {
        this.file = file;
        this.processLock = lockProcess(file);
        try {
            Files.createDirectories(file.getParent());
            this.store = new MVStore.Builder().fileName(file.toString()).autoCommitDisabled().pageSplitSize(PAGE_SPLIT_SIZE)
                    .open();
        } catch (MVStoreException e) {
            release(processLock);
            if (e.getErrorCode() == org.h2.mvstore.DataUtils.ERROR_FILE_LOCKED) {
                throw new StoreLockedException("the job store " + file + " is in use by another process", e);
            }
            // what to do about it: a corrupt file is not repaired here (its jobs might still be read out of it)
            throw new IllegalStateException("cannot open the job store " + file + ": " + e.getMessage()
                    + (e.getErrorCode() == org.h2.mvstore.DataUtils.ERROR_FILE_CORRUPT
                            ? "; restore it from a backup, or move it and its .journal aside to start with an empty "
                                    + "queue (the jobs in it are then no longer known)"
                            : "; check that the folder and the file can be written"), e);
        } catch (IOException e) {
            release(processLock);
            throw new IllegalStateException("cannot create the folder of the job store " + file + ": " + e, e);
        }
        // typed maps: MVStore's generic object type spends a type tag and a lookup on every value it writes
        this.requests = store.openMap("requests", strings());
        this.states = store.openMap("states", strings());
        this.settings = store.openMap("settings", strings());
        this.meta = store.openMap("meta", strings());
        try {
            this.journal = new JobJournal(file.resolveSibling(file.getFileName() + ".journal"));
        } catch (RuntimeException e) {
            store.closeImmediately();
            release(processLock);
            throw new IllegalStateException(e.getMessage(), e);
        }
        replayJournal();
    }

    /** Applies what the journal holds beyond the last checkpoint, and checkpoints it. */
    private void replayJournal() {
        generation = Long.parseLong(meta.getOrDefault(GENERATION, "0"));
        JobJournal.Replay replay;
        try {
            replay = journal.read(generation);
        } catch (RuntimeException e) {
            closeAsIfCrashed();
            throw new IllegalStateException(e.getMessage(), e);
        }
        List<JobJournal.Change> changes = new ArrayList<>();
        if (replay.generation() > generation) {
            // the store lost its last checkpoint(s): what the journal before this one held is kept beside it
            JobJournal.Replay previous = JobJournal.readPrevious(journal.previousFile(), generation);
            boolean kept = previous.generation() >= generation && previous.generation() < replay.generation();
            if (kept) {
                changes.addAll(previous.changes());
            }
            LOG.warn("the job store's journal {} follows checkpoint {}, but the store {} is at checkpoint {}; {}",
                    journal.file(), replay.generation(), file, generation, kept
                            ? "the changes of the journal kept before it (" + journal.previousFile() + ") and its own "
                                    + "are replayed"
                            : "its changes are replayed (no journal of the checkpoint the store lost was kept: what "
                                    + "that checkpoint alone held is lost)");
            generation = replay.generation();
        }
        changes.addAll(replay.changes());
        if (replay.problem() != null) {
            Path kept = journal.file().resolveSibling(journal.file().getFileName() + ".damaged");
            try {
                Files.copy(journal.file(), kept, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                kept = null;
            }
            LOG.error("the job store's journal {}: {}; {} change(s) before it are recovered, what follows is dropped{}",
                    journal.file(), replay.problem(), replay.changes().size(), kept == null ? "" : " (a copy is kept in "
                            + kept + ")");
        }
        for (JobJournal.Change change : changes) {
            MVMap<String, String> map = switch (change.map()) {
                case REQUESTS -> requests;
                case STATES -> states;
                case SETTINGS -> settings;
                default -> null;
            };
            if (map == null) {
                LOG.warn("the job store's journal {} has a change of an unknown kind ({}); it is skipped",
                        journal.file(), change.map());
            } else if (change.value() == null) {
                map.remove(change.key());
            } else {
                map.put(change.key(), change.value());
            }
        }
        if (!replay.current() || !changes.isEmpty() || replay.problem() != null) {
            try {
                checkpoint();
            } catch (RuntimeException e) {
                closeAsIfCrashed();
                throw new IllegalStateException("cannot checkpoint the job store " + file + ": " + e.getMessage(), e);
            }
        }
    }

    private static MVMap.Builder<String, String> strings() {
        return new MVMap.Builder<String, String>().keyType(StringDataType.INSTANCE).valueType(StringDataType.INSTANCE);
    }

    Path file() {
        return file;
    }

    /** Every stored job; entries that do not read are logged and skipped (and left in the file). */
    List<Job> load() {
        List<Job> loaded = new ArrayList<>(states.size());
        for (Map.Entry<String, String> e : states.entrySet()) {
            String id = e.getKey();
            try {
                String request = requests.get(id);
                if (request == null) {
                    throw new IllegalStateException("its request is missing");
                }
                loaded.add(JobJson.readState(e.getValue(), JobJson.readRequest(request, "job " + id), "job " + id));
                storedRequests.add(id);
            } catch (RuntimeException ex) {
                LOG.error("job {} in {} cannot be read and is skipped: {}", id, file, ex.toString());
            }
        }
        return loaded;
    }

    void put(Job job) {
        put(job, false);
    }

    /**
     * Stores a job's state.
     *
     * @param mayWait whether the change may wait for a later commit (see {@link #commitUrgent()})
     */
    void put(Job job, boolean mayWait) {
        if (storedRequests.add(job.id())) {
            change(requests, REQUESTS, job.id(), JobJson.writeRequest(job.request()));
        }
        change(states, STATES, job.id(), JobJson.writeState(job));
        urgent |= !mayWait;
    }

    void remove(String id) {
        change(states, STATES, id, null);
        change(requests, REQUESTS, id, null);
        storedRequests.remove(id);
        urgent = true;
    }

    private void change(MVMap<String, String> map, byte tag, String key, String value) {
        if (value == null) {
            map.remove(key);
        } else {
            map.put(key, value);
        }
        unjournaled.put((char) tag + key, new JobJournal.Change(tag, key, value));
    }

    String setting(String key) {
        return settings.get(key);
    }

    /** The settings whose keys start with {@code prefix}. */
    Map<String, String> settings(String prefix) {
        Map<String, String> found = new java.util.TreeMap<>();
        for (org.h2.mvstore.Cursor<String, String> cursor = settings.cursor(prefix); cursor.hasNext();) {
            String key = cursor.next();
            if (!key.startsWith(prefix)) {
                break; // keys are sorted: past the prefix
            }
            found.put(key, cursor.getValue());
        }
        return found;
    }

    void setting(String key, String value) {
        change(settings, SETTINGS, key, value);
        urgent = true;
    }

    /**
     * Makes the changes since the last commit durable: appended to the journal with one write (the OS keeps them
     * across a crash of this process; {@link #sync()} forces them to the disk).
     *
     * @throws RuntimeException naming the file if it cannot be written; the changes stay for the next commit
     */
    void commit() {
        if (checkpointing) {
            checkpoint(); // a checkpoint that failed half-way: until it completes, the journal is not current
        } else if (!unjournaled.isEmpty()) {
            journal.append(unjournaled.values());
            unjournaled.clear();
            commits.incrementAndGet();
            if (journal.size() >= CHECKPOINT_BYTES) {
                checkpoint();
            }
        }
        urgent = false;
    }

    /**
     * Writes every change into the MVStore file, forces it to the disk, and only then empties the journal: a crash at
     * any point leaves either the old checkpoint with its journal or the new one (whose generation makes the old
     * journal stale).
     */
    void checkpoint() {
        checkpointing = true;
        long next = generation + 1;
        meta.put(GENERATION, Long.toString(next));
        store.commit();
        store.sync();
        journal.reset(next);
        generation = next;
        unjournaled.clear();
        checkpointing = false;
        commits.incrementAndGet();
    }

    /**
     * Commits if any change since the last commit may not wait; changes that may wait are kept for a later commit.
     *
     * @return whether changes are left waiting
     */
    boolean commitUrgent() {
        if (urgent) {
            commit();
            return false;
        }
        return !unjournaled.isEmpty();
    }

    /** Forces what was committed to the disk (callable from any thread). */
    void sync() {
        journal.force();
    }

    /** The number of commits so far (each commit adds one; callable from any thread). */
    long version() {
        return commits.get();
    }

    @Override
    public void close() {
        try {
            if (!store.isClosed()) {
                try {
                    checkpoint();
                    store.close(store.getFileStore().getChunksFillRate() < COMPACT_BELOW_FILL_RATE ? COMPACTION_MILLIS : 0);
                } catch (RuntimeException e) {
                    store.closeImmediately();
                    throw e;
                }
            }
        } finally {
            journal.close();
            release(processLock);
        }
    }

    /** Leaves the files as a crash of the process would: what was committed stays, nothing else is written. */
    void closeAsIfCrashed() {
        if (!store.isClosed()) {
            store.closeImmediately();
        }
        journal.close();
        release(processLock);
    }

    /**
     * One process per data folder: a lock on {@code jobs.lock} beside the store, held while it is open (the OS drops
     * it when the process dies, so a crash never leaves the folder locked).
     */
    private static FileLock lockProcess(Path file) {
        Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
        FileChannel channel = null;
        try {
            Files.createDirectories(file.getParent());
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return lock;
            }
        } catch (OverlappingFileLockException e) {
            // held by this process (another store object on the same file)
        } catch (IOException e) {
            closeQuietly(channel);
            throw new IllegalStateException("cannot lock " + lockFile + ": " + e, e);
        }
        closeQuietly(channel);
        throw new StoreLockedException("the job store " + file + " is in use by another process (it holds "
                + lockFile + ")", null);
    }

    private static void release(FileLock lock) {
        try {
            lock.release();
        } catch (IOException | RuntimeException e) {
            // closing the channel below releases it as well
        }
        closeQuietly(lock.channel());
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing to do
            }
        }
    }
}
