/**
 * Support for the views' SWT tests under Xvfb: waiting on the event loop, finding widgets by the name each view gives
 * them, reading tables, clicking, screenshots, and the {@code UISynchronize} of a plain display.
 */
@org.osgi.annotation.versioning.Version("0.1.0")
package comfy.workbench.testing.ui;
