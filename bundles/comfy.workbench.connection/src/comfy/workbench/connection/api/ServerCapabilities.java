package comfy.workbench.connection.api;

import java.util.Objects;

/**
 * What a server can do, found by probing it ({@code /system_stats}, {@code /features}, {@code /api/jobs?limit=1}).
 *
 * @param stats    its system stats (version, devices, RAM)
 * @param features its feature flags ({@link FeatureFlags#NONE} when it has no {@code /features})
 * @param jobsApi  whether it has the {@code /api/jobs} family (ComfyUI 0.6+)
 */
public record ServerCapabilities(SystemStats stats, FeatureFlags features, boolean jobsApi) {

    public ServerCapabilities {
        Objects.requireNonNull(stats, "stats");
        Objects.requireNonNull(features, "features");
    }

    /** The server's ComfyUI version, {@code ""} when unknown. */
    public String version() {
        return stats.comfyuiVersion();
    }
}
