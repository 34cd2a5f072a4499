package comfy.workbench.connection.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard service: supplies a server's credentials at request time, for servers behind a proxy whose tokens
 * rotate (OAuth, a vault, a token file a sidecar refreshes). A server uses it when its auth is
 * {@link ServerAuth.Provided} naming the provider's {@link #NAME} property.
 * <p>
 * Register it with the service property {@value #NAME} set to a name of 1 to 64 characters of
 * {@code [A-Za-z0-9._-]}; of several providers with one name, the one with the highest ranking is used. Clients never
 * call a provider directly: the {@link ServerCredentials} service does, for every HTTP request and WebSocket upgrade.
 * <p>
 * Implementations must be thread-safe: requests to many servers ask at once. {@link #headers} may block briefly (a
 * file read, a token refresh); one that takes longer than the connection's configured limit fails the request
 * instead of hanging it. The returned values are secrets: never put them into messages, logs or {@code toString()}.
 */
@ConsumerType
public interface CredentialProvider {

    /** The service property naming a provider, as {@link ServerAuth.Provided#provider()} refers to it. */
    String NAME = "credentials.provider";

    /**
     * The headers to send to a server now, typically
     * {@code new ServerAuth.Headers(Map.of("Authorization", "Bearer " + token))}. The type carries the rules (valid
     * names, none the HTTP client controls such as {@code Host}, no line breaks) and masks the values in
     * {@code toString()}.
     *
     * @param server the server the request goes to
     * @return the headers, never {@code null}
     * @throws Exception when no credentials can be had; the request fails with
     *                   {@link ComfyException.Kind#UNAUTHORIZED} and the exception's class and message (so keep
     *                   secrets out of it), or with {@link ComfyException.Kind#CONNECTION_FAILED}, which is transient
     *                   (the queue tries the job again later), for an {@link java.io.IOException}: throw one when the
     *                   credentials are out of reach for now (a vault that does not answer, a token file not written
     *                   yet)
     */
    ServerAuth.Headers headers(ServerDescriptor server) throws Exception;

    /**
     * The server answered 401 to the headers {@link #headers} gave last: forget any cached credentials of this
     * server, so that the next {@link #headers} call fetches fresh ones. The request is then retried once. (A 403
     * does not count: ComfyUI itself answers 403 for forbidden paths, which new credentials would not change.)
     * The default does nothing.
     *
     * @param server the server that rejected the credentials
     */
    default void rejected(ServerDescriptor server) {
        // nothing cached by default
    }
}
