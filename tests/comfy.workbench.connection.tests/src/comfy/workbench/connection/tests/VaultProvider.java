package comfy.workbench.connection.tests;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import comfy.workbench.connection.api.CredentialProvider;
import comfy.workbench.connection.api.ServerAuth;
import comfy.workbench.connection.api.ServerDescriptor;

/**
 * A credential provider as a vault client would be: it fetches the current token from its source (the "vault") and
 * keeps it until the server rejects it, counting fetches and rejections.
 */
final class VaultProvider implements CredentialProvider {

    private final AtomicReference<String> vault;
    private final AtomicReference<String> cached = new AtomicReference<>();
    private final AtomicInteger fetches = new AtomicInteger();
    private final AtomicInteger rejections = new AtomicInteger();

    VaultProvider(String token) {
        this.vault = new AtomicReference<>(token);
    }

    /** The vault's token changes; the provider still holds the old one. */
    void rotate(String token) {
        vault.set(token);
    }

    int fetches() {
        return fetches.get();
    }

    int rejections() {
        return rejections.get();
    }

    @Override
    public ServerAuth.Headers headers(ServerDescriptor server) {
        String token = cached.updateAndGet(current -> {
            if (current != null) {
                return current;
            }
            fetches.incrementAndGet();
            return vault.get();
        });
        return new ServerAuth.Headers(Map.of("Authorization", "Bearer " + token));
    }

    @Override
    public void rejected(ServerDescriptor server) {
        rejections.incrementAndGet();
        cached.set(null);
    }

    @Override
    public String toString() {
        return "VaultProvider[fetches=" + fetches + "]";
    }
}
