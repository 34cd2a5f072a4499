/**
 * Abstract contract tests for the platform's extension points: an extender subclasses one, supplies its service, and
 * runs it in its own OSGi test bundle next to the platform's bundles.
 */
@org.osgi.annotation.versioning.Version("0.2.0")
package comfy.workbench.testing.contracts;
