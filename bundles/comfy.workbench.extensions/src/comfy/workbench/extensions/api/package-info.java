/**
 * Extensions: third-party bundles a studio adds to the product by dropping their jars into a folder, without
 * rebuilding it.
 * <ul>
 * <li>The folder is {@code <data folder>/extensions/} (the framework property {@code comfy.workbench.extensions}
 * names another). Each {@code *.jar} in it is installed into the framework when the platform starts, before the
 * platform's own components (start level 3), and started at the platform's start level (4); a jar that changed is
 * updated, a jar removed is uninstalled. An extension then plugs in as the platform's own bundles do: whiteboard
 * services (execution listeners, output handlers, job listeners, health checks, server health listeners) and, in the
 * workbench, e4 model fragments.</li>
 * <li>A jar that cannot be used (not a bundle, a duplicate, a requirement nobody provides, an activator that throws)
 * never stops the platform: it is logged and named, with what is wrong, by the health check "extensions" and by
 * {@link comfy.workbench.extensions.api.ExtensionRegistry}, the service that says what became of each jar
 * ({@link comfy.workbench.extensions.api.Extension}).</li>
 * <li>A jar made for the workbench (its views need SWT, JFace and e4) is, in the command line, which runs without
 * the UI, {@link comfy.workbench.extensions.api.ExtensionState#WORKBENCH_ONLY}: installed, not started, not a
 * problem (since 0.2.0).</li>
 * </ul>
 */
@org.osgi.annotation.versioning.Version("0.2.0")
package comfy.workbench.extensions.api;
