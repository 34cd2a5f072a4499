package comfy.workbench.model.api;

import java.util.Objects;

/**
 * One output slot of a node class, from {@code output}, {@code output_name}, {@code output_is_list}
 * and {@code output_tooltips} of {@code /object_info}. A link {@code [node_id, slot]} refers to it by
 * {@code index}.
 *
 * @param index   the slot number, from 0
 * @param type    the type a link from this slot carries ({@code IMAGE}, {@code LATENT}, …); {@code COMBO}
 *                when the server lists the choices instead of a type name
 * @param name    the slot's display name ({@code output_name}; the type when the server gives none)
 * @param isList  whether the slot produces a list that downstream nodes run over one item at a time
 * @param tooltip the tooltip, {@code ""} when there is none
 */
public record NodeOutput(int index, String type, String name, boolean isList, String tooltip) {

    public NodeOutput {
        Objects.requireNonNull(type, "type");
        name = name == null ? type : name;
        tooltip = tooltip == null ? "" : tooltip;
    }
}
