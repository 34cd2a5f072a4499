package comfy.workbench.connection.tests;

import comfy.workbench.connection.api.CredentialProvider;
import comfy.workbench.connection.api.ServerDescriptor;
import comfy.workbench.testing.contracts.CredentialProviderContract;

/** The contract run against a provider written as an extender would, the one these tests use as a vault client. */
final class VaultProviderContractTest extends CredentialProviderContract {

    @Override
    protected CredentialProvider provider() {
        return new VaultProvider("tok-vault-SECRET");
    }

    @Override
    protected String name() {
        return "test-vault";
    }

    @Override
    protected ServerDescriptor server() {
        return ServerDescriptor.of("contract", "http://127.0.0.1:8188");
    }
}
