/**
 * Classes the tests copy into the extension jars they build: compiled here, loaded there by the extension's own class
 * loader.
 */
package comfy.workbench.extensions.tests.samples;
