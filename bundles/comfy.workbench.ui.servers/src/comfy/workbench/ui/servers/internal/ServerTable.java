package comfy.workbench.ui.servers.internal;

import java.util.List;

import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;

import comfy.workbench.connection.api.ServerAuth;
import comfy.workbench.ui.common.RowTable;

/**
 * The table of the Servers view: one row per server, one column per fact. Rows are matched by server id, so that a
 * refresh updates cells in place and keeps the selection.
 */
final class ServerTable {

    /** Column headers, in order; tests read cells by these indexes. */
    static final List<String> COLUMNS = List.of("Name", "URL", "Health", "Latency", "Version", "Devices (VRAM)", "Queue",
            "Events");
    static final int NAME = 0;
    static final int URL = 1;
    static final int HEALTH = 2;
    static final int LATENCY = 3;
    static final int VERSION = 4;
    static final int DEVICES = 5;
    static final int QUEUE = 6;
    static final int EVENTS = 7;

    private final RowTable<ServerRow> table;

    ServerTable(Composite parent) {
        table = new RowTable<>(parent, ServerRow.class, ServerRow::id, SWT.SINGLE);
        // the state images live as long as the table that shows them
        Icons icons = new Icons(table.viewer().getControl());
        table.column(COLUMNS.get(NAME), 13, 110, r -> r.server().label(),
                r -> r.server().label() + " (" + r.id() + ")\nauth: " + authText(r.server().auth()), null)
                .column(COLUMNS.get(URL), 17, 140, r -> r.server().baseUrl().toString(), null, null)
                .column(COLUMNS.get(HEALTH), 9, 84, r -> r.health().state().name(),
                        r -> Formats.healthDetail(r.health()), r -> icons.state(r.health().state()))
                .column(COLUMNS.get(LATENCY), 6, 64, r -> Formats.latency(r.health().latency()), null, null)
                .column(COLUMNS.get(VERSION), 6, 64, r -> Formats.version(r.health()), null, null)
                .column(COLUMNS.get(DEVICES), 22, 170, r -> Formats.devices(r.health()),
                        r -> Formats.devicesDetail(r.health()), null)
                .column(COLUMNS.get(QUEUE), 14, 136, r -> Formats.queue(r.queue()), null, null)
                .column(COLUMNS.get(EVENTS), 12, 110, r -> Formats.events(r.events()),
                        r -> r.events().map(Formats::eventsDetail).orElse(null), null);
    }

    /** The kind of auth, and for provided auth whose provider: a name, no secret. */
    static String authText(ServerAuth auth) {
        return auth instanceof ServerAuth.Provided p ? "provided by " + p.provider() : auth.kind();
    }

    TableViewer viewer() {
        return table.viewer();
    }
}
