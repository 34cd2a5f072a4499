package comfy.workbench.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Where the benchmarks find the ComfyUI captures: {@code -Dcomfy.captures}, else a {@code shared/comfyui-captures} above. */
final class CaptureFolder {

    private CaptureFolder() {
    }

    static Path locate() {
        String configured = System.getProperty("comfy.captures");
        if (configured != null) {
            return Paths.get(configured);
        }
        for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared").resolve("comfyui-captures");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("captures not found: pass -Dcomfy.captures=<folder with object_info.json>");
    }
}
