package comfy.workbench.monitor.tests;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import comfy.workbench.monitor.api.EventType;
import comfy.workbench.monitor.api.ExecutionListener;
import comfy.workbench.monitor.api.MonitorEvent;
import comfy.workbench.monitor.api.PromptFinishedEvent;
import comfy.workbench.testing.osgi.Eventually;

/** An {@link ExecutionListener} that keeps every event it receives, in order. */
final class Recorder implements ExecutionListener {

    private final List<MonitorEvent> events = new ArrayList<>();

    @Override
    public synchronized void onEvent(MonitorEvent event) {
        events.add(event);
    }

    synchronized List<MonitorEvent> events() {
        return List.copyOf(events);
    }

    List<MonitorEvent> events(String promptId) {
        return events().stream().filter(e -> promptId.equals(e.promptId())).toList();
    }

    List<EventType> types(String promptId) {
        return events(promptId).stream().map(MonitorEvent::type).toList();
    }

    List<PromptFinishedEvent> finished(String promptId) {
        return events(promptId).stream().filter(PromptFinishedEvent.class::isInstance)
                .map(PromptFinishedEvent.class::cast).toList();
    }

    /** Waits until an event matching the condition arrived, and returns the first such. */
    <T extends MonitorEvent> T await(String what, Class<T> type, Predicate<T> condition) throws Exception {
        return Eventually.value(what, () -> events().stream().filter(type::isInstance).map(type::cast)
                .filter(condition).findFirst());
    }
}
