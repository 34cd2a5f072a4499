package comfy.workbench.monitor.internal;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client id per server, stable for the installation ({@code monitor/client-ids.properties}): prompts submitted
 * with it before a restart of the workbench still route their events to the new socket.
 */
final class ClientIds {

    private static final Logger LOG = LoggerFactory.getLogger(ClientIds.class);

    private final Path file;
    private final Properties ids = new Properties();

    ClientIds(Path file) {
        this.file = file;
        if (Files.isRegularFile(file)) {
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                ids.load(in);
            } catch (IOException | IllegalArgumentException e) {
                // a damaged file costs only the events of prompts in flight; they are reconciled from history
                LOG.warn("monitor client ids {} unreadable ({}); new ids will be issued", file, e.getMessage());
                ids.clear();
            }
        }
    }

    synchronized String of(String serverId) {
        String id = ids.getProperty(serverId);
        if (id == null || id.isBlank()) {
            id = UUID.randomUUID().toString();
            ids.setProperty(serverId, id);
            save();
        }
        return id;
    }

    private void save() {
        try {
            StringWriter text = new StringWriter();
            ids.store(text, "WebSocket client id per server");
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), ".client-ids", ".tmp");
            Files.writeString(tmp, text.toString(), StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write monitor client ids to " + file, e);
        }
    }
}
