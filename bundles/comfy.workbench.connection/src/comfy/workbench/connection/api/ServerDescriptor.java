package comfy.workbench.connection.api;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One configured ComfyUI server.
 *
 * @param id      stable id: 1 to 64 characters of {@code [A-Za-z0-9._-]}; used in file names, event properties and
 *                job records, so it never changes for a server
 * @param label   what the user sees; defaults to the id
 * @param baseUrl {@code http} or {@code https} URL of the server, optionally with a path prefix
 *                ({@code https://host/comfy}); normalised to have no trailing slash, no query and no fragment
 * @param auth    how to authenticate; {@link ServerAuth#NONE} by default
 */
public record ServerDescriptor(String id, String label, URI baseUrl, ServerAuth auth) {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** The id of the server offered when nothing has been configured. */
    public static final String DEFAULT_ID = "local";

    /** The URL of the server offered when nothing has been configured. */
    public static final URI DEFAULT_URL = URI.create("http://127.0.0.1:8188");

    public ServerDescriptor {
        Objects.requireNonNull(id, "id");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("server id must be 1-64 characters of [A-Za-z0-9._-]: '" + id + "'");
        }
        label = label == null || label.isBlank() ? id : label.strip();
        baseUrl = normalise(Objects.requireNonNull(baseUrl, "baseUrl"));
        auth = auth == null ? ServerAuth.NONE : auth;
    }

    /** A server without auth. */
    public static ServerDescriptor of(String id, String baseUrl) {
        return new ServerDescriptor(id, id, parseUrl(baseUrl), ServerAuth.NONE);
    }

    /** The server offered when nothing has been configured: {@code local} at {@code http://127.0.0.1:8188}. */
    public static ServerDescriptor defaultServer() {
        return new ServerDescriptor(DEFAULT_ID, "Local ComfyUI", DEFAULT_URL, ServerAuth.NONE);
    }

    /**
     * Parses a base URL typed by a user, with a message fit for a dialog when it is not one. Without a scheme,
     * {@code http://} is assumed, as ComfyUI prints its address and users type it ({@code 127.0.0.1:8188}).
     */
    public static URI parseUrl(String text) {
        String typed = Objects.requireNonNull(text, "url").strip();
        if (typed.isEmpty()) {
            throw new IllegalArgumentException("no server URL given, e.g. http://127.0.0.1:8188");
        }
        try {
            return normalise(new URI(typed.contains("://") ? typed : "http://" + typed));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + text + " (" + e.getReason() + ")");
        }
    }

    public ServerDescriptor withLabel(String newLabel) {
        return new ServerDescriptor(id, newLabel, baseUrl, auth);
    }

    public ServerDescriptor withBaseUrl(URI newBaseUrl) {
        return new ServerDescriptor(id, label, newBaseUrl, auth);
    }

    public ServerDescriptor withAuth(ServerAuth newAuth) {
        return new ServerDescriptor(id, label, baseUrl, newAuth);
    }

    /**
     * The absolute URL of a route below the base URL, e.g. {@code resolve("/api/prompt")} on
     * {@code https://h/comfy} gives {@code https://h/comfy/api/prompt}.
     *
     * @param pathAndQuery an already encoded path starting with {@code /}, optionally with a query
     */
    public URI resolve(String pathAndQuery) {
        if (!pathAndQuery.startsWith("/")) {
            throw new IllegalArgumentException("route must start with '/': " + pathAndQuery);
        }
        return URI.create(baseUrl.toString() + pathAndQuery);
    }

    @Override
    public String toString() {
        return "Server[" + id + " " + baseUrl + (auth instanceof ServerAuth.None ? "" : " auth=" + auth.kind()) + "]";
    }

    private static URI normalise(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("server URL must be http or https: " + url);
        }
        if (url.getHost() == null || url.getHost().isEmpty()) {
            // java.net.URI finds no host when the port is not a number: name the port, the host is fine
            String authority = url.getRawAuthority() == null ? "" : url.getRawAuthority();
            int colon = authority.lastIndexOf(':');
            if (colon > 0 && !authority.endsWith("]") && !authority.substring(colon + 1).chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("server URL has a port that is not a number (\""
                        + authority.substring(colon + 1) + "\"): " + url);
            }
            throw new IllegalArgumentException("server URL has no host: " + url);
        }
        if (url.getPort() == 0 || url.getPort() > 65_535) {
            throw new IllegalArgumentException("server URL port must be 1 to 65535: " + url);
        }
        if (url.getRawQuery() != null || url.getRawFragment() != null) {
            throw new IllegalArgumentException("server URL must not have a query or fragment: " + url);
        }
        if (url.getRawUserInfo() != null) {
            throw new IllegalArgumentException("put credentials into the server's auth, not into its URL");
        }
        String path = url.getRawPath() == null ? "" : url.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        String port = url.getPort() < 0 ? "" : ":" + url.getPort();
        String host = url.getHost().toLowerCase(Locale.ROOT);
        return URI.create(scheme + "://" + host + port + path);
    }
}
