package comfy.workbench.monitor.internal;

import java.io.IOException;
import java.net.URI;

/**
 * A WebSocket could not be opened: the connection was refused or broke, the upgrade was answered with an HTTP
 * status other than 101 (e.g. 401, 404), or connect and upgrade took longer than allowed. The message names the
 * URI and the cause; {@link #httpStatus()} lets the caller tell "wrong credentials" from "server down".
 */
public final class WebSocketConnectException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient URI uri;
    private final int httpStatus;
    private final boolean timedOut;

    public WebSocketConnectException(URI uri, String what, int httpStatus, boolean timedOut, Throwable cause) {
        super("WebSocket connect to " + uri + " failed: " + what, cause);
        this.uri = uri;
        this.httpStatus = httpStatus;
        this.timedOut = timedOut;
    }

    /** The URI that was being opened. */
    public URI uri() {
        return uri;
    }

    /** The HTTP status the server answered the upgrade with, or 0 if no answer came. */
    public int httpStatus() {
        return httpStatus;
    }

    /** Whether connect and upgrade ran out of time. */
    public boolean timedOut() {
        return timedOut;
    }
}
