package comfy.workbench.connection.internal;

import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import comfy.workbench.connection.api.ComfyException;
import comfy.workbench.connection.api.ComfyException.Kind;
import comfy.workbench.connection.api.CredentialProvider;
import comfy.workbench.connection.api.ServerAuth;
import comfy.workbench.connection.api.ServerCredentials;
import comfy.workbench.connection.api.ServerDescriptor;

/**
 * Resolves every server's headers: stored auth as it is, provided auth from the {@link CredentialProvider} whiteboard.
 * A provider is asked on a thread of its own with a time limit, so that a stuck vault fails a request instead of
 * hanging it (and the monitor's socket thread behind it).
 * <p>
 * Usable without activation for stored auth only (the benchmarks build clients outside OSGi).
 */
@Component(service = ServerCredentials.class, configurationPid = CredentialsComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = CredentialsComponent.Config.class)
public final class CredentialsComponent implements ServerCredentials {

    static final String PID = "comfy.workbench.connection.credentials";

    /** Configuration of the credential resolution. */
    @ObjectClassDefinition(name = "Comfy Workbench server credentials",
            description = "How credential providers are asked for a server's headers")
    public @interface Config {
        @AttributeDefinition(name = "Provider time limit (ms)",
                description = "A provider that takes longer fails the request", min = "1")
        long providerTimeoutMillis() default 10_000;
    }

    private static final Logger LOG = LoggerFactory.getLogger(CredentialsComponent.class);

    /** The highest ranking first, as {@link ServiceReference#compareTo} orders them. */
    private static final Comparator<Registered> RANKING = Comparator.comparing(Registered::reference,
            Comparator.reverseOrder());

    private final List<Registered> providers = new CopyOnWriteArrayList<>();
    private final ExecutorService askers = Executors.newCachedThreadPool(new Daemons());
    private volatile long timeoutMillis = 10_000;

    @Activate
    @Modified
    void configure(Config config) {
        if (config.providerTimeoutMillis() < 1) {
            throw new IllegalArgumentException("providerTimeoutMillis must be positive: " + config.providerTimeoutMillis());
        }
        timeoutMillis = config.providerTimeoutMillis();
    }

    @Deactivate
    void deactivate() {
        askers.shutdownNow();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addProvider(ServiceReference<CredentialProvider> reference, CredentialProvider provider) {
        Object name = reference.getProperty(CredentialProvider.NAME);
        if (!(name instanceof String text) || !text.matches("[A-Za-z0-9._-]{1,64}")) {
            LOG.warn("credential provider {} is ignored: its service property {} must be a name of 1-64 characters "
                    + "of [A-Za-z0-9._-], not {}", provider.getClass().getName(), CredentialProvider.NAME, name);
            return;
        }
        providers.add(new Registered(text, reference, provider));
    }

    void removeProvider(ServiceReference<CredentialProvider> reference) {
        providers.removeIf(r -> r.reference().equals(reference));
    }

    @Override
    public Map<String, String> headers(ServerDescriptor server, String route) throws ComfyException {
        if (!(server.auth() instanceof ServerAuth.Provided provided)) {
            return server.auth().headers();
        }
        String name = provided.provider();
        CredentialProvider provider = provider(name).orElseThrow(() -> new ComfyException(Kind.UNAUTHORIZED,
                server.id(), route, "its credential provider '" + name + "' is not registered (registered: "
                        + (providers().isEmpty() ? "none" : String.join(", ", providers())) + ")",
                null));
        ServerAuth.Headers headers = ask(server, route, name, provider);
        if (headers == null) {
            throw new ComfyException(Kind.UNAUTHORIZED, server.id(), route,
                    "its credential provider '" + name + "' returned no headers (null)", null);
        }
        return headers.values();
    }

    @Override
    public boolean rejected(ServerDescriptor server) {
        if (!(server.auth() instanceof ServerAuth.Provided provided)) {
            return false;
        }
        Optional<CredentialProvider> provider = provider(provided.provider());
        if (provider.isEmpty()) {
            return false;
        }
        try {
            provider.get().rejected(server);
        } catch (RuntimeException e) {
            // it is asked again anyway; a failure to forget must not hide the 401 being handled
            LOG.warn("credential provider '{}' failed to take back the credentials of server {}: {}",
                    provided.provider(), server.id(), e.toString());
        }
        return true;
    }

    @Override
    public SortedSet<String> providers() {
        TreeSet<String> names = new TreeSet<>();
        providers.forEach(r -> names.add(r.name()));
        return Collections.unmodifiableSortedSet(names);
    }

    private Optional<CredentialProvider> provider(String name) {
        return providers.stream().filter(r -> r.name().equals(name)).sorted(RANKING).findFirst()
                .map(Registered::provider);
    }

    private ServerAuth.Headers ask(ServerDescriptor server, String route, String name, CredentialProvider provider)
            throws ComfyException {
        long limit = timeoutMillis;
        Future<ServerAuth.Headers> answer;
        try {
            answer = askers.submit(() -> provider.headers(server));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            throw new ComfyException(Kind.UNAUTHORIZED, server.id(), route,
                    "the server credentials service has stopped; credential provider '" + name + "' not asked", e);
        }
        try {
            return answer.get(limit, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw new ComfyException(Kind.TIMEOUT, server.id(), route,
                    "its credential provider '" + name + "' gave no headers within " + limit + " ms", null);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            // only the message, as the provider wrote it: its stack is for its own log. An IllegalArgumentException
            // is mostly ServerAuth.Headers refusing a header (Host, a line break), which it names without the value.
            // An I/O failure (a vault or token file out of reach for now) is transient: the queue tries the job again
            // later instead of failing it
            throw new ComfyException(cause instanceof java.io.IOException ? Kind.CONNECTION_FAILED : Kind.UNAUTHORIZED,
                    server.id(), route, "its credential provider '" + name + "' failed: "
                            + cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": "
                                    + cause.getMessage()), null);
        } catch (InterruptedException e) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
            throw new ComfyException(Kind.INTERRUPTED, server.id(), route,
                    "interrupted while waiting for credential provider '" + name + "'", e);
        }
    }

    private record Registered(String name, ServiceReference<CredentialProvider> reference,
            CredentialProvider provider) {
    }

    private static final class Daemons implements java.util.concurrent.ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "comfy-credentials-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }
}
