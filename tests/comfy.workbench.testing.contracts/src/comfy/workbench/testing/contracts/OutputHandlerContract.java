package comfy.workbench.testing.contracts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import comfy.workbench.model.api.PromptGraph;
import comfy.workbench.queue.api.Job;
import comfy.workbench.queue.api.JobRequest;
import comfy.workbench.queue.api.JobState;
import comfy.workbench.queue.api.OutputHandler;
import comfy.workbench.queue.api.Priority;

/**
 * The contract of an {@link OutputHandler}: subclass it and return your handler. The queue calls every handler with the
 * files of each job that succeeded, after they are in the job's output folder; the job's record names those files, the
 * Jobs view shows them and the other handlers get the same list, so a handler reads or copies them and leaves them
 * where they are, as they are. It is also called for a job whose graph saved nothing.
 */
public abstract class OutputHandlerContract {

    /** The handler under test. */
    protected abstract OutputHandler handler() throws Exception;

    @TempDir
    Path outputs;

    private static Job succeeded(String id, List<Path> files) {
        PromptGraph graph = ContractGraphs.quick(0);
        Instant now = Instant.now();
        return new Job(id, 1, JobRequest.of(graph).withName("contract " + id).withBatch("contract-batch"),
                Priority.NORMAL, JobState.SUCCEEDED, "contract-server", 1, now.minusSeconds(2), now, null, files);
    }

    @Test
    void handlesTheFilesOfASucceededJobAndLeavesThemAsTheyAre() throws Exception {
        Path folder = Files.createDirectories(outputs.resolve("contract-batch").resolve("job-1"));
        // a PNG signature and some bytes, and a second output of another kind (a video node's)
        byte[] png = { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 1, 2, 3 };
        byte[] webp = { 'R', 'I', 'F', 'F', 4, 0, 0, 0, 'W', 'E', 'B', 'P' };
        Path first = Files.write(folder.resolve("contract_00001_.png"), png);
        Path second = Files.write(folder.resolve("contract_00002_.webp"), webp);
        Job job = succeeded("job-1", List.of(first, second));
        OutputHandler handler = handler();
        assertDoesNotThrow(() -> handler.outputsReady(job, job.outputs()), "a succeeded job's files");
        assertTrue(Files.isRegularFile(first) && Files.isRegularFile(second),
                "the job's files are where the job's record says: copy them, do not move them");
        assertArrayEquals(png, Files.readAllBytes(first), "the files are as the server made them");
        assertArrayEquals(webp, Files.readAllBytes(second), "the files are as the server made them");
    }

    @Test
    void handlesAJobThatSavedNothing() throws Exception {
        Job job = succeeded("job-2", List.of());
        OutputHandler handler = handler();
        assertDoesNotThrow(() -> handler.outputsReady(job, List.of()), "a job whose graph has no saving node");
    }
}
