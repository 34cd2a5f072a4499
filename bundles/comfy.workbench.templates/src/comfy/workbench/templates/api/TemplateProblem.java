package comfy.workbench.templates.api;

import java.util.Objects;

/**
 * A binding that does not fit the template's workflow: its node or input is gone, or the input is fed by a link.
 *
 * @param parameter the parameter
 * @param binding   the binding
 * @param message   what is wrong, naming the node, its class and the input
 */
public record TemplateProblem(String parameter, Binding binding, String message) {

    public TemplateProblem {
        Objects.requireNonNull(parameter, "parameter");
        Objects.requireNonNull(binding, "binding");
        Objects.requireNonNull(message, "message");
    }
}
