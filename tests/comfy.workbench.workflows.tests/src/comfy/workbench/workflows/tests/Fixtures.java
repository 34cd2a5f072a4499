package comfy.workbench.workflows.tests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import comfy.workbench.model.api.NodeSchema;
import comfy.workbench.testing.captures.Captures;

/** The captured node schema, parsed once for all tests. */
final class Fixtures {

    private static NodeSchema schema;

    private Fixtures() {
    }

    static synchronized NodeSchema schema() {
        if (schema == null) {
            schema = NodeSchema.parse(Captures.locate().read("object_info.json"), "object_info.json");
        }
        return schema;
    }

    static byte[] bytes(String captureFile) {
        Path file = Captures.locate().file(captureFile);
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
