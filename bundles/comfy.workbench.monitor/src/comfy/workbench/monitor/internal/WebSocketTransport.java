package comfy.workbench.monitor.internal;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Opens WebSockets. One transport serves every server's socket. */
public interface WebSocketTransport extends AutoCloseable {

    /**
     * Opens a socket.
     *
     * @param uri            {@code ws:} or {@code wss:} URI
     * @param headers        extra request headers (authentication)
     * @param connectTimeout how long the connect and upgrade may take
     * @param handler        receives the socket's frames
     * @return completes with the open session (after {@link FrameHandler#onOpen}), or fails with the reason the
     *         connection or upgrade failed
     */
    CompletableFuture<SocketSession> connect(URI uri, Map<String, String> headers, Duration connectTimeout,
            FrameHandler handler);

    /** Closes every socket and frees the transport's threads. */
    @Override
    void close();
}
