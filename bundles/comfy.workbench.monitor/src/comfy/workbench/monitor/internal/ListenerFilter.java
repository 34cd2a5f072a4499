package comfy.workbench.monitor.internal;

import java.util.Collection;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import comfy.workbench.monitor.api.EventType;
import comfy.workbench.monitor.api.ExecutionListener;
import comfy.workbench.monitor.api.MonitorEvent;

/**
 * The filter of one {@link ExecutionListener}, from its service properties. {@code null} sets mean "all".
 *
 * @param servers server ids, or null
 * @param prompts prompt ids, or null
 * @param types   event types, or null
 */
record ListenerFilter(Set<String> servers, Set<String> prompts, Set<EventType> types) {

    static final ListenerFilter ALL = new ListenerFilter(null, null, null);

    /** Reads the filter properties; unknown type names are an error naming the property and the value. */
    static ListenerFilter of(Map<String, ?> properties) {
        Set<String> types = strings(properties.get(ExecutionListener.TYPES));
        Set<EventType> eventTypes = null;
        if (types != null) {
            eventTypes = EnumSet.noneOf(EventType.class);
            for (String t : types) {
                try {
                    eventTypes.add(EventType.valueOf(t.trim()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(ExecutionListener.TYPES + ": no event type " + t
                            + " (one of " + EnumSet.allOf(EventType.class) + ")");
                }
            }
        }
        return new ListenerFilter(strings(properties.get(ExecutionListener.SERVERS)),
                strings(properties.get(ExecutionListener.PROMPTS)), eventTypes);
    }

    boolean accepts(MonitorEvent event) {
        if (types != null && !types.contains(event.type())) {
            return false;
        }
        if (servers != null && !servers.contains(event.serverId())) {
            return false;
        }
        if (prompts != null) {
            String prompt = event.promptId();
            return prompt == null || prompts.contains(prompt);
        }
        return true;
    }

    private static Set<String> strings(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof String s) {
            return Set.of(s);
        }
        if (value instanceof String[] a) {
            return Set.copyOf(java.util.Arrays.asList(a));
        }
        if (value instanceof Collection<?> c) {
            return Set.copyOf(c.stream().map(String::valueOf).toList());
        }
        return Set.of(String.valueOf(value));
    }
}
