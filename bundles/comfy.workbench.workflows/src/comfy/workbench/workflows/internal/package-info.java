/**
 * The implementations behind the workflows API: plain final classes with public constructors, usable
 * without OSGi (tests, benchmarks, tools) and registered as DS components. Exported only to friends.
 */
package comfy.workbench.workflows.internal;
