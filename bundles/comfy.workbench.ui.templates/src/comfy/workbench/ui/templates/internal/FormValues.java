package comfy.workbench.ui.templates.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import comfy.workbench.templates.api.Parameter;
import comfy.workbench.templates.api.SweepAxis;

/**
 * What the parameter form's fields say: a value per parameter, or a sweep of several, as {@link SweepAxis#split} reads
 * them (numbers and combo choices separated by commas, text and image files by {@code |}). The values go to the
 * template service as they were typed: it checks them all at once and names each bad one.
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
            List<String> values = SweepAxis.split(p, text);
            if (values.size() == 1) {
                fixed.put(p.name(), values.get(0));
            } else {
                axes.add(new SweepAxis(p.name(), List.copyOf(values)));
            }
        }
        return new FormValues(fixed, axes);
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
