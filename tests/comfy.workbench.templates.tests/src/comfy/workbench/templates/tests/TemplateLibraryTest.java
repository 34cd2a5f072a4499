package comfy.workbench.templates.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;

import comfy.workbench.templates.api.Binding;
import comfy.workbench.templates.api.Parameter;
import comfy.workbench.templates.api.Template;
import comfy.workbench.templates.api.TemplateDraft;
import comfy.workbench.templates.api.TemplateException;
import comfy.workbench.templates.api.TemplateException.Kind;
import comfy.workbench.templates.api.TemplateLibrary;
import comfy.workbench.templates.api.TemplateService;
import comfy.workbench.templates.api.TemplateTopics;
import comfy.workbench.testing.osgi.Osgi;
import comfy.workbench.workflows.api.LibraryEntry;
import comfy.workbench.workflows.api.SearchHit;
import comfy.workbench.workflows.api.Workflow;
import comfy.workbench.workflows.api.WorkflowCodec;
import comfy.workbench.workflows.api.WorkflowDraft;
import comfy.workbench.workflows.api.WorkflowLibraries;
import comfy.workbench.workflows.api.WorkflowLibrary;
import comfy.workbench.workflows.api.WorkflowQuery;

/** The template library as a service: storage, search, and bindings that went stale reported when read. */
class TemplateLibraryTest {

    static final String DATA = "comfy.workbench.connection.internal.DataLocationComponent";

    @TempDir
    Path data;
    TemplateLibrary library;
    TemplateService service;
    WorkflowCodec codec;
    Workflow base;

    @BeforeEach
    void configure() throws Exception {
        Osgi.configure("comfy.workbench.data", DATA, Map.of("directory", data.toString()));
        Osgi.await("templates on the configured data folder",
                () -> Osgi.service(TemplateLibrary.class).folder().equals(data.resolve("templates")));
        library = Osgi.service(TemplateLibrary.class);
        service = Osgi.service(TemplateService.class);
        codec = Osgi.service(WorkflowCodec.class);
        base = Fixtures.base(codec);
    }

    @Test
    void aTemplateIsStoredReadAndFound() {
        List<Parameter> parameters = Fixtures.parameters(service, base);
        Template created = library.create(TemplateDraft.of("Blur and resize", base, parameters)
                .withTags(List.of("image", "resize")));
        assertEquals("blur-and-resize", created.id());
        assertTrue(Files.exists(data.resolve("templates/blur-and-resize.meta.json")));

        Template read = library.read(created.id());
        assertEquals(parameters, read.parameters());
        assertEquals(base.prompt(), read.workflow().prompt());
        assertEquals(List.of(), read.problems());
        assertEquals(List.of("Blur and resize"),
                library.search(WorkflowQuery.text("resize")).stream().map(SearchHit::entry).map(LibraryEntry::name).toList());

        Template renamed = library.update(created.id(), 1, TemplateDraft.of("Blur", base, parameters.subList(0, 2)));
        assertEquals(2, renamed.revision());
        assertEquals(2, library.read(created.id()).parameters().size());
        library.delete(created.id(), 2);
        assertEquals(List.of(), library.entries());
    }

