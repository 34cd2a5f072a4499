/**
 * What the workbench's views share, for our own view bundles and extenders' alike: a table of rows of one type built
 * column by column ({@link comfy.workbench.ui.common.RowTable}), the line of summary and last outcome under a
 * view ({@link comfy.workbench.ui.common.StatusLine}), reading off the UI thread with coalesced refreshes
 * ({@link comfy.workbench.ui.common.ViewReader}), running the user's actions off it with their outcome shown
 * ({@link comfy.workbench.ui.common.ViewActions}, since 0.2.0, with the {@link comfy.workbench.ui.common.Refusal}
 * a view explains itself with), the first reachable server's node schema
 * ({@link comfy.workbench.ui.common.ServerSchema}) and the way times are shown ({@link comfy.workbench.ui.common.Times}). Use from the UI thread unless a member says otherwise.
 */
@org.osgi.annotation.versioning.Version("0.3.0")
package comfy.workbench.ui.common;
