package comfy.workbench.workflows.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;

import comfy.workbench.workflows.api.LibraryEntry;
import comfy.workbench.workflows.api.LibraryException;
import comfy.workbench.workflows.api.StoredWorkflow;
import comfy.workbench.workflows.api.Workflow;
import comfy.workbench.workflows.api.WorkflowCodec;
import comfy.workbench.workflows.api.WorkflowDraft;
import comfy.workbench.workflows.api.WorkflowFormat;
import comfy.workbench.workflows.internal.Crashing;
import comfy.workbench.workflows.internal.DefaultWorkflowCodec;
import comfy.workbench.workflows.internal.FileWorkflowLibrary;

/** The library on disk: create, read, update, delete, revisions, ids, and what it does with files it cannot use. */
class LibraryTest {

    static final String API = """
            {"1": {"class_type": "EmptyImage", "inputs": {"width": 64, "height": 64, "batch_size": 1, "color": 0}},
             "2": {"class_type": "ImageInvert", "inputs": {"image": ["1", 0]}},
             "3": {"class_type": "SaveImage", "inputs": {"images": ["2", 0], "filename_prefix": "lib"}}}
            """;

    @TempDir
    Path folder;

    final WorkflowCodec codec = new DefaultWorkflowCodec();
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T10:00:00Z"));

    FileWorkflowLibrary open() {
        return new FileWorkflowLibrary(folder, codec, clock);
    }

    Workflow api() {
        return codec.readApi(API, "api.json");
    }

    Workflow ui() {
        return codec.readUi(UiConversionTest.WORKFLOW, "ui.json", Fixtures.schema());
    }

    @Test
    void createReadUpdateDeleteAnApiWorkflow() throws IOException {
        FileWorkflowLibrary library = open();
        LibraryEntry created = library.create(WorkflowDraft.of("Invert a grey square", api())
                .withDescription("the smallest runnable graph").withTags(List.of("test", " grey ", "test"))
                .withSource("api.json").withSchema(Fixtures.schema()));
        assertEquals("invert-a-grey-square", created.id());
        assertEquals(1, created.revision());
        assertEquals(List.of("test", "grey"), created.metadata().tags());
        assertEquals(Set.of("EmptyImage", "ImageInvert", "SaveImage"), created.nodeClasses());
        assertEquals(Set.of("IMAGE"), created.outputTypes());
        assertEquals(WorkflowFormat.API_JSON, created.format());
        assertTrue(Files.isRegularFile(folder.resolve("invert-a-grey-square.json")));
        // the file is what ComfyUI's "Load" takes: plain API JSON
        assertEquals(api().prompt(), codec.readApi(Files.readString(folder.resolve("invert-a-grey-square.json")), "f")
                .prompt());

        StoredWorkflow read = open().read(created.id());
        assertEquals(api().prompt(), read.workflow().prompt());
        assertEquals(created, read.entry());

        clock.advance(Duration.ofMinutes(5));
        LibraryEntry updated = library.update(created.id(), 1, WorkflowDraft.of("Invert, renamed", api()));
        assertEquals(2, updated.revision());
        assertEquals(created.metadata().created(), updated.metadata().created());
        assertEquals(Instant.parse("2026-11-28T10:05:00Z"), updated.metadata().modified());
        assertEquals(created.id(), updated.id(), "a rename keeps the id");
        assertEquals("Invert, renamed", open().read(created.id()).entry().name());

        library.delete(created.id(), 2);
        assertTrue(library.entry(created.id()).isEmpty());
        assertEquals(List.of(), files());
        LibraryException gone = assertThrows(LibraryException.class, () -> library.read(created.id()));
        assertEquals(LibraryException.Kind.NOT_FOUND, gone.kind());
    }

    @Test
    void aUiWorkflowIsStoredAsUiJsonWithItsRunnableGraphBeside() throws IOException {
        FileWorkflowLibrary library = open();
        Workflow ui = ui();
        LibraryEntry entry = library.create(WorkflowDraft.of("UI", ui));
        assertEquals(WorkflowFormat.UI_JSON, entry.format());
        assertEquals(List.of("ui.api.json", "ui.json", "ui.meta.json"), files());
        // without a schema the output types come from the UI's link types into the graph's sinks
        assertEquals(Set.of("IMAGE"), entry.outputTypes());
        StoredWorkflow read = open().read("ui");
        assertEquals(ui.prompt(), read.workflow().prompt());
        assertEquals(ui.ui(), read.workflow().ui());
        assertEquals(WorkflowFormat.UI_JSON, read.workflow().source());

        // replaced by an API-only workflow, the stale runnable graph goes
        library.update("ui", 1, WorkflowDraft.of("UI", api()));
        assertEquals(List.of("ui.json", "ui.meta.json"), files());
        assertEquals(api().prompt(), open().read("ui").workflow().prompt());
    }

