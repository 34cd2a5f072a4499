package comfy.workbench.queue.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import comfy.workbench.model.api.PromptGraph;
import comfy.workbench.queue.api.Job;
import comfy.workbench.queue.api.JobRequest;
import comfy.workbench.queue.api.JobState;
import comfy.workbench.queue.api.Priority;
import comfy.workbench.queue.api.ServerPolicy;

/** The job store: what it keeps survives a reopen exactly; one owner at a time. */
class JobStoreTest {

    @TempDir
    Path dir;

    @Test
    void aStoreFileThatIsNotOneSaysWhatToDoAndIsLeftAsItIs() throws Exception {
        Path file = dir.resolve("jobs.mv.db");
        byte[] garbage = "H:2,block:2,blockSize:1000,chunk:7,created:18f,format:3,version:7,fletcher:deadbeef\n"
                .repeat(200).getBytes(StandardCharsets.ISO_8859_1);
        Files.write(file, garbage);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new JobStore(file).close());
        assertTrue(e.getMessage().startsWith("cannot open the job store " + file + ": ")
                && e.getMessage().contains("restore it from a backup, or move it and its .journal aside"), e.getMessage());
        assertTrue(java.util.Arrays.equals(garbage, Files.readAllBytes(file)), "not repaired, not overwritten");
    }

    @Test
    void aJobReadsBackAsItWasWritten() {
        PromptGraph graph = PromptGraph.parse("{\"3\":{\"class_type\":\"KSampler\",\"inputs\":{\"seed\":18446744073709551615,"
                + "\"cfg\":7.5}}}", "g");
        Job job = new Job("7f7b0c2e-0000-4000-8000-000000000001", 42, JobRequest.of(graph).withName("n")
                .withPriority(Priority.HIGH).withPolicy(ServerPolicy.named("a", "b")).withBatch("batch"), Priority.LOW,
                JobState.RETRY_WAIT, "a", 2, Instant.parse("2026-11-28T10:00:00Z"), Instant.parse("2026-11-28T10:00:01Z"),
                null, List.of(dir.resolve("x.png")));
        try (JobStore store = new JobStore(dir.resolve("jobs.mv.db"))) {
            store.put(job);
            store.commit();
        }
        try (JobStore store = new JobStore(dir.resolve("jobs.mv.db"))) {
            List<Job> loaded = store.load();
            assertEquals(List.of(job), loaded);
            assertTrue(loaded.get(0).request().prompt().toJson().contains("18446744073709551615"), "the seed stays exact");
        }
    }

    @Test
    void changesThatMayWaitAreCommittedWithTheNextUrgentOne() {
        Job queued = new Job("7f7b0c2e-0000-4000-8000-000000000002", 1, JobRequest.of(PromptGraph.parse(
                "{\"1\":{\"class_type\":\"EmptyImage\",\"inputs\":{}}}", "g")), Priority.NORMAL, JobState.DISPATCHED, "a", 1,
                Instant.parse("2026-11-28T10:00:00Z"), Instant.parse("2026-11-28T10:00:01Z"), null, List.of());
        Job running = new Job(queued.id(), 1, queued.request(), Priority.NORMAL, JobState.RUNNING, "a", 1, queued.created(),
                Instant.parse("2026-11-28T10:00:02Z"), null, List.of());
        try (JobStore store = new JobStore(dir.resolve("jobs.mv.db"))) {
            store.put(queued);
            long before = store.version();
            assertFalse(store.commitUrgent(), "nothing left waiting");
            assertEquals(before + 1, store.version(), "the dispatched job was committed");
            store.put(running, true);
            assertTrue(store.commitUrgent(), "the running state waits");
            assertEquals(before + 1, store.version(), "no commit for it");
            store.setting("paused", "true");
            assertFalse(store.commitUrgent());
            assertEquals(before + 2, store.version(), "one commit for both");
        }
        try (JobStore store = new JobStore(dir.resolve("jobs.mv.db"))) {
            assertEquals(List.of(running), store.load());
            assertEquals("true", store.setting("paused"));
        }
    }

    @Test
    void aFileGrownByABurstOfCheckpointsIsCompactedWhenTheStoreCloses() throws Exception {
        Path file = dir.resolve("jobs.mv.db");
        long grown;
        try (JobStore store = new JobStore(file)) {
            for (int i = 0; i < 1000; i++) {
                for (JobState state : List.of(JobState.QUEUED, JobState.DISPATCHED, JobState.SUCCEEDED)) {
                    store.put(job(i, state));
                    store.checkpoint();
                }
            }
            grown = Files.size(file);
        }
        long compacted = Files.size(file);
        assertTrue(compacted < grown / 2, "closed at " + compacted + " bytes after growing to " + grown);
        try (JobStore store = new JobStore(file)) {
            List<Job> loaded = store.load();
            assertEquals(1000, loaded.size());
            assertTrue(loaded.stream().allMatch(j -> j.state() == JobState.SUCCEEDED));
        }
    }

    private static Job job(int n, JobState state) {
        Instant at = Instant.parse("2026-11-28T10:00:00Z");
        return new Job(new UUID(0x7f7b0c2e00004000L, 0x8000000000000000L + n).toString(), n,
                JobRequest.of(PromptGraph.parse("{\"1\":{\"class_type\":\"EmptyImage\",\"inputs\":{}}}", "g")),
                Priority.NORMAL, state, "a", 1, at, at.plusSeconds(state.ordinal()), null, List.of());
    }

    private Path journal() {
        return dir.resolve("jobs.mv.db.journal");
    }

    @Test
    void whatWasCommittedSurvivesACrashThroughTheJournalAndWhatMayWaitDoesNot() {
        try (JobStore store = new JobStore(dir.resolve("jobs.mv.db"))) {
            assertTrue(store.load().isEmpty());
            store.put(job(1, JobState.QUEUED));
            store.put(job(2, JobState.QUEUED));
            store.commit();
            store.put(job(1, JobState.DISPATCHED));
            store.remove(job(2, JobState.QUEUED).id());
            store.setting("paused", "true");
            store.commit();
            store.put(job(1, JobState.RUNNING), true);
            assertTrue(store.commitUrgent(), "the running state waits");
            store.closeAsIfCrashed();
        }
        try (JobStore store = new JobStore(dir.resolve("jobs.mv.db"))) {
            assertEquals(List.of(job(1, JobState.DISPATCHED)), store.load());
            assertEquals("true", store.setting("paused"));
        }
    }

    @Test
    void aJournalCutOffInARecordKeepsEveryCompleteRecordAndGoesOnAfterThem() throws Exception {
        try (JobStore store = new JobStore(dir.resolve("jobs.mv.db"))) {
            store.put(job(1, JobState.QUEUED));
            store.commit();
            store.put(job(2, JobState.QUEUED));
            store.commit();
            store.closeAsIfCrashed();
        }
        try (FileChannel ch = FileChannel.open(journal(), StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 5); // the process died in the middle of the second write
        }
        try (JobStore store = new JobStore(dir.resolve("jobs.mv.db"))) {
            assertEquals(List.of(job(1, JobState.QUEUED)), store.load());
            assertTrue(Files.exists(dir.resolve("jobs.mv.db.journal.damaged")), "the damaged journal is kept");
            store.put(job(3, JobState.QUEUED));
            store.commit();
            store.closeAsIfCrashed();
        }
        try (JobStore store = new JobStore(dir.resolve("jobs.mv.db"))) {
            assertEquals(List.of(job(1, JobState.QUEUED), job(3, JobState.QUEUED)), store.load());
        }
    }

    @Test
    void aRecordThatFailsItsChecksumEndsTheReplay() throws Exception {
        long second;
        try (JobStore store = new JobStore(dir.resolve("jobs.mv.db"))) {
            store.put(job(1, JobState.QUEUED));
            store.commit();
            second = Files.size(journal());
            store.put(job(2, JobState.QUEUED));
            store.commit();
            store.put(job(3, JobState.QUEUED));
            store.commit();
            store.closeAsIfCrashed();
        }
        byte[] bytes = Files.readAllBytes(journal());
        bytes[(int) second + 20] ^= 0x20;
        Files.write(journal(), bytes);
        try (JobStore store = new JobStore(dir.resolve("jobs.mv.db"))) {
            assertEquals(List.of(job(1, JobState.QUEUED)), store.load(), "nothing after a damaged record is trusted");
        }
    }

    @Test
    void aJournalOlderThanTheLastCheckpointIsIgnored() throws Exception {
        byte[] old;
        try (JobStore store = new JobStore(dir.resolve("jobs.mv.db"))) {
            store.put(job(1, JobState.QUEUED));
            store.commit();
            old = Files.readAllBytes(journal());
            store.put(job(1, JobState.SUCCEEDED));
        } // closing checkpoints
        Files.write(journal(), old); // as if the process died after the checkpoint's commit, before the journal's reset
        try (JobStore store = new JobStore(dir.resolve("jobs.mv.db"))) {
            assertEquals(List.of(job(1, JobState.SUCCEEDED)), store.load());
        }
        Files.write(journal(), "not a journal at all".getBytes(StandardCharsets.UTF_8));
        try (JobStore store = new JobStore(dir.resolve("jobs.mv.db"))) {
            assertEquals(List.of(job(1, JobState.SUCCEEDED)), store.load(), "a damaged header loses nothing checkpointed");
            assertTrue(Files.exists(dir.resolve("jobs.mv.db.journal.damaged")));
        }
    }

    /** A store holding job 1 QUEUED, closed (checkpointed), and a copy of its file to put back later. */
    private Path storeWithJobOneQueuedAndACopyOfIt(Path file) throws Exception {
        try (JobStore store = new JobStore(file)) {
            store.put(job(1, JobState.QUEUED));
        }
        return Files.copy(file, dir.resolve("copy.mv.db"));
    }

    @Test
    void aJournalNewerThanAStoreFilePutBackFromACopyIsStillReplayed() throws Exception {
        Path file = dir.resolve("jobs.mv.db");
        Path copy = storeWithJobOneQueuedAndACopyOfIt(file);
        try (JobStore store = new JobStore(file)) {
            store.put(job(1, JobState.SUCCEEDED));
        } // a checkpoint the copy does not have
        try (JobStore store = new JobStore(file)) {
            store.put(job(2, JobState.QUEUED));
            store.commit();
            store.closeAsIfCrashed();
        }
        Files.copy(copy, file, StandardCopyOption.REPLACE_EXISTING);
        try (JobStore store = new JobStore(file)) {
            assertEquals(List.of(job(1, JobState.QUEUED), job(2, JobState.QUEUED)), store.load(),
                    "the journal's change is kept; the lost checkpoint's is gone with it");
        }
    }

    @Test
    void whatTheCheckpointAStoreFileLostHadFromItsJournalIsReplayedFromTheJournalKeptBeforeTheReset() throws Exception {
        Path file = dir.resolve("jobs.mv.db");
        Path copy = storeWithJobOneQueuedAndACopyOfIt(file);
        try (JobStore store = new JobStore(file)) {
            store.put(job(1, JobState.SUCCEEDED));
            store.put(job(3, JobState.QUEUED));
            store.commit(); // in the journal, then in the checkpoint the copy does not have
        }
        assertTrue(Files.exists(dir.resolve("jobs.mv.db.journal.previous")));
        try (JobStore store = new JobStore(file)) {
            store.put(job(2, JobState.QUEUED));
            store.commit();
            store.closeAsIfCrashed();
        }
        Files.copy(copy, file, StandardCopyOption.REPLACE_EXISTING); // as a compaction cut short could leave it
        try (JobStore store = new JobStore(file)) {
            assertEquals(List.of(job(1, JobState.SUCCEEDED), job(2, JobState.QUEUED), job(3, JobState.QUEUED)),
                    store.load(), "nothing committed is lost");
        }
    }

    @Test
    void aSecondOwnerIsRefusedWithAClearMessage() {
        try (JobStore first = new JobStore(dir.resolve("jobs.mv.db"))) {
            JobStore.StoreLockedException e = assertThrows(JobStore.StoreLockedException.class,
                    () -> new JobStore(dir.resolve("jobs.mv.db")));
            assertTrue(e.getMessage().contains("in use by another process"), e.getMessage());
        }
        new JobStore(dir.resolve("jobs.mv.db")).close(); // free again once the first is closed
        assertTrue(Files.exists(dir.resolve("jobs.mv.db.lock")));
    }
}
