package comfy.workbench.queue.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import comfy.workbench.cache.api.BlobCache;
import comfy.workbench.connection.api.FileRef;

/**
 * The client's own copy of every output it downloaded, in a blob cache, so that a download redone (after a crash, or a
 * dropped connection that sent the job round again) fetches only what it did not have, and a server's temporary
 * outputs, gone when it restarts, are not lost once fetched.
 * <p>
 * Keyed by server, prompt id and the file's type, subfolder and name, never by name alone: {@code /view} answers
 * without validators, and a server may write a new file under a name whose file was deleted. A prompt's own file of a
 * name is that prompt's output, whenever it is read.
 */
final class DownloadedOutputs {

    /** No cache: every file is fetched from its server. */
    static final DownloadedOutputs NONE = new DownloadedOutputs(null);

    private static final Logger LOG = LoggerFactory.getLogger(DownloadedOutputs.class);

    private final BlobCache blobs;

    DownloadedOutputs(BlobCache blobs) {
        this.blobs = blobs;
    }

    static String key(String server, String promptId, FileRef file) {
        return server + '\n' + promptId + '\n' + file.type() + '\n' + file.subfolder() + '\n' + file.filename();
    }

    /** The intact cached copy of a file, as a stream the caller closes; empty when there is none. */
    Optional<InputStream> open(String key) {
        return blobs == null ? Optional.empty() : blobs.open(key);
    }

    /**
     * Copies an {@linkplain #open opened} copy to {@code out}.
     *
     * @return false when reading the copy broke off (the key is then dropped, and the caller starts {@code out} afresh
     *         from the server)
     * @throws IOException when writing to {@code out} fails
     */
    boolean copy(String key, InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[64 << 10];
        while (true) {
            int n;
            try {
                n = in.read(buffer);
            } catch (IOException e) {
                LOG.warn("the outputs cache's copy of {} could not be read, fetching it again: {}", key.replace('\n', ' '),
                        e.toString());
                blobs.invalidate(key);
                return false;
            }
            if (n < 0) {
                return true;
            }
            out.write(buffer, 0, n);
        }
    }

    /** Keeps a copy of a downloaded file; a full or failing disk only costs the copy (the cache's health tells). */
    void keep(String key, Path file) {
        if (blobs == null) {
            return;
        }
        try (InputStream in = Files.newInputStream(file)) {
            blobs.put(key, in);
        } catch (IOException e) {
            LOG.debug("could not keep a copy of {} in the outputs cache: {}", file, e.toString());
        }
    }
}
