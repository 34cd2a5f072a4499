package comfy.workbench.example.renderlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import comfy.workbench.example.renderlog.api.RenderLogLine;
import comfy.workbench.example.renderlog.api.RenderLogTail;

/** The render log's newest lines read from the file's end: newest first, bad lines skipped and counted. */
class RenderLogReaderTest {

    @TempDir
    Path temp;

    private static String line(int n, String state) {
        return "{\"ended\":\"2026-11-29T10:00:" + String.format("%02d", n % 60) + "Z\",\"job\":\"job-" + n
                + "\",\"name\":\"render " + n + "\",\"state\":\"" + state + "\",\"server\":\"farm\",\"attempts\":1,"
                + "\"batch\":null,\"tags\":[\"a\"],\"secondsSinceSubmitted\":1.5,\"outputs\":[\"/o/" + n + "/x.png\"]}";
    }

    @Test
    void theNewestLinesComeFirstAndOnlyAsManyAsAsked() throws Exception {
        Path file = temp.resolve("jobs.jsonl");
        // longer than one block read from the end, so that lines cross the blocks' borders
        Files.writeString(file, IntStream.range(0, 3000).mapToObj(n -> line(n, "SUCCEEDED") + "\n")
                .collect(Collectors.joining()));

        RenderLogTail tail = RenderLogReader.tail(file, 5);

        assertTrue(tail.exists());
        assertEquals(0, tail.malformed());
        assertEquals(List.of("job-2999", "job-2998", "job-2997", "job-2996", "job-2995"),
                tail.newestFirst().stream().map(RenderLogLine::job).toList());
        RenderLogLine newest = tail.newestFirst().get(0);
        assertEquals(Instant.parse("2026-11-29T10:00:59Z"), newest.ended());
        assertEquals("render 2999", newest.name());
        assertEquals("", newest.batch(), "null in the file is empty here");
        assertEquals(1.5, newest.seconds());
        assertEquals(Path.of("/o/2999"), newest.outputFolder().orElseThrow());
        assertEquals(3000, RenderLogReader.tail(file, 10_000).newestFirst().size(), "the whole file, first line too");
    }

    @Test
    void badLinesAreSkippedAndCountedAndALineBeingWrittenWaits() throws Exception {
        Path file = temp.resolve("jobs.jsonl");
        Files.writeString(file, line(1, "SUCCEEDED") + "\n" + "not json at all\n" + "\n" + "[1,2]\n"
                + "{\"job\":\"no-end\",\"state\":\"FAILED\"}\n" + line(2, "FAILED").replace("\"outputs\"", "\"error\":\"boom\",\"outputs\"")
                + "\n" + "{\"ended\":\"2026-11-29T10:0");

        RenderLogTail tail = RenderLogReader.tail(file, 100);

        assertEquals(3, tail.malformed(), "not JSON, not an object, no end time; the blank line is no line");
        assertEquals(List.of("job-2", "job-1"), tail.newestFirst().stream().map(RenderLogLine::job).toList());
        assertEquals("boom", tail.newestFirst().get(0).error());
    }

    @Test
    void noFileYetIsNoLines() throws Exception {
        RenderLogTail tail = RenderLogReader.tail(temp.resolve("missing.jsonl"), 10);
        assertFalse(tail.exists());
        assertEquals(List.of(), tail.newestFirst());
    }
}
