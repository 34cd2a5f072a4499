package comfy.workbench.connection.tests;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import comfy.workbench.connection.api.CredentialProvider;
import comfy.workbench.connection.api.ServerDescriptor;
import comfy.workbench.testing.contracts.CredentialProviderContract;
import comfy.workbench.testing.osgi.Osgi;

/** The built-in {@code token-file} provider keeps the contract extenders' providers are held to. */
final class TokenFileProviderContractTest extends CredentialProviderContract {

    @TempDir
    Path tokens;

    @BeforeEach
    void tokenFile() throws Exception {
        Osgi.configure(TokenFileProviderTest.PID, TokenFileProviderTest.COMPONENT, Map.of("folder", tokens.toString()));
        Files.writeString(tokens.resolve("contract.token"), "tok-contract-SECRET\n", StandardCharsets.UTF_8);
    }

    @Override
    protected CredentialProvider provider() throws Exception {
        return TokenFileProviderTest.builtIn();
    }

    @Override
    protected String name() {
        return "token-file";
    }

    @Override
    protected ServerDescriptor server() {
        return ServerDescriptor.of("contract", "http://127.0.0.1:8188");
    }
}