    @Test
    void everyChangeThroughTheServiceIsAnnouncedOnEventAdmin() throws Exception {
        Osgi.start("org.eclipse.equinox.event");
        BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        ServiceRegistration<EventHandler> handler = Osgi.context().registerService(EventHandler.class, events::add,
                new Hashtable<>(Map.of(EventConstants.EVENT_TOPIC, TemplateTopics.LIBRARY_CHANGED)));
        try {
            Osgi.await("the library with Event Admin", () -> Osgi.context().getServiceReference(EventAdmin.class) != null);
            List<Parameter> parameters = Fixtures.parameters(service, base);
            Template created = library.create(TemplateDraft.of("Announced", base, parameters));
            library.update(created.id(), created.revision(), TemplateDraft.of("Announced again", base, parameters));
            library.delete(created.id(), created.revision() + 1);
            library.refresh();

            List<String> seen = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Event e = events.poll(10, TimeUnit.SECONDS);
                assertNotNull(e, "event " + (i + 1) + " of 4; seen " + seen);
                seen.add(e.getProperty(TemplateTopics.CHANGE) + " " + e.getProperty(TemplateTopics.ID));
            }
            assertEquals(List.of("CREATED " + created.id(), "UPDATED " + created.id(), "DELETED " + created.id(),
                    "RELOADED null"), seen);
        } finally {
            handler.unregister();
        }
    }

    @Test
    void aBindingTheWorkflowNoLongerHasIsReportedWhenReadAndTheTemplateIsNotRun() {
        Template created = library.create(TemplateDraft.of("Goes stale", base, Fixtures.parameters(service, base)));
        // the workflow is edited behind the template's back: the seed's node goes
        WorkflowLibrary raw = Osgi.service(WorkflowLibraries.class).open(data.resolve("templates"));
        LibraryEntry entry = raw.entry(created.id()).orElseThrow();
        Workflow edited = codec.readApi("""
                {"1": {"class_type": "LoadImage", "inputs": {"image": "example.png"}},
                 "2": {"class_type": "ImageBlur", "inputs": {"image": ["1", 0], "blur_radius": 3, "sigma": 1.5}},
                 "3": {"class_type": "ImageScale", "inputs": {"image": ["2", 0], "upscale_method": "bilinear",
                       "width": 256, "height": 256, "crop": "disabled"}},
                 "4": {"class_type": "SaveImage", "inputs": {"images": ["3", 0], "filename_prefix": "tpl"}}}
                """, "edited");
        raw.update(entry.id(), entry.revision(), WorkflowDraft.of(entry.name(), edited).withAttributes(entry.attributes()));

        Template stale = library.read(created.id());
        assertEquals(1, stale.problems().size(), stale.problems().toString());
        assertEquals("seed", stale.problems().get(0).parameter());
        assertEquals(new Binding("5", "noise_seed"), stale.problems().get(0).binding());
        TemplateException refused = assertThrows(TemplateException.class,
                () -> service.preview(stale, Map.of(), Fixtures.schema()));
        assertEquals(Kind.STALE_BINDING, refused.kind());
        assertTrue(refused.getMessage().contains("parameter seed is bound to node 5, which the workflow no longer has"),
                refused.getMessage());
    }

    @Test
    void badDefinitionsAndDamagedTemplatesAreClearErrorsAndStoreNothing() {
        Parameter radius = service.parameter(base, Fixtures.schema(), "radius", List.of(new Binding("2", "blur_radius")));
        TemplateException twice = assertThrows(TemplateException.class,
                () -> library.create(TemplateDraft.of("Twice", base, List.of(radius, radius))));
        assertEquals(Kind.BAD_DEFINITION, twice.kind());
        assertTrue(twice.getMessage().contains("two parameters are named radius"), twice.getMessage());
        TemplateException gone = assertThrows(TemplateException.class, () -> library.create(TemplateDraft.of("Gone", base,
                List.of(radius.withBindings(List.of(new Binding("8", "blur_radius")))))));
        assertTrue(gone.getMessage().contains("bound to node 8, which the workflow no longer has"), gone.getMessage());
        assertEquals(List.of(), library.entries());

        // a template whose parameters were written by a future version, or damaged
        WorkflowLibrary raw = Osgi.service(WorkflowLibraries.class).open(data.resolve("templates"));
        JsonObject future = new JsonObject();
        JsonObject template = new JsonObject();
        template.addProperty("version", 9);
        future.add("template", template);
        raw.create(WorkflowDraft.of("Future", base).withAttributes(future));
        TemplateException corrupt = assertThrows(TemplateException.class, () -> library.read("future"));
        assertEquals(Kind.CORRUPT, corrupt.kind());
        assertTrue(corrupt.getMessage().contains("unknown template version 9"), corrupt.getMessage());
        raw.create(WorkflowDraft.of("Plain workflow", base));
        TemplateException plain = assertThrows(TemplateException.class, () -> library.read("plain-workflow"));
        assertTrue(plain.getMessage().contains("it has no parameters"), plain.getMessage());
    }
}
