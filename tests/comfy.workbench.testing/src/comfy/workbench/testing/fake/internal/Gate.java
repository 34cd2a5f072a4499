package comfy.workbench.testing.fake.internal;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * In front of every request (HTTP and WebSocket upgrade): the optional path prefix and credentials a reverse proxy
 * would add, the per-route counters, and the scripted stalls and 500s.
 */
public final class Gate extends Handler.Wrapper {

    private final String pathPrefix;
    /** Changed at run time to model a proxy whose token rotates. */
    private volatile String expectedAuthorization;
    private final AtomicInteger unauthorized = new AtomicInteger();
    private final Faults faults;
    private final Map<String, AtomicInteger> requests;

    /** @param expectedAuthorization the exact {@code Authorization} value required, or {@code null} for none */
    public Gate(String pathPrefix, String expectedAuthorization, Faults faults, Map<String, AtomicInteger> requests) {
        this.pathPrefix = pathPrefix;
        this.expectedAuthorization = expectedAuthorization;
        this.faults = faults;
        this.requests = requests;
    }

    /** @param authorization the exact {@code Authorization} value required from now on, or {@code null} for none */
    public void expectAuthorization(String authorization) {
        this.expectedAuthorization = authorization;
    }

    /** How many requests were answered 401. */
    public int unauthorized() {
        return unauthorized.get();
    }

    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = request.getHttpURI().getPath();
        String expected = expectedAuthorization;
        if (expected != null && !expected.equals(request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
            unauthorized.incrementAndGet();
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, expected.startsWith("Basic") ? "Basic realm=\"comfy\"" : "Bearer");
            return Routes.send(response, callback, 401, "text/plain; charset=utf-8", "401: Unauthorized".getBytes(StandardCharsets.UTF_8));
        }
        if (!pathPrefix.isEmpty()) {
            if (!path.equals(pathPrefix) && !path.startsWith(pathPrefix + "/")) {
                return Routes.empty(response, callback, 404);
            }
            path = path.substring(pathPrefix.length());
        }
        String key = Routes.routeKey(request.getMethod(), path.isEmpty() ? "/" : path);
        requests.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        faults.awaitStalls(key);
        if (faults.shouldFail(key)) {
            return Routes.serverError(response, callback);
        }
        return super.handle(request, response, callback);
    }
}
