package comfy.workbench.monitor.internal;

/** One open WebSocket, as the monitor uses it. Thread-safe. */
public interface SocketSession {

    /** Sends a text message (asynchronously; failures close the socket). */
    void sendText(String text);

    /** Sends a ping; the server's automatic pong proves the connection alive. */
    void ping();

    /** Closes the socket normally; {@link FrameHandler#onClose} follows. */
    void close();

    /** Whether the socket is open. */
    boolean isOpen();
}
