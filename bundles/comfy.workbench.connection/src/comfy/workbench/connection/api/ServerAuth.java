package comfy.workbench.connection.api;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How the client authenticates to a server. Core ComfyUI has no authentication, but servers are often put behind
 * a reverse proxy that demands a bearer token, basic credentials or some custom header.
 * <p>
 * Every implementation's {@code toString()} masks the secret parts, so that an auth value can be logged safely.
 * <p>
 * Clients send the headers that {@link ServerCredentials} resolves, not {@link #headers()} directly: only it knows
 * the headers of {@link Provided} auth.
 */
public sealed interface ServerAuth
        permits ServerAuth.None, ServerAuth.Bearer, ServerAuth.Basic, ServerAuth.Headers, ServerAuth.Provided {

    /** No authentication: the default. */
    ServerAuth NONE = new None();

    /**
     * The HTTP headers this auth adds to every request (secret values included); none for {@link Provided}, whose
     * headers come from its provider at request time through {@link ServerCredentials}.
     */
    Map<String, String> headers();

    /**
     * A short name of the kind of auth ({@code none}, {@code bearer}, {@code basic}, {@code headers},
     * {@code provided}).
     */
    String kind();

    /** No authentication. */
    record None() implements ServerAuth {
        @Override
        public Map<String, String> headers() {
            return Map.of();
        }

        @Override
        public String kind() {
            return "none";
        }
    }

    /**
     * {@code Authorization: Bearer <token>}.
     *
     * @param token the token, not blank
     */
    record Bearer(String token) implements ServerAuth {
        public Bearer {
            requireText(token, "token");
        }

        @Override
        public Map<String, String> headers() {
            return Map.of("Authorization", "Bearer " + token);
        }

        @Override
        public String kind() {
            return "bearer";
        }

        @Override
        public String toString() {
            return "Bearer[token=***]";
        }
    }

    /**
     * HTTP basic authentication.
     *
     * @param user     the user name, not blank, without {@code ':'}
     * @param password the password (may be empty)
     */
    record Basic(String user, String password) implements ServerAuth {
        public Basic {
            requireText(user, "user");
            if (user.indexOf(':') >= 0) {
                throw new IllegalArgumentException("a basic-auth user name cannot contain ':'");
            }
            password = password == null ? "" : password;
        }

        @Override
        public Map<String, String> headers() {
            String pair = user + ":" + password;
            return Map.of("Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        }

        @Override
        public String kind() {
            return "basic";
        }

        @Override
        public String toString() {
            return "Basic[user=" + user + ", password=***]";
        }
    }

    /**
     * Custom headers, e.g. a proxy's API key header or ComfyUI's {@code Comfy-User}. All values are treated as
     * secrets.
     *
     * @param values header name to value, at least one; names must be valid HTTP tokens and may not be ones the
     *               HTTP client controls ({@code Host}, {@code Content-Length}, ...)
     */
    record Headers(Map<String, String> values) implements ServerAuth {
        private static final java.util.Set<String> RESTRICTED = java.util.Set.of("host", "content-length",
                "connection", "expect", "upgrade", "transfer-encoding", "content-type");

        public Headers {
            Objects.requireNonNull(values, "values");
            if (values.isEmpty()) {
                throw new IllegalArgumentException("custom-header auth needs at least one header");
            }
            Map<String, String> copy = new LinkedHashMap<>();
            values.forEach((name, value) -> {
                requireText(name, "header name");
                if (!name.chars().allMatch(c -> c > 32 && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0)) {
                    throw new IllegalArgumentException("not a valid HTTP header name: " + name);
                }
                if (RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
                    throw new IllegalArgumentException("header " + name + " cannot be set by auth");
                }
                Objects.requireNonNull(value, "value of header " + name);
                if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                    throw new IllegalArgumentException("header " + name + " has a line break in its value");
                }
                copy.put(name, value);
            });
            values = Collections.unmodifiableMap(copy);
        }

        @Override
        public Map<String, String> headers() {
            return values;
        }

        @Override
        public String kind() {
            return "headers";
        }

        @Override
        public String toString() {
            return "Headers" + values.keySet() + "=***";
        }
    }

    /**
     * Credentials supplied at request time by the {@link CredentialProvider} registered with
     * {@link CredentialProvider#NAME} {@code = provider}: for tokens that rotate. Holds no secret; the registry
     * persists only the provider's name.
     *
     * @param provider the provider's name: 1 to 64 characters of {@code [A-Za-z0-9._-]}
     */
    record Provided(String provider) implements ServerAuth {
        public Provided {
            requireText(provider, "provider name");
            provider = provider.strip();
            if (!provider.matches("[A-Za-z0-9._-]{1,64}")) {
                throw new IllegalArgumentException(
                        "a credential provider's name must be 1-64 characters of [A-Za-z0-9._-]: '" + provider + "'");
            }
        }

        /** None: the provider's headers are asked for at request time (see {@link ServerCredentials}). */
        @Override
        public Map<String, String> headers() {
            return Map.of();
        }

        @Override
        public String kind() {
            return "provided";
        }
    }

    private static void requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
    }
}
