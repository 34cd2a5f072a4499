package comfy.workbench.ui.queue.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import comfy.workbench.model.api.PromptGraph;
import comfy.workbench.queue.api.Job;
import comfy.workbench.queue.api.JobRequest;
import comfy.workbench.queue.api.JobState;
import comfy.workbench.queue.api.Priority;
import comfy.workbench.testing.fake.TestPrompts;

/** A double-click on a finished job opens its own folder, also when its outputs sit in the server's subfolders. */
class JobFolderTest {

    private static Job succeeded(String id, List<Path> outputs) {
        return new Job(id, 1, JobRequest.of(PromptGraph.parse(TestPrompts.quick(1, "x"), "x")), Priority.NORMAL,
                JobState.SUCCEEDED, "s", 1, Instant.EPOCH, Instant.EPOCH, null, outputs);
    }

    @Test
    void theFolderNamedByTheJobIsFoundAboveItsOutputs() {
        Path job = Path.of("/data/outputs/batch-1/job-7");
        assertEquals(job, JobsPart.jobFolder(succeeded("job-7", List.of(job.resolve("shots/sh010/beauty.png")))));
        assertEquals(job, JobsPart.jobFolder(succeeded("job-7", List.of(job.resolve("flat.png")))));
        Path elsewhere = Path.of("/moved/by/a/handler/out.png");
        assertEquals(elsewhere.getParent(), JobsPart.jobFolder(succeeded("job-7", List.of(elsewhere))),
                "without such a folder, the first output's");
    }
}
