package comfy.workbench.monitor.api;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/** Statistics of the monitor, per server. */
@ProviderType
public interface MonitorStatistics {

    /** The statistics of one server, if the monitor knows it. */
    Optional<MonitorStats> statistics(String serverId);

    /** The statistics of every server the monitor knows. */
    List<MonitorStats> all();
}
