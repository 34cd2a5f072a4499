package comfy.workbench.queue.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import comfy.workbench.cache.api.BlobCache;
import comfy.workbench.connection.api.FileRef;

/**
 * The client's own copy of every output it downloaded, in a blob cache, so that a download redone (after a crash, or a
 * dropped connection that sent the job round again) fetches only what it did not have, and a server's temporary
 * outputs, gone when it restarts, are not lost once fetched.
 * <p>
 * Keyed by server, run (prompt id and attempt: a job keeps its prompt id when it runs again) and the file's type,
 * subfolder and name, never by name alone: {@code /view} answers without validators, and a server may write a new file
 * under a name whose file was deleted. A run's own file of a name is that run's output, whenever it is read.
 * <p>
 * Copies are made behind the downloads, on a thread of their own, so that a job is done when its files are in its
 * folder, not when the cache has them too: creating a cache file costs about as much as the download of a small
 * output. A copy is skipped when the file changed since it was saved, and when more than {@value #BACKLOG} wait.
 */
final class DownloadedOutputs {

    /** Copies waiting beyond this many are skipped. */
    static final int BACKLOG = 10_000;
    /** No cache: every file is fetched from its server. */
    static final DownloadedOutputs NONE = new DownloadedOutputs(null);
    private static final Logger LOG = LoggerFactory.getLogger(DownloadedOutputs.class);

    private final BlobCache blobs;
    private final ThreadPoolExecutor copier;

    /** Copies into {@code blobs}, or none when it is null. */
    DownloadedOutputs(BlobCache blobs) {
        this.blobs = blobs;
        this.copier = blobs == null ? null
                : new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(BACKLOG), r -> {
                    Thread t = new Thread(r, "comfy-queue-output-copies");
                    t.setDaemon(true);
                    return t;
                }, (task, pool) -> {
                    if (!pool.isShutdown()) {
                        LOG.debug("the outputs cache is {} copies behind; a copy is skipped", BACKLOG);
                    }
                });
    }

    static String key(String server, String run, FileRef file) {
        return server + '\n' + run + '\n' + file.type() + '\n' + file.subfolder() + '\n' + file.filename();
    }

    /**
     * Writes the intact cached copy of a file to {@code target}.
     *
     * @return whether {@code target} now holds it; false when there is none, or when reading it broke off (the key is
     *         then dropped, and the caller writes {@code target} afresh from the server)
     * @throws IOException when writing {@code target} fails, or the download was stopped
     */
    boolean copyTo(String key, Path target) throws IOException {
        Optional<InputStream> cached = blobs == null ? Optional.empty() : blobs.open(key);
        if (cached.isEmpty()) {
            return false;
        }
        try (InputStream in = cached.get(); OutputStream out = Files.newOutputStream(target)) {
            byte[] buffer = new byte[64 << 10];
            while (true) {
                int n;
                try {
                    n = in.read(buffer);
                } catch (ClosedChannelException | InterruptedIOException e) {
                    throw e; // the download was stopped (the queue closes), not the copy broken
                } catch (IOException e) {
                    LOG.warn("the outputs cache's copy of {} could not be read, fetching it again: {}",
                            key.replace('\n', ' '), e.toString());
                    blobs.invalidate(key);
                    return false;
                }
                if (n < 0) {
                    return true;
                }
                out.write(buffer, 0, n);
            }
        }
    }

    /**
     * Keeps a copy of a file just saved, soon; a full or failing disk only costs the copy (the cache's health tells).
     */
    void keep(String key, Path file) {
        if (blobs == null) {
            return;
        }
        BasicFileAttributes saved;
        try {
            saved = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (IOException e) {
            return;
        }
        copier.execute(() -> {
            try (InputStream in = Files.newInputStream(file)) {
                BasicFileAttributes now = Files.readAttributes(file, BasicFileAttributes.class);
                if (now.size() == saved.size() && now.lastModifiedTime().equals(saved.lastModifiedTime())) {
                    blobs.put(key, in);
                } // else someone changed it in the job's folder: not the server's file any more
            } catch (IOException e) {
                LOG.debug("could not keep a copy of {} in the outputs cache: {}", file, e.toString());
            }
        });
    }

    /** Waits until the copies asked for so far are made (or skipped). */
    void awaitCopies() throws InterruptedException, ExecutionException {
        if (copier != null) {
            copier.submit(() -> { }).get();
        }
    }

    /** Makes no copies until {@code released} counts down (tests use it to change a file before its copy). */
    void holdCopiesUntil(CountDownLatch released) {
        copier.execute(() -> {
            try {
                released.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /**
     * Stops making copies: those still waiting are dropped (the job's files are in its folder); the one under way may
     * finish, briefly (interrupted, the cache would count a write failure).
     */
    void close() {
        if (copier != null) {
            copier.getQueue().clear();
            copier.shutdown();
            try {
                copier.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
