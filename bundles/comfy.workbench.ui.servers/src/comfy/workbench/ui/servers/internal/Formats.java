package comfy.workbench.ui.servers.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

import comfy.workbench.connection.api.Device;
import comfy.workbench.connection.api.QueueSnapshot;
import comfy.workbench.connection.api.ServerCapabilities;
import comfy.workbench.connection.api.ServerHealth;
import comfy.workbench.monitor.api.MonitorStats;
import comfy.workbench.ui.common.Times;

/** The texts of the Servers view's cells, kept apart from the widgets so that they read the same everywhere. */
final class Formats {

    /** What a cell shows when there is nothing to show, rather than an empty cell that looks like a bug. */
    static final String NONE = Times.NONE;

    /**
     * The time of the last probe without its date, as this view has always shown it ({@link Times#time} would add the
     * date to a probe of another day).
     */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT)
            .withZone(ZoneId.systemDefault());

    private Formats() {
    }

    static String latency(Optional<Duration> latency) {
        return latency.map(d -> d.toMillis() + " ms").orElse(NONE);
    }

    static String version(ServerHealth health) {
        return health.capabilities().map(ServerCapabilities::version).filter(v -> !v.isEmpty()).orElse(NONE);
    }

    /** Every device as {@code name  free / total}, primary first. */
    static String devices(ServerHealth health) {
        return health.capabilities()
                .map(c -> c.stats().devices().stream().map(Formats::device).collect(Collectors.joining("; ")))
                .filter(s -> !s.isEmpty()).orElse(NONE);
    }

    static String device(Device d) {
        String vram = d.vramTotal() > 0 ? "  " + bytes(d.vramFree()) + " free / " + bytes(d.vramTotal()) : "";
        return shortName(d) + vram;
    }

    /** The device name without the allocator suffix CUDA servers append ({@code "... : cudaMallocAsync"}). */
    static String shortName(Device d) {
        int colon = d.name().indexOf(" : ");
        return colon > 0 ? d.name().substring(0, colon) : d.name();
    }

    static String devicesDetail(ServerHealth health) {
        return health.capabilities().map(c -> c.stats().devices().stream()
                .map(d -> d.name() + "\n  VRAM " + bytes(d.vramFree()) + " free of " + bytes(d.vramTotal())
                        + "\n  torch " + bytes(d.torchVramFree()) + " free of " + bytes(d.torchVramTotal()))
                .collect(Collectors.joining("\n"))).orElse("");
    }

    static String queue(Optional<QueueSnapshot> queue) {
        return queue.map(q -> q.running().size() + " running, " + q.pending().size() + " pending").orElse(NONE);
    }

    /** The monitor's socket to the server: its state and, while open, the rate of events over the last minute. */
    static String events(Optional<MonitorStats> stats) {
        return stats.map(s -> switch (s.state()) {
            case CONNECTED -> String.format(Locale.ROOT, "connected, %.0f/s", s.messagesPerSecond1m());
            case CONNECTING -> "connecting\u2026";
            case DISCONNECTED -> "lost, retrying";
            case STOPPED -> "stopped";
        }).orElse(NONE);
    }

    /** The events cell's tooltip: what to look at when a server's progress or results do not show. */
    static String eventsDetail(MonitorStats s) {
        StringBuilder b = new StringBuilder("WebSocket ").append(s.state().name().toLowerCase(Locale.ROOT));
        if (s.connectedSince() != null) {
            b.append(" since ").append(checkedAt(s.connectedSince()));
        }
        b.append("\nsockets opened: ").append(s.connects()).append(", after a loss: ").append(s.reconnects())
                .append(String.format(Locale.ROOT, "%nmessages: %,d (%,d text, %,d binary), %s", s.messages(),
                        s.textFrames(), s.binaryFrames(), bytes(s.bytes())))
                .append(String.format(Locale.ROOT, "%nrate: %.1f/s last second, %.1f/s last minute",
                        s.messagesPerSecond1s(), s.messagesPerSecond1m()))
                .append(String.format(Locale.ROOT, "%nto listeners: median %.2f ms, p99 %.2f ms",
                        s.dispatchP50Nanos() / 1e6, s.dispatchP99Nanos() / 1e6));
        if (s.reconciledPrompts() + s.lostPrompts() > 0) {
            b.append("\nprompts found in the history: ").append(s.reconciledPrompts()).append(", lost by the server: ")
                    .append(s.lostPrompts());
        }
        if (s.droppedPreviews() > 0) {
            b.append("\npreviews dropped (a listener fell behind): ").append(s.droppedPreviews());
        }
        if (s.badFrameCount() > 0) {
            b.append("\nframes not understood: ").append(s.badFrames().entrySet().stream()
                    .map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", ")));
        }
        if (s.evictedListeners() > 0) {
            b.append("\nlisteners disconnected (buffer full): ").append(s.evictedListeners());
        }
        if (s.lastFrameAt() != null) {
            b.append("\nlast message: ").append(checkedAt(s.lastFrameAt()));
        }
        if (s.lastError() != null) {
            b.append("\nlast error: ").append(s.lastError())
                    .append(s.lastErrorAt() == null ? "" : " (" + checkedAt(s.lastErrorAt()) + ")");
        }
        return b.toString();
    }

    static String checkedAt(Instant when) {
        return Instant.EPOCH.equals(when) ? "never" : TIME.format(when);
    }

    /** Binary units, as GPU tools and ComfyUI's own UI show memory. */
    static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = { "KiB", "MiB", "GiB", "TiB" };
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    /** The health cell's tooltip: the reason first, since that is what the user hovers for. */
    static String healthDetail(ServerHealth health) {
        StringBuilder b = new StringBuilder(health.state().name()).append(": ").append(health.reason());
        health.failure().ifPresent(f -> b.append("\nfailure: ").append(f.name()));
        b.append("\nchecked: ").append(checkedAt(health.checkedAt()));
        health.capabilities().ifPresent(c -> {
            b.append("\nPython ").append(c.stats().pythonVersion().lines().findFirst().orElse(""))
                    .append("\nPyTorch ").append(c.stats().pytorchVersion())
                    .append("\nRAM ").append(bytes(c.stats().ramFree())).append(" free of ")
                    .append(bytes(c.stats().ramTotal()))
                    .append("\njobs API: ").append(c.jobsApi() ? "yes" : "no");
        });
        return b.toString();
    }
}
