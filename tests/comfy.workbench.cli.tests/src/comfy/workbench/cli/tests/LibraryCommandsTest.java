package comfy.workbench.cli.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import comfy.workbench.cli.tests.CliFixture.Result;
import comfy.workbench.connection.api.ServerDescriptor;
import comfy.workbench.connection.api.ServerRegistry;
import comfy.workbench.testing.fake.FakeComfyServer;
import comfy.workbench.testing.fake.TestPrompts;
import comfy.workbench.testing.osgi.Osgi;
import comfy.workbench.workflows.api.WorkflowLibrary;

/** {@code comfy workflows …} and {@code comfy templates …} as the application runs them, against a fake server. */
class LibraryCommandsTest {

    @TempDir
    Path data;
    CliFixture cli;
    FakeComfyServer fake;
    String server;


    @BeforeEach
    void start() throws Exception {
        cli = CliFixture.start(data);
        fake = cli.fake;
        server = fake.baseUri().toString();
    }

    @AfterEach
    void stop() {
        cli.close();
    }

    private Result comfy(String... args) {
        return cli.comfy(args);
    }

    private Path file(String name, String content) throws Exception {
        return Files.writeString(data.resolve(name), content);
    }

    private List<String> ids(String library) {
        Result list = comfy(library, "list", "--json");
        assertEquals(0, list.code(), list.err() + list.out());
        return list.lines().stream().filter(l -> !l.get("event").getAsString().equals("problem"))
                .map(l -> l.get("id").getAsString()).toList();
    }

    @Test
    void aMissingTemplateIsNamedAsATemplate() {
        for (String sub : List.of("show", "preview")) {
            Result text = comfy("templates", sub, "nosuch");
            assertEquals(2, text.code(), sub);
            assertTrue(text.err().contains("there is no template nosuch"), sub + ": " + text.err());
            assertFalse(text.err().contains("workflow"), sub + ": " + text.err());

            Result json = comfy("templates", sub, "nosuch", "--json");
            assertEquals(2, json.code(), sub);
            assertEquals("not_found", json.lines().get(0).get("kind").getAsString());
            assertTrue(json.lines().get(0).get("message").getAsString().contains("template nosuch"), json.out());
        }
    }

    @Test
    void aBlankNameIsRefusedAndNothingIsStored() throws Exception {
        Path file = file("square.json", TestPrompts.quick(5101, "lib"));
        for (String blank : List.of("", "   ")) {
            Result workflow = comfy("workflows", "import", file.toString(), "--name", blank);
            assertEquals(2, workflow.code(), "--name '" + blank + "'");
            assertTrue(workflow.err().contains("a workflow needs a name"), workflow.err());

            Result template = comfy("templates", "create", file.toString(), "--param", "w=1.width", "--name", blank,
                    "--server", server);
            assertEquals(2, template.code(), "--name '" + blank + "'");
            assertTrue(template.err().contains("a template needs a name"), template.err());
        }
        assertEquals(List.of(), ids("workflows"));
        assertEquals(List.of(), ids("templates"));
    }

    @Test
    void aParameterNamedTwiceIsRefused() throws Exception {
        Path file = file("square.json", TestPrompts.quick(5102, "lib"));
        Result r = comfy("templates", "create", file.toString(), "--param", "w=1.width", "--param", "w=1.height",
                "--server", server);
        assertEquals(2, r.code(), r.out());
        assertTrue(r.err().contains("--param w is given twice"), r.err());
        assertEquals(List.of(), ids("templates"));
    }

    @Test
    void appModeNeedsAWorkflowThatDeclaresItsInputs() throws Exception {
        Path api = file("square.json", TestPrompts.quick(5103, "lib"));
        Result refused = comfy("templates", "create", api.toString(), "--app", "--server", server);
        assertEquals(2, refused.code(), refused.out());
        assertTrue(refused.err().contains("square.json has no App-mode data"), refused.err());
        assertTrue(refused.err().contains("--param NAME=NODE.INPUT"), refused.err());
        assertEquals(List.of(), ids("templates"));

        Path app = file("app.json", TestPrompts.APP_UI);
        Result created = comfy("templates", "create", app.toString(), "--app", "--server", server, "--json");
        assertEquals(0, created.code(), created.err() + created.out());
        assertEquals(3, created.lines().get(0).get("parameters").getAsInt());
    }

    @Test
    void everyJsonLineNamesWhatItDescribes() throws Exception {
        Path file = file("square.json", TestPrompts.quick(5104, "lib"));
        Result imported = comfy("workflows", "import", file.toString(), "--json");
        assertEquals(List.of("workflow"), imported.events());
        String workflow = imported.lines().get(0).get("id").getAsString();
        Result created = comfy("templates", "create", workflow, "--param", "w=1.width", "--server", server, "--json");
        assertEquals(List.of("template"), created.events(), created.err());
        String template = created.lines().get(0).get("id").getAsString();

        Result templates = comfy("templates", "list", "--json");
        assertEquals(List.of("template"), templates.events());
        assertEquals(template, templates.lines().get(0).get("id").getAsString());
        assertEquals(List.of("template"), comfy("templates", "show", template, "--json").events());
        assertEquals(List.of("preview"), comfy("templates", "preview", template, "--server", server, "--json").events());
        assertEquals(List.of("workflow"), comfy("workflows", "list", "--json").events());
        assertEquals(List.of("workflow"), comfy("workflows", "show", workflow, "--json").events());
        assertEquals(List.of("workflow"), comfy("workflows", "export", workflow, "--out",
                data.resolve("out.json").toString(), "--json").events());
    }

