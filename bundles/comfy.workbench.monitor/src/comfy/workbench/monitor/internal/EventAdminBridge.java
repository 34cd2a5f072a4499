package comfy.workbench.monitor.internal;

import java.util.HashMap;
import java.util.Map;

import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

import comfy.workbench.monitor.api.ExecutionListener;
import comfy.workbench.monitor.api.MonitorEvent;
import comfy.workbench.monitor.api.MonitorTopics;

/** Posts monitor events to Event Admin; runs as a listener of its own, so a slow Event Admin delays only itself. */
final class EventAdminBridge implements ExecutionListener {

    private volatile EventAdmin eventAdmin;

    void eventAdmin(EventAdmin admin) {
        this.eventAdmin = admin;
    }

    @Override
    public void onEvent(MonitorEvent event) {
        EventAdmin admin = eventAdmin;
        if (admin == null) {
            return;
        }
        Map<String, Object> properties = new HashMap<>(4);
        properties.put(MonitorTopics.SERVER_ID, event.serverId());
        if (event.promptId() != null) {
            properties.put(MonitorTopics.PROMPT_ID, event.promptId());
        }
        properties.put(MonitorTopics.EVENT, event);
        admin.postEvent(new Event(event.type().topic(), properties));
    }
}
