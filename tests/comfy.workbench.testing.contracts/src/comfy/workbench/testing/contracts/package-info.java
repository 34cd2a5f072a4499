/**
 * Abstract contract tests for the platform's extension points: an extender subclasses one, supplies its service, and
 * runs it in its own OSGi test bundle next to the platform's bundles: {@code HealthCheckContract} (needs the service
 * manager), {@code CredentialProviderContract} (needs the connection bundle), {@code DispatchPolicyContract},
 * {@code JobListenerContract} and {@code OutputHandlerContract} (need the queue's API), {@code ExecutionListenerContract}
 * (needs the connection and monitor bundles and runs a prompt on the fake ComfyUI server). Each SPI's package is
 * imported optionally, so that a bundle testing one extension point needs only the bundles of that one.
 */
@org.osgi.annotation.versioning.Version("0.2.0")
package comfy.workbench.testing.contracts;
