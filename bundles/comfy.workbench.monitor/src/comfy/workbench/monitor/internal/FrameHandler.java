package comfy.workbench.monitor.internal;

import java.nio.ByteBuffer;

/**
 * What a {@link WebSocketTransport} reports for one socket. Calls for one socket never overlap and come in the
 * order the frames arrived; messages are whole (fragments already assembled).
 */
public interface FrameHandler {

    /** The socket is open; the handler may send (the monitor sends its handshake here). */
    void onOpen(SocketSession session);

    /** A whole text message. */
    void onText(String text);

    /**
     * A whole binary message. The buffer is the handler's to keep: the transport made its one copy of the bytes
     * and never touches them again.
     */
    void onBinary(ByteBuffer payload);

    /** The socket closed (by either side, or because the connection broke); no calls follow. */
    void onClose(int statusCode, String reason);
}
