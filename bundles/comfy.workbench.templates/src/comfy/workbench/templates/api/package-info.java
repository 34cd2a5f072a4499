/**
 * Templates: a workflow plus named, typed parameters, so that users run "portrait, seed random, 30 steps" instead
 * of editing node ids.
 * <ul>
 * <li>{@link comfy.workbench.templates.api.Parameter}: a name, a label, a
 * {@link comfy.workbench.templates.api.ParameterType type} with the constraints of the node schema (min, max,
 * step, combo options), a default, and one or more {@link comfy.workbench.templates.api.Binding bindings} (node id
 * and input name) its value is written to.</li>
 * <li>{@link comfy.workbench.templates.api.TemplateService}: derives parameters from a workflow and its node schema
 * (picked inputs, or the frontend's App-mode {@code extra.linearData}); previews the resolved graph, its
 * difference from the base workflow and its validation without running anything; instantiates with checked
 * values (IMAGE files uploaded to the target server, {@code "random"} seeds drawn); expands sweeps into their
 * cartesian product with a cap and the count known first.</li>
 * <li>{@link comfy.workbench.templates.api.TemplateLibrary}: templates stored as the workflow library stores
 * workflows (crash-safe, revision-checked, searchable), in {@code templates/} under the data folder; a binding that
 * no longer points at a node input of the template's workflow is reported when the template is read
 * ({@link comfy.workbench.templates.api.Template#problems()}), and such a template is refused when it is run.</li>
 * </ul>
 * Every refusal is a {@link comfy.workbench.templates.api.TemplateException} naming the parameter and what was
 * wrong. Values cross this API as plain Java values: {@code Number} (or numeric text), {@code String},
 * {@code Boolean}, {@code java.nio.file.Path} for IMAGE files, or {@value comfy.workbench.templates.api.Parameter#RANDOM}
 * for seeds.
 */
@org.osgi.annotation.versioning.Version("0.2.0")
package comfy.workbench.templates.api;
