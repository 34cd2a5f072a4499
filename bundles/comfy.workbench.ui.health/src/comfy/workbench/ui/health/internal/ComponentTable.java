package comfy.workbench.ui.health.internal;

import java.util.Comparator;
import java.util.List;

import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;

import comfy.workbench.manager.api.ComponentInfo;
import comfy.workbench.manager.api.ComponentState;
import comfy.workbench.ui.common.RowTable;

/**
 * Every Declarative Services component: one row per component configuration, those that need attention (failed,
 * waiting for a service or a configuration) first, then by bundle and name.
 */
final class ComponentTable {

    /** Column headers, in order; tests read cells by these indexes. */
    static final List<String> COLUMNS = List.of("State", "Component", "Bundle", "Services", "Missing / Failure");
    static final int STATE = 0;
    static final int NAME = 1;
    static final int BUNDLE = 2;
    static final int SERVICES = 3;
    static final int PROBLEM = 4;

    /** Problems first, the worst first; then the manager's order (bundle, name, configuration). */
    static final Comparator<ComponentInfo> PROBLEMS_FIRST = Comparator.comparingInt(c -> rank(c.state()));

    private final RowTable<ComponentInfo> columns;

    ComponentTable(Composite parent, Icons icons) {
        columns = new RowTable<>(parent, ComponentInfo.class, ComponentTable::key, SWT.SINGLE)
                .column(COLUMNS.get(STATE), 9, 110, c -> c.state().name(), Formats::componentDetail,
                        c -> icons.state(c.state()))
                .column(COLUMNS.get(NAME), 30, 200, ComponentInfo::name, Formats::componentDetail, null)
                .column(COLUMNS.get(BUNDLE), 12, 120, ComponentInfo::bundle, null, null)
                .column(COLUMNS.get(SERVICES), 12, 110, Formats::services,
                        c -> String.join("\n", c.services()), null)
                .column(COLUMNS.get(PROBLEM), 27, 160, Formats::problem, Formats::componentDetail, null);
    }

    TableViewer viewer() {
        return columns.viewer();
    }

    Composite holder() {
        return columns.holder();
    }

    /** A component configuration's identity in the table: its name and its configuration. */
    static String key(ComponentInfo c) {
        return c.name() + "#" + c.configurationId();
    }

    private static int rank(ComponentState state) {
        return switch (state) {
            case FAILED -> 0;
            case UNSATISFIED_REFERENCE -> 1;
            case UNSATISFIED_CONFIGURATION -> 2;
            default -> 3;
        };
    }
}
