package comfy.workbench.connection.api;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code GET /api/system_stats}: what the server runs on.
 *
 * @param os                      {@code posix}, {@code nt}, ...
 * @param comfyuiVersion          e.g. {@code 0.3.64}; {@code ""} for servers too old to say
 * @param pythonVersion           Python's version line
 * @param pytorchVersion          torch's version
 * @param requiredFrontendVersion the frontend version the server wants, or {@code ""}
 * @param ramTotal                bytes of RAM
 * @param ramFree                 bytes of free RAM
 * @param embeddedPython          whether it is the portable (embedded Python) build
 * @param argv                    the server's command line
 * @param devices                 the devices, primary first
 */
public record SystemStats(String os, String comfyuiVersion, String pythonVersion, String pytorchVersion,
        String requiredFrontendVersion, long ramTotal, long ramFree, boolean embeddedPython, List<String> argv,
        List<Device> devices) {

    public SystemStats {
        os = Objects.requireNonNullElse(os, "");
        comfyuiVersion = Objects.requireNonNullElse(comfyuiVersion, "");
        pythonVersion = Objects.requireNonNullElse(pythonVersion, "");
        pytorchVersion = Objects.requireNonNullElse(pytorchVersion, "");
        requiredFrontendVersion = Objects.requireNonNullElse(requiredFrontendVersion, "");
        argv = List.copyOf(argv);
        devices = List.copyOf(devices);
    }

    /** The primary device (the first), if the server lists any. */
    public Optional<Device> primaryDevice() {
        return devices.stream().findFirst();
    }
}
