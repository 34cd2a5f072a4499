package comfy.workbench.templates.api;

import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * A checked sweep: every value of every axis fits its parameter, and {@link #count()} instances (the cartesian
 * product, at most the cap it was planned with) will come out. The combinations are produced one at a time, the
 * last axis varying fastest.
 *
 * @param template the template
 * @param axes     the axes
 * @param fixed    the values of the parameters no axis sweeps
 * @param count    the number of instances
 */
public record SweepPlan(Template template, List<SweepAxis> axes, Map<String, Object> fixed, long count) {

    public SweepPlan {
        Objects.requireNonNull(template, "template");
        axes = List.copyOf(axes);
        fixed = Collections.unmodifiableMap(new LinkedHashMap<>(fixed));
    }

    /** The values of each instance: the fixed values plus one value of each axis. */
    public Iterable<Map<String, Object>> combinations() {
        return () -> new Iterator<>() {
            private long next;

            @Override
            public boolean hasNext() {
                return next < count;
            }

            @Override
            public Map<String, Object> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Map<String, Object> values = new LinkedHashMap<>(fixed);
                long rest = next++;
                for (int i = axes.size() - 1; i >= 0; i--) {
                    List<Object> axis = axes.get(i).values();
                    values.put(axes.get(i).parameter(), axis.get((int) (rest % axis.size())));
                    rest /= axis.size();
                }
                return values;
            }
        };
    }
}
