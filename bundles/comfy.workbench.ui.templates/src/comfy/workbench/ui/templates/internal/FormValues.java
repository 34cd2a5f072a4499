package comfy.workbench.ui.templates.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import comfy.workbench.templates.api.Parameter;
import comfy.workbench.templates.api.ParameterType;
import comfy.workbench.templates.api.SweepAxis;

/**
 * What the parameter form's fields say: a value per parameter, or a sweep of several. Numbers and combo choices are
 * separated by commas ({@code 20, 30, 40}); text and image files by {@code |}, because a prompt has commas of its own
 * ({@code a cat, sunset | a dog, dawn}; a {@code |} inside braces, the wildcard syntax, stays in the text). The values
 * go to the template service as they were typed: it checks them all at once and names each bad one.
 *
 * @param fixed the parameters with one value
 * @param axes  the parameters with several, in the form's order
 */
record FormValues(Map<String, Object> fixed, List<SweepAxis> axes) {

    FormValues {
        fixed = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fixed));
        axes = List.copyOf(axes);
    }

    /**
     * @param parameters the template's parameters
     * @param fields     each parameter's field: its text, or a {@code Boolean} for a check box
     */
    static FormValues of(List<Parameter> parameters, Map<String, Object> fields) {
        Map<String, Object> fixed = new LinkedHashMap<>();
        List<SweepAxis> axes = new ArrayList<>();
        for (Parameter p : parameters) {
            Object field = fields.get(p.name());
            if (field == null) {
                continue; // not in the form: the default applies
            }
            if (!(field instanceof String text)) {
                fixed.put(p.name(), field);
                continue;
            }
            List<String> values = split(p, text);
            if (values.size() == 1) {
                fixed.put(p.name(), values.get(0));
            } else {
                axes.add(new SweepAxis(p.name(), List.copyOf(values)));
            }
        }
        return new FormValues(fixed, axes);
    }

    /** The values a field's text stands for: one, or several for a sweep. */
    static List<String> split(Parameter p, String text) {
        List<String> pieces = switch (p.type()) {
            case INT, FLOAT -> List.of(text.split(",", -1));
            // an option's own name may have a comma in it
            case COMBO -> p.options().contains(text.strip()) ? List.of(text) : List.of(text.split(",", -1));
            case STRING, IMAGE -> bars(text);
            case BOOLEAN -> List.of(text);
        };
        if (pieces.size() == 1) {
            return List.of(p.type() == ParameterType.STRING ? text : text.strip());
        }
        return pieces.stream().map(String::strip).toList();
    }

    /** How the field of a parameter separates the values of a sweep, for its hint. */
    static String separator(ParameterType type) {
        return type == ParameterType.STRING || type == ParameterType.IMAGE ? " | " : ", ";
    }

    /** Splits at each {@code |} outside braces. */
    private static List<String> bars(String text) {
        List<String> pieces = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && depth > 0) {
                depth--;
            } else if (c == '|' && depth == 0) {
                pieces.add(text.substring(start, i));
                start = i + 1;
            }
        }
        pieces.add(text.substring(start));
        return pieces;
    }

    /** How many combinations the axes make (the service's plan has the checked count). */
    long combinations() {
        long n = 1;
        for (SweepAxis a : axes) {
            n = n > Long.MAX_VALUE / a.values().size() ? Long.MAX_VALUE : n * a.values().size();
        }
        return n;
    }

    /** {@code steps × cfg}, for messages. */
    String sweptNames() {
        return axes.stream().map(SweepAxis::parameter).collect(Collectors.joining(" \u00d7 "));
    }
}