    @Test
    void anExportInJsonIsOneLine() throws Exception {
        Path file = file("square.json", TestPrompts.quick(5105, "lib"));
        String id = comfy("workflows", "import", file.toString(), "--json").lines().get(0).get("id").getAsString();

        Result json = comfy("workflows", "export", id, "--json");
        assertEquals(0, json.code(), json.err());
        assertEquals(1, json.out().lines().count(), json.out());
        assertEquals(JsonParser.parseString(TestPrompts.quick(5105, "lib")), JsonParser.parseString(json.out()));

        Result text = comfy("workflows", "export", id);
        assertTrue(text.out().lines().count() > 1, "pretty for a person: " + text.out());
        assertEquals(JsonParser.parseString(json.out()), JsonParser.parseString(text.out()));
    }

    @Test
    void aMissingFileOrFolderIsNamedAsSuch() throws Exception {
        Result validate = comfy("workflows", "validate", data.resolve("wf").resolve("nope.json").toString());
        assertEquals(2, validate.code(), validate.out() + validate.err());
        assertTrue(validate.err().startsWith("comfy: no such file: " + data.resolve("wf").resolve("nope.json")),
                validate.err());
        Result unknownId = comfy("workflows", "validate", "nosuch");
        assertTrue(unknownId.err().contains("there is no workflow nosuch in the library"), unknownId.err());

        Path file = file("square.json", TestPrompts.quick(5106, "lib"));
        String id = comfy("workflows", "import", file.toString(), "--json").lines().get(0).get("id").getAsString();
        Path target = data.resolve("missing-folder").resolve("x.json");
        Result export = comfy("workflows", "export", id, "--out", target.toString());
        assertEquals(2, export.code(), export.out() + export.err());
        assertTrue(export.err().startsWith("comfy: cannot write " + target + ": its folder does not exist"), export.err());
    }

    @Test
    void anImportOfSeveralFilesIsAllOrNone() throws Exception {
        Path a = file("a.json", TestPrompts.quick(5106, "a"));
        Path bad = file("bad.json", "{\"1\": {");
        Path missing = data.resolve("missing.json");
        Path c = file("c.json", TestPrompts.quick(5107, "c"));

        Result refused = comfy("workflows", "import", a.toString(), bad.toString(), missing.toString(), c.toString());
        assertEquals(2, refused.code(), refused.out());
        assertTrue(refused.err().contains("nothing was imported"), refused.err());
        assertTrue(refused.err().contains("bad.json"), refused.err());
        assertTrue(refused.err().contains("missing.json"), refused.err());
        assertFalse(refused.err().contains("a.json") || refused.err().contains("c.json"), refused.err());
        assertEquals(List.of(), ids("workflows"));

        Result named = comfy("workflows", "import", a.toString(), c.toString(), "--name", "one");
        assertEquals(2, named.code(), named.out());
        assertTrue(named.err().contains("--name names one workflow"), named.err());
        assertEquals(List.of(), ids("workflows"));

        Result both = comfy("workflows", "import", a.toString(), c.toString(), "--json");
        assertEquals(0, both.code(), both.err());
        assertEquals(List.of("a", "c"), ids("workflows"));
    }

    @Test
    void aTemplateOfALibraryWorkflowIsNamedAfterItsNameNotItsId() throws Exception {
        Path file = file("grey_square.json", TestPrompts.quick(5110, "lib"));
        Result imported = comfy("workflows", "import", file.toString(), "--name", "Grey square, 8 px", "--json");
        String id = imported.lines().get(0).get("id").getAsString();

        Result created = comfy("templates", "create", id, "--param", "w=1.width", "--server",
                cli.fake.baseUri().toString(), "--json");

        assertEquals(0, created.code(), created.out() + created.err());
        assertEquals("Grey square, 8 px", created.lines().get(0).get("name").getAsString());
    }

    @Test
    void anImportTakesItsOutputTypesFromARegisteredServerAsTheWorkflowsViewDoes() throws Exception {
        Path file = file("square.json", TestPrompts.quick(5111, "lib"));
        Result alone = comfy("workflows", "import", file.toString(), "--json");
        assertEquals(0, alone.code(), alone.out() + alone.err());
        assertEquals("[]", alone.lines().get(0).get("output_types").toString(), "no server: stored without them");

        Osgi.service(ServerRegistry.class).add(new ServerDescriptor("registered", "Registered", cli.fake.baseUri(), null));
        Result typed = comfy("workflows", "import", file.toString(), "--json");
        assertEquals(0, typed.code(), typed.out() + typed.err());
        assertEquals("[\"IMAGE\"]", typed.lines().get(0).get("output_types").toString(), typed.out());
    }