    @Test
    void idsAreUniqueReadableAndCannotEscapeTheFolder() {
        FileWorkflowLibrary library = open();
        assertEquals("portrait-sdxl", library.create(WorkflowDraft.of("Portrait (SDXL)", api())).id());
        assertEquals("portrait-sdxl-2", library.create(WorkflowDraft.of("portrait SDXL", api())).id());
        assertEquals("cafe-creme", library.create(WorkflowDraft.of("Café crème", api())).id());
        assertEquals("workflow", library.create(WorkflowDraft.of("???", api())).id());
        assertEquals("ポートレート-sdxl", library.create(WorkflowDraft.of("ポートレート（SDXL）", api())).id());
        assertEquals("портрет-2", library.create(WorkflowDraft.of("Портрет 2", api())).id());
        assertEquals("人物写真", library.create(WorkflowDraft.of("人物写真", api())).id());
        assertEquals("ガ", library.create(WorkflowDraft.of("ガ", api())).id(), "a mark of another script stays");
        for (String hostile : List.of("../portrait-sdxl", "/etc/passwd", ".lock", "a/b", "")) {
            LibraryException e = assertThrows(LibraryException.class, () -> library.read(hostile));
            assertEquals(LibraryException.Kind.NOT_FOUND, e.kind(), hostile);
        }
        assertThrows(IllegalArgumentException.class, () -> WorkflowDraft.of(" ", api()));
    }

    @Test
    void aChangeFromAnOlderRevisionIsAConflictAndChangesNothing() throws IOException {
        FileWorkflowLibrary mine = open();
        LibraryEntry entry = mine.create(WorkflowDraft.of("Shared", api()));
        FileWorkflowLibrary theirs = open(); // another window or process on the same folder
        theirs.update(entry.id(), 1, WorkflowDraft.of("Theirs", ui()));
        Map<String, String> before = contents();

        LibraryException update = assertThrows(LibraryException.class,
                () -> mine.update(entry.id(), 1, WorkflowDraft.of("Mine", api())));
        assertEquals(LibraryException.Kind.CONFLICT, update.kind());
        assertTrue(update.getMessage().contains("revision 2"), update.getMessage());
        LibraryException delete = assertThrows(LibraryException.class, () -> mine.delete(entry.id(), 1));
        assertEquals(LibraryException.Kind.CONFLICT, delete.kind());
        assertEquals(before, contents());
        // the conflict taught mine the current revision; with it the change goes through
        assertEquals(2, mine.entry(entry.id()).orElseThrow().revision());
        assertEquals("Mine", mine.update(entry.id(), 2, WorkflowDraft.of("Mine", api())).name());
        theirs.refresh();
        assertEquals("Mine", theirs.entry(entry.id()).orElseThrow().name());
    }

    @Test
    void aCrashBeforeTheCommitLeavesTheOldWorkflow() throws IOException {
        LibraryEntry entry = open().create(WorkflowDraft.of("Crashing", api()));
        Map<String, String> before = contents();
        crashAt("content", library -> library.update(entry.id(), 1, WorkflowDraft.of("New", ui())));
        assertTrue(files().stream().anyMatch(f -> f.endsWith(".tmp")), "the crash left temporary files");

        FileWorkflowLibrary reopened = open();
        assertEquals(before, contents(), "the old workflow stands, the temporary files are gone");
        assertEquals("Crashing", reopened.read(entry.id()).entry().name());
        assertEquals(1, reopened.read(entry.id()).revision());
    }

