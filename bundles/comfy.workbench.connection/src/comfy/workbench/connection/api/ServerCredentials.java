package comfy.workbench.connection.api;

import java.util.Map;
import java.util.SortedSet;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The one place that turns a server's {@link ServerAuth} into the headers of a request, for every client of the
 * platform (HTTP and the monitor's WebSocket): stored auth as it is, {@link ServerAuth.Provided} from the
 * {@link CredentialProvider} of that name, asked on every call.
 */
@ProviderType
public interface ServerCredentials {

    /**
     * The headers to send to a server now.
     *
     * @param server the server
     * @param route  what the headers are for, e.g. {@code GET /api/queue}, for the exception's message
     * @return header name to value (secrets included: never log them)
     * @throws ComfyException {@link ComfyException.Kind#UNAUTHORIZED} when the named provider is not registered,
     *                        throws (also when its {@link ServerAuth.Headers} refused a header) or returns
     *                        {@code null}; {@link ComfyException.Kind#CONNECTION_FAILED} (transient) when it throws an
     *                        {@link java.io.IOException}; {@link ComfyException.Kind#TIMEOUT} when it does not answer
     *                        within the configured limit; {@link ComfyException.Kind#INTERRUPTED}. The message names
     *                        the server and the provider and says what was wrong, never a secret
     */
    Map<String, String> headers(ServerDescriptor server, String route) throws ComfyException;

    /**
     * The server answered 401 to the headers {@link #headers} gave: tells the server's provider (see
     * {@link CredentialProvider#rejected}).
     *
     * @return whether the headers came from a provider, so that asking again may give other ones and the request is
     *         worth one retry; {@code false} for stored auth
     */
    boolean rejected(ServerDescriptor server);

    /** The names of the credential providers registered now, sorted (for a choice in a dialog). */
    SortedSet<String> providers();
}