    @Test
    void aTakenNameGetsANumberAsInTheWorkflowsView() throws Exception {
        Path square = file("square.json", TestPrompts.quick(5108, "lib"));
        Path upper = data.resolve("upper");
        Files.createDirectories(upper);
        Path same = Files.writeString(upper.resolve("Square.json"), TestPrompts.quick(5109, "lib"));
        assertEquals(0, comfy("workflows", "import", square.toString()).code());

        Result again = comfy("workflows", "import", square.toString(), same.toString(), "--json");
        assertEquals(0, again.code(), again.err());
        assertEquals(List.of("square (2)", "Square (3)"),
                again.lines().stream().map(l -> l.get("name").getAsString()).toList());
        Result text = comfy("workflows", "import", square.toString());
        assertTrue(text.out().contains("named \"square (4)\" (\"square\" is taken)"), text.out());

        String workflow = again.lines().get(0).get("id").getAsString();
        Result first = comfy("templates", "create", workflow, "--param", "w=1.width", "--name", "Sizes", "--server",
                server, "--json");
        assertEquals("Sizes", first.lines().get(0).get("name").getAsString(), first.err());
        Result second = comfy("templates", "create", workflow, "--param", "w=1.width", "--name", "sizes", "--server",
                server);
        assertEquals(0, second.code(), second.err());
        assertTrue(second.out().contains("named \"sizes (2)\" (\"sizes\" is taken)"), second.out());
    }

    @Test
    void anImportOfManyUiFilesReadsTheServersNodeSchemaOnce() throws Exception {
        List<String> files = new java.util.ArrayList<>();
        for (String control : new String[] { "fixed", "increment", "randomize" }) {
            files.add(file("ui-" + control + ".json", TestPrompts.noiseUi(control)).toString());
        }
        int before = fake.requests("GET /object_info");
        List<String> args = new java.util.ArrayList<>(List.of("workflows", "import"));
        args.addAll(files);
        args.addAll(List.of("--server", server));
        Result imported = comfy(args.toArray(String[]::new));
        assertEquals(0, imported.code(), imported.err() + imported.out());
        assertEquals(3, ids("workflows").size());
        assertEquals(1, fake.requests("GET /object_info") - before, "one schema for the three conversions");
    }

    @Test
    void aListNamesTheEntriesItCannotRead() throws Exception {
        Path file = file("square.json", TestPrompts.quick(5108, "lib"));
        comfy("workflows", "import", file.toString(), "--name", "kept");
        comfy("workflows", "import", file.toString(), "--name", "damaged");
        WorkflowLibrary library = Osgi.service(WorkflowLibrary.class);
        Files.writeString(library.folder().resolve("damaged.meta.json"), "{\"version\": 1, \"name\": ");
        library.refresh(); // as the next comfy process would load the folder

        Result json = comfy("workflows", "list", "--json");
        assertEquals(0, json.code(), json.err());
        assertEquals(List.of("workflow", "problem"), json.events(), json.out());
        assertEquals("kept", json.lines().get(0).get("id").getAsString());
        JsonObject problem = json.lines().get(1);
        assertTrue(problem.get("file").getAsString().endsWith("damaged.meta.json"), json.out());
        assertTrue(problem.get("message").getAsString().contains("not valid library metadata"), json.out());

        Result text = comfy("workflows", "list");
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().startsWith("kept "), text.out());
        assertTrue((text.out() + text.err()).contains("damaged.meta.json is not valid library metadata"),
                text.out() + text.err());
    }

    @Test
    void showListsOutputsOnlyWhenThereAreSome() throws Exception {
        Path api = file("square.json", TestPrompts.quick(5109, "lib"));
        comfy("workflows", "import", api.toString());
        Result none = comfy("workflows", "show", "square");
        assertEquals(0, none.code(), none.err());
        assertFalse(none.out().contains("outputs:"), none.out());
        assertTrue(none.out().contains("classes: EmptyImage, SaveImage"), none.out());

        // a server named: its schema gives the API graph its output types too
        assertEquals(0, comfy("workflows", "import", api.toString(), "--name", "square-typed", "--server", server)
                .code());
        Result typed = comfy("workflows", "show", "square-typed");
        assertTrue(typed.out().contains("\n  outputs: IMAGE\n"), typed.out());
        // a server named but unreachable: imported all the same, without them
        Result offline = comfy("workflows", "import", api.toString(), "--name", "square-offline", "--server",
                "http://127.0.0.1:1");
        assertEquals(0, offline.code(), offline.err());
        assertFalse(comfy("workflows", "show", "square-offline").out().contains("outputs:"));

        Path ui = file("app.json", TestPrompts.APP_UI);
        assertEquals(0, comfy("workflows", "import", ui.toString(), "--server", server).code());
        Result some = comfy("workflows", "show", "app");
        assertEquals(0, some.code(), some.err());
        assertTrue(some.out().contains("\n  outputs: IMAGE\n"), some.out());
    }
}
