package comfy.workbench.connection.api;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * A client call failed. The {@link #kind()} says how; the message always names the server id and the route
 * ({@code "POST /api/prompt"}), and for HTTP failures the status and an excerpt of the body.
 * <p>
 * Checked on purpose: every call talks to a remote server that can fail at any time, and callers must decide
 * whether to retry, report or give up.
 */
public class ComfyException extends Exception {

    private static final long serialVersionUID = 1L;

    /** How a call failed. */
    public enum Kind {
        /** Nothing listens at the server's address (TCP connection refused). */
        CONNECTION_REFUSED,
        /** Connecting or waiting for the answer took longer than the configured timeout. */
        TIMEOUT,
        /** The connection could not be made for another reason (unknown host, TLS failure, reset before answer). */
        CONNECTION_FAILED,
        /** The server began answering, then the connection broke (for example a truncated body). */
        CONNECTION_LOST,
        /**
         * The server (or a proxy in front of it) answered 401: the server's auth is missing or wrong. (A 403 is
         * {@link #HTTP_STATUS}: ComfyUI itself answers 403 for forbidden paths and cross-origin requests.)
         */
        UNAUTHORIZED,
        /** The server answered with another unexpected HTTP status; see {@link #status()} and {@link #bodyExcerpt()}. */
        HTTP_STATUS,
        /** The answer is not what the protocol says: wrong content type, malformed JSON, wrong shape. */
        BAD_RESPONSE,
        /** The server refused a prompt; the exception is a {@link PromptRejectedException}. */
        PROMPT_REJECTED,
        /** The server does not have this route (for example the jobs API on servers before ComfyUI 0.6). */
        UNSUPPORTED,
        /** The calling thread was interrupted while waiting; its interrupt flag is set again. */
        INTERRUPTED,
        /** A local file could not be read or written (upload source, download target). */
        LOCAL_IO
    }

    private final Kind kind;
    private final String serverId;
    private final String route;
    private final int status;
    private final String bodyExcerpt;

    /**
     * @param kind        how it failed
     * @param serverId    the server's id
     * @param route       method and path, e.g. {@code GET /api/queue}
     * @param status      the HTTP status, or 0 when there was no answer
     * @param bodyExcerpt the beginning of the body (at most a few hundred characters), or {@code ""}
     * @param detail      what went wrong, in words
     * @param cause       the underlying exception, or {@code null}
     */
    public ComfyException(Kind kind, String serverId, String route, int status, String bodyExcerpt, String detail,
            Throwable cause) {
        super(message(kind, serverId, route, status, bodyExcerpt, detail), cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.serverId = Objects.requireNonNull(serverId, "serverId");
        this.route = Objects.requireNonNull(route, "route");
        this.status = status;
        this.bodyExcerpt = bodyExcerpt == null ? "" : bodyExcerpt;
    }

    /** A failure without an HTTP answer. */
    public ComfyException(Kind kind, String serverId, String route, String detail, Throwable cause) {
        this(kind, serverId, route, 0, "", detail, cause);
    }

    public Kind kind() {
        return kind;
    }

    public String serverId() {
        return serverId;
    }

    /** Method and path of the failed request, e.g. {@code GET /api/history?max_items=2}. */
    public String route() {
        return route;
    }

    /** The HTTP status, if the server answered. */
    public OptionalInt status() {
        return status == 0 ? OptionalInt.empty() : OptionalInt.of(status);
    }

    /** The beginning of the body the server sent, or {@code ""}. */
    public String bodyExcerpt() {
        return bodyExcerpt;
    }

    /** Whether trying the same call again later might succeed (transport failures, 5xx, 429). */
    public boolean isTransient() {
        return switch (kind) {
        case CONNECTION_REFUSED, TIMEOUT, CONNECTION_FAILED, CONNECTION_LOST -> true;
        case HTTP_STATUS -> status >= 500 || status == 429;
        default -> false;
        };
    }

    private static String message(Kind kind, String serverId, String route, int status, String body, String detail) {
        StringBuilder b = new StringBuilder();
        b.append('[').append(serverId).append("] ").append(route).append(": ").append(kind);
        if (status != 0) {
            b.append(" (HTTP ").append(status).append(')');
        }
        if (detail != null && !detail.isEmpty()) {
            b.append(": ").append(detail);
        }
        if (body != null && !body.isEmpty()) {
            b.append(" - body: ").append(body);
        }
        return b.toString();
    }
}
