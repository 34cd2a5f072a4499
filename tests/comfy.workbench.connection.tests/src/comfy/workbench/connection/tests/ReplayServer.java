package comfy.workbench.connection.tests;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

import com.google.gson.JsonObject;

import comfy.workbench.testing.captures.Captures;

/**
 * A loopback HTTP server (Jetty 12) that answers each request with a captured ComfyUI response, or with a scripted
 * one. Requests are matched on method, path without the {@code /api} prefix, and the query's non-empty parameters
 * in any order; several captured answers to the same request are given in order (the last one repeats). A path
 * prefix can be set to act as a server behind a reverse proxy: requests outside it get a bare 404.
 */
final class ReplayServer implements AutoCloseable {

    /** One answer. */
    record Reply(int status, String contentType, byte[] body) {
        static Reply json(int status, String json) {
            return new Reply(status, "application/json; charset=utf-8", json.getBytes(StandardCharsets.UTF_8));
        }

        static Reply text(int status, String contentType, String text) {
            return new Reply(status, contentType, text.getBytes(StandardCharsets.UTF_8));
        }

        static Reply empty(int status) {
            return new Reply(status, "application/octet-stream", new byte[0]);
        }
    }

    /** A request as received. */
    record Received(String method, String path, String query, Map<String, String> headers, byte[] body) {
        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** Full control over a response, for hostile behaviour. */
    @FunctionalInterface
    interface Behaviour {
        void answer(Request request, Response response, Callback callback) throws Exception;
    }

    private final Server server;
    private final ServerConnector connector;
    private final String prefix;
    private final Map<String, Deque<Reply>> replies = new ConcurrentHashMap<>();
    private final Map<String, Behaviour> behaviours = new ConcurrentHashMap<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile String requiredAuthorization;

    private ReplayServer(String prefix) throws Exception {
        this.prefix = prefix;
        server = new Server();
        HttpConfiguration config = new HttpConfiguration();
        // userdata paths carry %2F, which Jetty's default compliance rejects as ambiguous
        config.setUriCompliance(UriCompliance.UNSAFE);
        connector = new ServerConnector(server, new HttpConnectionFactory(config));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                serve(request, response, callback);
                return true;
            }
        });
        server.start();
    }

    /** A server at the root path. */
    static ReplayServer start() throws Exception {
        return new ReplayServer("");
    }

    /** A server whose routes all live below {@code prefix} (e.g. {@code /comfy}). */
    static ReplayServer startBehindPrefix(String prefix) throws Exception {
        return new ReplayServer(prefix);
    }

    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + connector.getLocalPort() + prefix);
    }

    /** Loads every HTTP answer of a transcript. */
    ReplayServer replay(Captures captures, String transcript) throws IOException {
        for (JsonObject r : captures.records(transcript, "http_response")) {
            String contentType = r.getAsJsonObject("headers").has("Content-Type")
                    ? r.getAsJsonObject("headers").get("Content-Type").getAsString() : null;
            byte[] body;
            if (r.has("body_raw")) {
                body = r.get("body_raw").getAsString().getBytes(StandardCharsets.UTF_8);
            } else if (r.has("body_summary")) {
                body = Files.readAllBytes(captures.file(r.getAsJsonObject("body_summary").get("saved_as").getAsString()));
            } else if (r.has("body_text")) {
                body = r.get("body_text").getAsString().getBytes(StandardCharsets.UTF_8);
            } else {
                JsonObject binary = r.getAsJsonObject("body_binary");
                // a few binary answers were not saved: stand in with as many zero bytes
                body = binary.has("saved_as") ? Files.readAllBytes(captures.file(binary.get("saved_as").getAsString()))
                        : new byte[binary.get("length").getAsInt()];
            }
            String path = r.get("path").getAsString();
            int q = path.indexOf('?');
            add(r.get("method").getAsString(), q < 0 ? path : path.substring(0, q), q < 0 ? null : path.substring(q + 1),
                    new Reply(r.get("status").getAsInt(), contentType, body));
        }
        return this;
    }

    /** Adds a scripted answer for {@code method pathAndQuery} (path without prefix, with or without /api). */
    ReplayServer script(String method, String pathAndQuery, Reply reply) {
        int q = pathAndQuery.indexOf('?');
        add(method, q < 0 ? pathAndQuery : pathAndQuery.substring(0, q), q < 0 ? null : pathAndQuery.substring(q + 1),
                reply);
        return this;
    }

    /** Answers {@code method path} (any query) with custom behaviour. */
    ReplayServer behave(String method, String path, Behaviour behaviour) {
        behaviours.put(method + " " + stripApi(path), behaviour);
        return this;
    }

    /** From now on every request without exactly this Authorization header gets 401. */
    ReplayServer requireAuthorization(String value) {
        requiredAuthorization = value;
        return this;
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    Received last() {
        return received.get(received.size() - 1);
    }

    private void add(String method, String path, String query, Reply reply) {
        replies.computeIfAbsent(key(method, path, query), k -> new ArrayDeque<>()).add(reply);
    }

    private void serve(Request request, Response response, Callback callback) throws Exception {
        String path = request.getHttpURI().getPath();
        String query = request.getHttpURI().getQuery();
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        request.getHeaders().forEach(f -> headers.put(f.getName(), f.getValue()));
        byte[] body = Content.Source.asInputStream(request).readAllBytes();
        received.add(new Received(request.getMethod(), path, query, headers, body));
        if (!path.startsWith(prefix + "/")) {
            send(response, callback, Reply.empty(404));
            return;
        }
        path = path.substring(prefix.length());
        String auth = requiredAuthorization;
        if (auth != null && !auth.equals(headers.get("Authorization"))) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"comfy\"");
            send(response, callback, Reply.text(401, "text/plain", "401: Unauthorized"));
            return;
        }
        Behaviour behaviour = behaviours.get(request.getMethod() + " " + stripApi(path));
        if (behaviour != null) {
            behaviour.answer(request, response, callback);
            return;
        }
        Deque<Reply> queue = replies.get(key(request.getMethod(), path, query));
        Reply reply;
        if (queue == null) {
            reply = Reply.empty(404);
        } else {
            synchronized (queue) {
                reply = queue.size() > 1 ? queue.poll() : queue.peek();
            }
        }
        send(response, callback, reply);
    }

    static void send(Response response, Callback callback, Reply reply) {
        response.setStatus(reply.status());
        if (reply.contentType() != null) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.contentType());
        }
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, reply.body().length);
        response.write(true, ByteBuffer.wrap(reply.body()), callback);
    }

    private static String key(String method, String path, String query) {
        Map<String, String> params = new TreeMap<>();
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                if (!value.isEmpty()) {
                    params.put(name, value);
                }
            }
        }
        return method + " " + stripApi(decode(path)) + (params.isEmpty() ? "" : " " + params);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String stripApi(String path) {
        return path.startsWith("/api/") ? path.substring(4) : path;
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    /** All requests' paths, for assertions. */
    List<String> paths() {
        List<String> paths = new ArrayList<>();
        received.forEach(r -> paths.add(r.path()));
        return paths;
    }
}
