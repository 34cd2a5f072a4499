/**
 * Implementation of the model's JSON codec: a parser for JSON as Python's {@code json} module reads and
 * writes it (bare {@code NaN}/{@code Infinity}, numbers kept as written). Not API; use
 * {@link comfy.workbench.model.api.ComfyJson}.
 */
package comfy.workbench.model.internal;