    @Test
    void aCrashAfterTheCommitIsFinishedAtTheNextStart() throws IOException {
        for (String step : List.of("committed", "renamed")) {
            LibraryEntry entry = open().create(WorkflowDraft.of("Crash " + step, api()));
            crashAt(step, library -> library.update(entry.id(), 1, WorkflowDraft.of("New " + step, ui())));
            FileWorkflowLibrary reopened = open();
            StoredWorkflow read = reopened.read(entry.id());
            assertEquals("New " + step, read.entry().name(), step);
            assertEquals(2, read.revision());
            assertEquals(ui().ui(), read.workflow().ui(), step);
            assertEquals(ui().prompt(), read.workflow().prompt(), step);
            assertTrue(files().stream().noneMatch(f -> f.endsWith(".tmp")), step);
            assertEquals(List.of(), reopened.problems());
        }
    }

    @Test
    void aCrashDuringADeleteIsFinishedAtTheNextStart() throws IOException {
        LibraryEntry entry = open().create(WorkflowDraft.of("Doomed", ui()));
        crashAt("content-deleted", library -> library.delete(entry.id(), 1));
        assertTrue(Files.exists(folder.resolve("doomed.meta.json")));
        FileWorkflowLibrary reopened = open();
        assertTrue(reopened.entry(entry.id()).isEmpty());
        assertEquals(List.of(), files());
    }

    @Test
    void filesTheLibraryCannotUseAreReportedAndLeftAlone() throws IOException {
        FileWorkflowLibrary library = open();
        library.create(WorkflowDraft.of("Good", api()));
        LibraryEntry damaged = library.create(WorkflowDraft.of("Damaged", api()));
        Files.writeString(folder.resolve("broken.meta.json"), "{\"version\": 1, \"name\": ");
        Files.writeString(folder.resolve("broken.json"), API);
        Files.writeString(folder.resolve("future.meta.json"), "{\"version\": 9, \"name\": \"x\", \"revision\": 1}");
        Files.writeString(folder.resolve("future.json"), API);
        Files.writeString(folder.resolve("dropped.json"), API);
        Files.writeString(folder.resolve("damaged.json"), "{\"1\": {\"class_type\": ");
        Map<String, String> before = contents();

        FileWorkflowLibrary reopened = open();
        assertEquals(List.of("Damaged", "Good"), reopened.entries().stream().map(LibraryEntry::name).toList());
        Map<String, String> problems = reopened.problems().stream().collect(Collectors
                .toMap(p -> p.file().getFileName().toString(), p -> p.message(), (a, b) -> a, TreeMap::new));
        assertEquals(Set.of("broken.meta.json", "future.meta.json", "dropped.json"), problems.keySet());
        assertTrue(problems.get("broken.meta.json").contains("not valid library metadata"), problems.toString());
        assertTrue(problems.get("future.meta.json").contains("unknown metadata version 9"), problems.toString());
        assertTrue(problems.get("dropped.json").contains("not in the library"), problems.toString());
        LibraryException e = assertThrows(LibraryException.class, () -> reopened.read(damaged.id()));
        assertEquals(LibraryException.Kind.CORRUPT, e.kind());
        assertTrue(e.getMessage().contains("damaged.json"), e.getMessage());
        assertEquals(before, contents(), "nothing was changed or removed");
        assertEquals("Good", reopened.read("good").entry().name());
    }

    @Test
    void attributesAreKeptAsGiven() {
        JsonObject attributes = new JsonObject();
        attributes.addProperty("owner", "templates");
        LibraryEntry entry = open().create(WorkflowDraft.of("With attributes", api()).withAttributes(attributes));
        assertEquals(attributes, open().read(entry.id()).entry().attributes());
    }

    private void crashAt(String step, java.util.function.Consumer<FileWorkflowLibrary> change) {
        FileWorkflowLibrary crashing = Crashing.library(folder, codec, clock, step);
        RuntimeException crash = assertThrows(RuntimeException.class, () -> change.accept(crashing));
        assertEquals("crash at " + step, crash.getMessage());
    }

    private List<String> files() throws IOException {
        try (Stream<Path> list = Files.list(folder)) {
            return list.map(p -> p.getFileName().toString()).filter(n -> !n.equals(".lock")).sorted().toList();
        }
    }

    private Map<String, String> contents() throws IOException {
        Map<String, String> map = new TreeMap<>();
        for (String name : files()) {
            map.put(name, Files.readString(folder.resolve(name), StandardCharsets.UTF_8));
        }
        return map;
    }

    /** A clock tests move by hand. */
    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant start) {
            now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
