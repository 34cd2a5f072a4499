package comfy.workbench.workflows.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import comfy.workbench.workflows.api.LibraryNames;
import comfy.workbench.workflows.api.Workflow;
import comfy.workbench.workflows.api.WorkflowCodec;
import comfy.workbench.workflows.api.WorkflowDraft;
import comfy.workbench.workflows.internal.DefaultWorkflowCodec;
import comfy.workbench.workflows.internal.FileWorkflowLibrary;

class LibraryNamesTest {

    @TempDir
    Path folder;

    private final WorkflowCodec codec = new DefaultWorkflowCodec();

    @Test
    void aFreeNameIsKeptAndATakenOneNumberedAsAFileManagerNamesACopy() {
        FileWorkflowLibrary library = new FileWorkflowLibrary(folder, codec,
                new LibraryTest.MutableClock(Instant.parse("2026-11-29T20:00:00Z")));
        Workflow graph = codec.readApi(LibraryTest.API, "api.json");
        library.create(WorkflowDraft.of("Portrait", graph));
        library.create(WorkflowDraft.of("portrait (2)", graph));

        LibraryNames names = new LibraryNames(library.entries());

        assertEquals("Landscape", names.claim("Landscape"));
        // case and surrounding spaces do not tell names apart in a list; the first free number is taken
        assertEquals(List.of("portrait (3)", "PORTRAIT (4)", "Landscape (2)"),
                List.of(names.claim("portrait"), names.claim(" PORTRAIT "), names.claim("Landscape")));
    }
}
