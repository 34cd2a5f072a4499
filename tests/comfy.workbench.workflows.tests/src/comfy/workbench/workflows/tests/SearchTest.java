package comfy.workbench.workflows.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import comfy.workbench.workflows.api.SearchHit;
import comfy.workbench.workflows.api.Workflow;
import comfy.workbench.workflows.api.WorkflowCodec;
import comfy.workbench.workflows.api.WorkflowDraft;
import comfy.workbench.workflows.api.WorkflowQuery;
import comfy.workbench.workflows.internal.DefaultWorkflowCodec;
import comfy.workbench.workflows.internal.FileWorkflowLibrary;

/** Searching the library: text ranked by where it matched, node classes, output types, limits. */
class SearchTest {

    static final String LATENT = """
            {"1": {"class_type": "EmptyLatentImage", "inputs": {"width": 64, "height": 64, "batch_size": 1}},
             "2": {"class_type": "SaveLatent", "inputs": {"samples": ["1", 0], "filename_prefix": "l"}}}
            """;

    @TempDir
    Path folder;

    final WorkflowCodec codec = new DefaultWorkflowCodec();
    final LibraryTest.MutableClock clock = new LibraryTest.MutableClock(Instant.parse("2026-11-28T10:00:00Z"));
    FileWorkflowLibrary library;

    @BeforeEach
    void fill() {
        library = new FileWorkflowLibrary(folder, codec, clock);
        Workflow image = codec.readApi(LibraryTest.API, "api.json");
        Workflow latent = codec.readApi(LATENT, "latent.json");
        add("Portrait upscale", "", List.of("faces"), image);
        add("Landscape", "a portrait-free scene", List.of(), image);
        add("Faces", "", List.of("portrait"), image);
        add("Portraiture study", "", List.of(), image);
        add("Latent only", "portrait latents", List.of(), latent);
    }

    private void add(String name, String description, List<String> tags, Workflow workflow) {
        clock.advance(Duration.ofMinutes(1));
        library.create(WorkflowDraft.of(name, workflow).withDescription(description).withTags(tags)
                .withSchema(Fixtures.schema()));
    }

    private List<String> names(WorkflowQuery query) {
        return library.search(query).stream().map(SearchHit::entry).map(e -> e.name()).toList();
    }

    @Test
    void aNameMatchOutranksATagOutranksADescriptionAndWholeWordsOutrankPrefixes() {
        // name word 10 > name prefix 6 > tag word 5 > description word 2 (a tie goes to the newer)
        assertEquals(List.of("Portrait upscale", "Portraiture study", "Faces", "Latent only", "Landscape"),
                names(WorkflowQuery.text("PORTRAIT")));
    }

    @Test
    void everyWordMustMatchSomewhere() {
        assertEquals(List.of("Faces", "Portrait upscale"), names(WorkflowQuery.text("portrait faces")));
        assertEquals(List.of("Portrait upscale"), names(WorkflowQuery.text("upscale faces")));
        assertEquals(List.of(), names(WorkflowQuery.text("portrait video")));
    }

    @Test
    void aNodeClassTypedAsAWordFindsTheWorkflowsThatUseItBelowOtherMatches() {
        // an artist types "savelatent", not node:SaveLatent
        assertEquals(List.of("Latent only"), names(WorkflowQuery.text("savelatent")));
        assertEquals(List.of("Latent only"), names(WorkflowQuery.text("SaveLat")));
    }

    @Test
    void nodeClassesAndOutputTypesFilter() {
        assertEquals(List.of("Latent only"), names(WorkflowQuery.text("").withNodeClasses(Set.of("SaveLatent"))));
        assertEquals(List.of("Latent only"), names(WorkflowQuery.text("portrait").withOutputTypes(Set.of("latent"))));
        assertEquals(4, names(WorkflowQuery.text("").withOutputTypes(Set.of("IMAGE", "VIDEO"))).size());
        assertEquals(List.of(), names(WorkflowQuery.text("").withNodeClasses(Set.of("SaveLatent", "SaveImage"))));
    }

    @Test
    void aSearchFieldsTextNamesWordsNodeClassesAndOutputTypes() {
        assertEquals(WorkflowQuery.text("portrait").withNodeClasses(Set.of("SaveLatent")).withOutputTypes(Set.of("LATENT")),
                WorkflowQuery.parse("  portrait node:SaveLatent OUTPUT:LATENT "));
        assertEquals(List.of("Latent only"), names(WorkflowQuery.parse("portrait node:SaveLatent")));
        // a prefix alone is a word, and class names keep their spelling
        assertEquals(WorkflowQuery.text("node:").withNodeClasses(Set.of("KSampler")), WorkflowQuery.parse("node: NODE:KSampler"));
        assertEquals(WorkflowQuery.text(""), WorkflowQuery.parse(""));
    }

    @Test
    void withoutTextTheNewestComeFirstAndTheLimitHolds() {
        assertEquals(List.of("Latent only", "Portraiture study"), names(WorkflowQuery.text(" ").withLimit(2)));
    }
}
