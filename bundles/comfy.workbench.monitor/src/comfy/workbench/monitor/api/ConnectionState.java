package comfy.workbench.monitor.api;

/** The state of the monitor's WebSocket to one server. */
public enum ConnectionState {
    /** Opening the socket (first attempt or a retry). */
    CONNECTING,
    /** Open, handshake sent. */
    CONNECTED,
    /** Lost or refused; a retry is scheduled with backoff. */
    DISCONNECTED,
    /** The server was removed from the registry or the monitor stopped; no more retries. */
    STOPPED
}
