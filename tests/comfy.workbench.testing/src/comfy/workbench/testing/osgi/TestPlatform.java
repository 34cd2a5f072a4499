package comfy.workbench.testing.osgi;

import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/** The configuration the platform's service tests share: a private data folder and a monitor that reconnects fast. */
public final class TestPlatform {

    public static final String DATA = "comfy.workbench.connection.internal.DataLocationComponent";
    public static final String REGISTRY = "comfy.workbench.connection.internal.ServerRegistryComponent";
    public static final String MONITOR = "comfy.workbench.monitor.internal.MonitorComponent";

    private TestPlatform() {
    }

    /**
     * Puts the data location and the server registry under {@code data}, and configures the monitor to reconnect
     * within 20–200 ms and give up connecting after 5 s. Each call waits for the instances it configures: the
     * monitor's configuration carries a value no earlier call used, so the wait is for the instance it creates.
     */
    public static void configure(Path data) throws Exception {
        Osgi.configure("comfy.workbench.data", DATA, Map.of("directory", data.toString()));
        Osgi.configure("comfy.workbench.connection.registry", REGISTRY, Map.of("dataDirectory", data.toString()));
        Osgi.configure("comfy.workbench.monitor", MONITOR, Map.of("reconnectInitialMillis", 20L,
                "reconnectMaxMillis", 200L, "connectTimeoutMillis", 5_000L, "fixture", UUID.randomUUID().toString()));
    }
}
