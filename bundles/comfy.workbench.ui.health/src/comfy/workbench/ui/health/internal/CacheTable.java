package comfy.workbench.ui.health.internal;

import java.util.List;
import java.util.Locale;

import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;

import comfy.workbench.ui.common.RowTable;

/** Every cache of the cache manager: requests, hit rate, evictions, size in memory and on disk, advice. */
final class CacheTable {

    /** Column headers, in order; tests read cells by these indexes. */
    static final List<String> COLUMNS = List.of("Cache", "Hit rate", "Hits / misses", "Evictions", "Entries",
            "Memory", "Disk", "Advice");
    static final int NAME = 0;
    static final int HIT_RATE = 1;
    static final int REQUESTS = 2;
    static final int EVICTIONS = 3;
    static final int ENTRIES = 4;
    static final int MEMORY = 5;
    static final int DISK = 6;
    static final int ADVICE = 7;

    private final RowTable<CacheRow> columns;

    CacheTable(Composite parent, Icons icons) {
        columns = new RowTable<>(parent, CacheRow.class, CacheRow::name, SWT.SINGLE)
                .column(COLUMNS.get(NAME), 16, 120, CacheRow::name, null, r -> icons.status(r.status()))
                .column(COLUMNS.get(HIT_RATE), 6, 60, r -> r.stats().requests() == 0 ? "\u2013"
                        : String.format(Locale.ROOT, "%.1f %%", r.stats().hitRate() * 100), null, null)
                .column(COLUMNS.get(REQUESTS), 8, 80, r -> r.stats().hits() + " / " + r.stats().misses(),
                        r -> "loads: " + r.stats().loadSuccesses() + " ok, " + r.stats().loadFailures()
                                + " failed, " + r.stats().averageLoadTime().toMillis() + " ms on average",
                        null)
                .column(COLUMNS.get(EVICTIONS), 6, 60, r -> Long.toString(r.stats().evictions()),
                        r -> "size " + r.stats().sizeEvictions() + ", expired " + r.stats().expiredEvictions()
                                + ", disk " + r.stats().diskEvictions() + ", removed " + r.stats().explicitRemovals()
                                + ", replaced " + r.stats().replacements(),
                        null)
                .column(COLUMNS.get(ENTRIES), 5, 50, r -> Long.toString(r.stats().entryCount()), null, null)
                .column(COLUMNS.get(MEMORY), 6, 60, r -> kib(r.stats().weightBytes()), null, null)
                .column(COLUMNS.get(DISK), 8, 70, r -> r.stats().diskEntries() == 0 && r.stats().diskBytes() == 0 ? "\u2013"
                        : kib(r.stats().diskBytes()) + " in " + r.stats().diskEntries(),
                        r -> "corrupt files dropped: " + r.stats().diskCorrupt() + ", disk errors: "
                                + r.stats().diskErrors(),
                        null)
                .column(COLUMNS.get(ADVICE), 24, 120, r -> String.join("; ", r.advice()),
                        r -> String.join("\n", r.advice()), null);
    }

    private static String kib(long bytes) {
        return bytes < 1024 ? bytes + " B" : (bytes >> 10) + " KiB";
    }

    TableViewer viewer() {
        return columns.viewer();
    }
}
