/**
 * Connecting to ComfyUI servers.
 *
 * <h2>Concepts</h2>
 * <ul>
 * <li>A {@link comfy.workbench.connection.api.ServerDescriptor} names one ComfyUI server: a stable id, a label,
 * a base URL ({@code http} or {@code https}, optionally with a path prefix for servers behind a reverse proxy) and
 * its {@link comfy.workbench.connection.api.ServerAuth}.</li>
 * <li>The {@link comfy.workbench.connection.api.ServerRegistry} service holds the configured servers, persists
 * them and announces changes to {@link comfy.workbench.connection.api.ServerRegistryListener} whiteboard services
 * and on the Event Admin topic {@link comfy.workbench.connection.api.ConnectionTopics#SERVERS}. With nothing
 * configured it offers one server, {@code local} at {@code http://127.0.0.1:8188}.</li>
 * <li>The {@link comfy.workbench.connection.api.ComfyClients} service hands out one
 * {@link comfy.workbench.connection.api.ComfyClient} per server: a blocking client covering every HTTP route of
 * the protocol, always through the {@code /api}-prefixed paths.</li>
 * <li>The {@link comfy.workbench.connection.api.ServerHealthService} probes every server on a schedule and on
 * demand ({@link comfy.workbench.connection.api.ServerHealth}: UP, DEGRADED, DOWN with reason and latency) and
 * announces changes to {@link comfy.workbench.connection.api.ServerHealthListener}s and on
 * {@link comfy.workbench.connection.api.ConnectionTopics#HEALTH}.</li>
 * <li>{@link comfy.workbench.connection.api.DataLocation} names the folder of the workbench's user data, so that
 * every subsystem keeps its files in one place.</li>
 * </ul>
 *
 * <h2>Credentials supplied at request time</h2>
 * A server whose auth is {@link comfy.workbench.connection.api.ServerAuth.Provided} gets its headers from the
 * {@link comfy.workbench.connection.api.CredentialProvider} whiteboard service of that name, asked before every
 * request and WebSocket upgrade through the {@link comfy.workbench.connection.api.ServerCredentials} service. A 401
 * answer tells the provider ({@code rejected}), asks it again and retries the request once. A provider that is
 * missing, fails, is too slow or gives headers that cannot be sent fails the request with a message naming the
 * server, the provider and the reason. The connection bundle ships one: {@code token-file}, a bearer token read from
 * a file per server (configuration PID {@code comfy.workbench.connection.tokenfile}).
 *
 * <h2>Failures</h2>
 * Every client call either returns a decoded value or throws a {@link comfy.workbench.connection.api.ComfyException}
 * whose {@link comfy.workbench.connection.api.ComfyException.Kind} says what went wrong (connection refused,
 * timeout, HTTP status, unauthorized, a body that is not what the protocol says, ...) and whose message names the
 * server and the route. A prompt the server refuses raises the subtype
 * {@link comfy.workbench.connection.api.PromptRejectedException}, carrying the server's validation errors.
 *
 * <h2>Secrets</h2>
 * Tokens, passwords and custom header values never appear in the registry file, in logs or in {@code toString()}.
 * The implementation keeps them in a separate store, readable by the owner only, encrypted with AES-GCM under a key
 * kept in its own owner-only file. (Equinox secure storage is not on Maven Central in a headless-usable form: on
 * Linux without a UI it protects its master password with nothing stronger than a file beside it, so the own store
 * gives the same protection with no extra bundles.)
 *
 * <h2>Threads</h2>
 * All services are thread-safe. Client calls block on network I/O: never call them from the UI thread.
 */
@org.osgi.annotation.versioning.Version("0.2.0")
package comfy.workbench.connection.api;
