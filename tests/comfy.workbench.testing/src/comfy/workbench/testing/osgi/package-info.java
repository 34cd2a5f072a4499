/**
 * Helpers for tests that run inside the OSGi framework: services, configuration, component states, and waiting on
 * conditions with a deadline.
 */
package comfy.workbench.testing.osgi;
