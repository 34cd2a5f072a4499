package comfy.workbench.cli.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import comfy.workbench.model.api.ComfyJson;
import comfy.workbench.model.api.NodeSchema;
import comfy.workbench.templates.api.Binding;
import comfy.workbench.templates.api.GraphChange;
import comfy.workbench.templates.api.Parameter;
import comfy.workbench.templates.api.Preview;
import comfy.workbench.templates.api.Template;
import comfy.workbench.templates.api.TemplateDraft;
import comfy.workbench.templates.api.TemplateException;
import comfy.workbench.templates.api.TemplateLibrary;
import comfy.workbench.templates.api.TemplateService;
import comfy.workbench.workflows.api.LibraryEntry;
import comfy.workbench.workflows.api.LibraryException;
import comfy.workbench.workflows.api.LibraryNames;
import comfy.workbench.workflows.api.LibraryProblem;
import comfy.workbench.workflows.api.StoredWorkflow;
import comfy.workbench.workflows.api.ValidationReport;
import comfy.workbench.workflows.api.Workflow;
import comfy.workbench.workflows.api.WorkflowCodec;
import comfy.workbench.workflows.api.WorkflowDraft;
import comfy.workbench.workflows.api.WorkflowException;
import comfy.workbench.workflows.api.WorkflowLibrary;
import comfy.workbench.workflows.api.WorkflowValidator;

/**
 * {@code comfy workflows list|show|import|validate|export} and {@code comfy templates list|show|create|preview}.
 * The node schema, needed to convert UI JSON, to validate and to define parameters, comes from the first reachable
 * server, fetched only when a command needs it.
 */
final class LibraryCommands {

    /** Prints one result: a JSON object or text. */
    interface Printer {
        void line(JsonObject json, String text);

        void validation(String what, ValidationReport report);

        /** Text as it is (an exported workflow). */
        void raw(String text);

        /**
         * Something wrong beside the results that does not fail the command (a library file that cannot be read).
         * A printer with an error stream should put the text there; this default keeps it with the results.
         */
        default void problem(JsonObject json, String text) {
            line(json, text);
        }
    }

    private final WorkflowLibrary workflows;
    private final TemplateLibrary templateLibrary;
    private final TemplateService templates;
    private final WorkflowCodec codec;
    private final WorkflowValidator validator;
    private final Supplier<NodeSchema> schema;

    LibraryCommands(WorkflowLibrary workflows, TemplateLibrary templateLibrary, TemplateService templates,
            WorkflowCodec codec, WorkflowValidator validator, Supplier<NodeSchema> schema) {
        this.workflows = workflows;
        this.templateLibrary = templateLibrary;
        this.templates = templates;
        this.codec = codec;
        this.validator = validator;
        this.schema = new Supplier<>() {
            // fetched once per command: an import of twenty UI files asked the server twenty times
            @Override
            public NodeSchema get() {
                if (fetched == null) {
                    fetched = schema.get();
                }
                return fetched;
            }
        };
    }

    private NodeSchema fetched;

    /**
     * The schema for an import's output types (an API graph says nothing of them; {@code output:IMAGE} finds a workflow
     * by them, as in the Workflows view): the one fetched already, else from the first reachable --server or registered
     * server, else none, so that an import of API files works without a server.
     */
    private NodeSchema schemaForOutputTypes(Args args) {
        if (fetched != null) {
            return fetched;
        }
        try {
            return schema.get();
        } catch (RuntimeException unreachable) {
            return null; // the import does not need it: stored without output types, as without --server
        }
    }

    int workflows(Args args, Printer out) {
        String sub = sub(args, "workflows", "list|show|import|validate|export");
        switch (sub) {
            case "list" -> {
                for (LibraryEntry e : workflows.entries()) {
                    out.line(entryJson(e, "workflow"), String.format("%-30s %-40s %s %s", e.id(), e.name(), e.format(),
                            String.join(",", e.metadata().tags())));
                }
                problems(workflows.problems(), out);
                return Cli.EXIT_OK;
            }
            case "show" -> {
                StoredWorkflow w = workflows.read(arg(args, 1, "workflows show ID"));
                JsonObject json = entryJson(w.entry(), "workflow");
                json.add("prompt", w.workflow().prompt().toJsonTree());
                StringBuilder text = new StringBuilder(w.entry().name()).append(" (").append(w.id()).append(", revision ")
                        .append(w.revision()).append(")\n  nodes: ").append(w.workflow().prompt().size())
                        .append("  classes: ").append(String.join(", ", new TreeSet<>(w.entry().nodeClasses())));
                if (!w.entry().outputTypes().isEmpty()) {
                    text.append("\n  outputs: ").append(String.join(", ", new TreeSet<>(w.entry().outputTypes())));
                }
                out.line(json, text.append("\n  source: ").append(w.entry().metadata().source()).toString());
                return Cli.EXIT_OK;
            }
            case "import" -> {
                List<String> files = args.positional().subList(1, args.positional().size());
                if (files.isEmpty()) {
                    throw new Args.UsageException("workflows import needs FILE...");
                }
                if (files.size() > 1 && args.flag("name")) {
                    throw new Args.UsageException("--name names one workflow, but " + files.size()
                            + " files are given; import them one by one, or without --name to name each after its file");
                }
                String name = name(args, stem(Path.of(files.get(0))), "workflow");
                List<FileWorkflow> read = readAll(files);
                NodeSchema types = schemaForOutputTypes(args);
                LibraryNames names = new LibraryNames(workflows.entries());
                for (FileWorkflow f : read) {
                    String wanted = files.size() == 1 ? name : stem(f.file());
                    String each = names.claim(wanted);
                    LibraryEntry e = workflows.create(WorkflowDraft.of(each, f.workflow())
                            .withSource(f.file().toAbsolutePath().toString()).withTags(args.all("tag"))
                            .withSchema(types));
                    out.line(entryJson(e, "workflow"), "imported " + f.file() + " as " + e.id() + renamed(wanted, each));
                }
                return Cli.EXIT_OK;
            }
            case "validate" -> {
                String what = arg(args, 1, "workflows validate ID|FILE");
                Workflow w = workflowOf(what);
                ValidationReport report = validator.validate(w.prompt(), schema.get());
                if (report.valid()) {
                    JsonObject json = new JsonObject();
                    json.addProperty("event", "valid");
                    json.addProperty("workflow", what);
                    out.line(json, what + " is valid for the server");
                    return Cli.EXIT_OK;
                }
                out.validation(what, report);
                return Cli.EXIT_USAGE;
            }
            case "export" -> {
                StoredWorkflow w = workflows.read(arg(args, 1, "workflows export ID"));
                String text = args.flag("ui") ? codec.writeUi(w.workflow()).orElseThrow(() -> new Args.UsageException(
                        w.id() + " has no UI form (it was imported as API JSON); export it without --ui"))
                        : codec.writeApi(w.workflow());
                String target = args.one("out", null);
                if (target == null) {
                    // JSON lines: the same document, on one line
                    out.raw(args.flag("json") ? ComfyJson.write(ComfyJson.parse(text, w.id())) : text);
                } else {
                    try {
                        Files.writeString(Path.of(target), text, StandardCharsets.UTF_8);
                    } catch (IOException e) {
                        throw new Args.UsageException("cannot write " + target + ": " + InputFiles.why(e));
                    }
                    JsonObject json = entryJson(w.entry(), "workflow");
                    json.addProperty("file", target);
                    out.line(json, "wrote " + target);
                }
                return Cli.EXIT_OK;
            }
            default -> throw new Args.UsageException("workflows " + sub + ": one of list, show, import, validate, export");
        }
    }

    int templates(Args args, Printer out) {
        String sub = sub(args, "templates", "list|show|create|preview");
        switch (sub) {
            case "list" -> {
                for (LibraryEntry e : templateLibrary.entries()) {
                    out.line(entryJson(e, "template"), String.format("%-30s %s", e.id(), e.name()));
                }
                problems(templateLibrary.problems(), out);
                return Cli.EXIT_OK;
            }
            case "show" -> {
                Template t = template(arg(args, 1, "templates show ID"));
                JsonObject json = new JsonObject();
                json.addProperty("event", "template");
                json.addProperty("id", t.id());
                json.addProperty("name", t.name());
                JsonArray params = new JsonArray();
                StringBuilder text = new StringBuilder(t.name() + " (" + t.id() + ")");
                for (Parameter p : t.parameters()) {
                    JsonObject pj = new JsonObject();
                    pj.addProperty("name", p.name());
                    pj.addProperty("label", p.label());
                    pj.addProperty("type", p.type().name());
                    if (p.defaultValue() != null) {
                        pj.add("default", p.defaultValue());
                    }
                    params.add(pj);
                    text.append("\n  ").append(p.name()).append(" : ").append(p.type())
                            .append(p.min() != null || p.max() != null ? " [" + p.min() + " .. " + p.max() + "]" : "")
                            .append(p.defaultValue() != null ? " = " + p.defaultValue() : "").append("  → ")
                            .append(p.bindings());
                }
                json.add("parameters", params);
                t.problems().forEach(pr -> text.append("\n  problem: ").append(pr.message()));
                out.line(json, text.toString());
                return t.problems().isEmpty() ? Cli.EXIT_OK : Cli.EXIT_FAILED;
            }
            case "create" -> {
                String what = arg(args, 1, "templates create WORKFLOW_ID|FILE");
                Map<String, String> bound = params(args);
                Workflow w = workflowOf(what);
                // named after the workflow: a file's name, or a library workflow's own name (not its id)
                String name = name(args, Files.isRegularFile(Path.of(what)) ? stem(Path.of(what))
                        : workflows.read(what).entry().name(), "template");
                List<Parameter> parameters = new ArrayList<>();
                if (args.flag("app")) {
                    // an API workflow has no UI form to declare App inputs in: no need to fetch the schema to know
                    List<Parameter> app = w.uiForm().isEmpty() ? List.of() : templates.appParameters(w, schema.get());
                    if (app.isEmpty()) {
                        throw new TemplateException(TemplateException.Kind.BAD_DEFINITION, what + " has no App-mode "
                                + "data: --app takes the inputs a UI workflow saved in the frontend's App mode declares "
                                + "(extra.linearData); pick inputs with --param NAME=NODE.INPUT instead");
                    }
                    parameters.addAll(app);
                }
                for (Map.Entry<String, String> e : bound.entrySet()) {
                    List<Binding> bindings = new ArrayList<>();
                    for (String target : e.getValue().split(",")) {
                        int dot = target.indexOf('.');
                        if (dot <= 0) {
                            throw new Args.UsageException("--param " + e.getKey() + "=NODE.INPUT[,NODE.INPUT...], not "
                                    + e.getValue());
                        }
                        bindings.add(new Binding(target.substring(0, dot).strip(), target.substring(dot + 1).strip()));
                    }
                    parameters.add(templates.parameter(w, schema.get(), e.getKey(), bindings));
                }
                if (parameters.isEmpty()) {
                    throw new Args.UsageException("templates create needs --param NAME=NODE.INPUT... or --app");
                }
                String free = new LibraryNames(templateLibrary.entries()).claim(name);
                Template t = templateLibrary.create(TemplateDraft.of(free, w, parameters).withTags(args.all("tag")));
                JsonObject json = new JsonObject();
                json.addProperty("event", "template");
                json.addProperty("id", t.id());
                json.addProperty("name", t.name());
                json.addProperty("parameters", t.parameters().size());
                out.line(json, "created template " + t.id() + renamed(name, free) + " with " + t.parameters().size()
                        + " parameters");
                return Cli.EXIT_OK;
            }
            case "preview" -> {
                Template t = template(arg(args, 1, "templates preview ID"));
                Map<String, Object> values = new LinkedHashMap<>(params(args));
                Preview p = templates.preview(t, values, schema.get());
                JsonObject json = new JsonObject();
                json.addProperty("event", "preview");
                json.addProperty("id", t.id());
                json.add("prompt", p.prompt().toJsonTree());
                JsonArray changes = new JsonArray();
                StringBuilder text = new StringBuilder(t.name() + ": " + p.changes().size() + " changes");
                for (GraphChange c : p.changes()) {
                    JsonObject cj = new JsonObject();
                    cj.addProperty("node_id", c.nodeId());
                    cj.addProperty("class_type", c.classType());
                    cj.addProperty("input", c.input());
                    cj.add("before", c.before());
                    cj.add("after", c.after());
                    changes.add(cj);
                    text.append("\n  ").append(c);
                }
                json.add("changes", changes);
                json.addProperty("valid", p.validation().valid());
                out.line(json, text.toString());
                if (!p.validation().valid()) {
                    out.validation(t.id(), p.validation());
                    return Cli.EXIT_USAGE;
                }
                return Cli.EXIT_OK;
            }
            default -> throw new Args.UsageException("templates " + sub + ": one of list, show, create, preview");
        }
    }

    /** A workflow read from a file, not yet in the library. */
    private record FileWorkflow(Path file, Workflow workflow) {
    }

    /**
     * Reads every file before anything is imported, so that one bad file leaves the library as it was and the
     * message names every bad file, not only the first.
     */
    private List<FileWorkflow> readAll(List<String> files) {
        List<FileWorkflow> read = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        WorkflowException.Kind kind = null;
        for (String file : files) {
            Path path = Path.of(file);
            try {
                read.add(new FileWorkflow(path, codec.read(read(path), path.getFileName().toString(),
                        needsSchema(path) ? schema.get() : null)));
            } catch (WorkflowException | Args.UsageException e) {
                if (files.size() == 1) {
                    throw e;
                }
                bad.add(e.getMessage());
                if (kind == null) {
                    kind = e instanceof WorkflowException w ? w.kind() : WorkflowException.Kind.IO;
                }
            }
        }
        if (!bad.isEmpty()) {
            throw new WorkflowException(kind, "workflows import", "nothing was imported, because " + bad.size() + " of "
                    + files.size() + " files cannot be: " + String.join("; ", bad));
        }
        return read;
    }

    /** Reports the library files that could not be loaded; they do not fail a listing of the others. */
    private static void problems(List<LibraryProblem> problems, Printer out) {
        for (LibraryProblem p : problems) {
            JsonObject json = new JsonObject();
            json.addProperty("event", "problem");
            json.addProperty("file", p.file().toString());
            json.addProperty("message", p.message());
            out.problem(json, "comfy: not listed: " + p.message() + " (" + p.file() + ")");
        }
    }

    private Template template(String id) {
        return template(templateLibrary, id);
    }

    /** The library says "workflow" for whatever it keeps; a missing template is named as one. */
    static Template template(TemplateLibrary templateLibrary, String id) {
        try {
            return templateLibrary.read(id);
        } catch (LibraryException e) {
            if (e.kind() == LibraryException.Kind.NOT_FOUND) {
                throw new LibraryException(LibraryException.Kind.NOT_FOUND, id,
                        "there is no template " + id + " in the library", e);
            }
            throw e;
        }
    }

    /**
     * {@code --param NAME=VALUE} pairs in order. A name given twice is refused: keeping either would silently drop
     * what the user asked for.
     */
    private static Map<String, String> params(Args args) {
        Map<String, String> pairs = new LinkedHashMap<>();
        for (String v : args.all("param")) {
            int eq = v.indexOf('=');
            if (eq <= 0) {
                throw new Args.UsageException("--param takes NAME=VALUE, not \"" + v + "\"");
            }
            String name = v.substring(0, eq).strip();
            if (pairs.putIfAbsent(name, v.substring(eq + 1)) != null) {
                throw new Args.UsageException("--param " + name + " is given twice; give each parameter once");
            }
        }
        return pairs;
    }

    /** {@code --name}, else the fallback; checked here, since the drafts refuse a blank name with an exception no command reports. */
    private static String name(Args args, String fallback, String what) {
        String name = args.one("name", fallback);
        if (name.isBlank()) {
            throw new Args.UsageException("--name is blank: a " + what + " needs a name");
        }
        return name;
    }

    /** A library workflow by id, or a file. */
    private Workflow workflowOf(String what) {
        Path path = Path.of(what);
        if (Files.isRegularFile(path)) {
            return codec.read(read(path), path.getFileName().toString(), needsSchema(path) ? schema.get() : null);
        }
        try {
            return workflows.read(what).workflow();
        } catch (LibraryException e) {
            // what looks like a path was meant as a file: say that it is missing, not that the library lacks an id
            if (e.kind() == LibraryException.Kind.NOT_FOUND && (what.contains("/") || what.contains(".")
                    || what.contains(java.io.File.separator))) {
                throw new Args.UsageException("no such file: " + what + " (nor a workflow of that id in the library)");
            }
            throw e;
        }
    }

    /** PNGs and UI JSON need the schema to convert; fetching it is skipped for API JSON. */
    /**
     * Whether reading the file takes a server's node schema: a PNG (its workflow may be the UI form) or a UI form;
     * not a file that is neither JSON nor PNG, which is refused as such without asking a server (exit 3 before).
     */
    private static boolean needsSchema(Path path) {
        String head = new String(InputFiles.head(path, 4096), StandardCharsets.ISO_8859_1);
        boolean png = head.startsWith("\u0089PNG");
        return png || head.stripLeading().startsWith("{") && head.contains("\"nodes\"");
    }

    private static byte[] read(Path path) {
        return InputFiles.read(path);
    }

    private static String sub(Args args, String command, String choices) {
        if (args.positional().isEmpty()) {
            throw new Args.UsageException(command + " needs one of " + choices);
        }
        return args.positional().get(0);
    }

    private static String arg(Args args, int index, String usage) {
        if (args.positional().size() <= index) {
            throw new Args.UsageException("usage: comfy " + usage);
        }
        return args.positional().get(index);
    }

    private static String stem(Path path) {
        String name = path.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /** @param event what the entry is: {@code workflow} or {@code template} */
    static JsonObject entryJson(LibraryEntry e, String event) {
        JsonObject json = new JsonObject();
        json.addProperty("event", event);
        json.addProperty("id", e.id());
        json.addProperty("name", e.name());
        json.addProperty("revision", e.revision());
        json.addProperty("format", e.format().name());
        JsonArray tags = new JsonArray();
        e.metadata().tags().forEach(tags::add);
        json.add("tags", tags);
        JsonArray classes = new JsonArray();
        e.nodeClasses().stream().sorted().forEach(classes::add);
        json.add("node_classes", classes);
        JsonArray outputs = new JsonArray();
        e.outputTypes().stream().sorted().forEach(outputs::add);
        json.add("output_types", outputs);
        json.addProperty("modified", Cli.timestamp(e.metadata().modified()));
        return json;
    }

    /** What the user is told when the name asked for was taken ({@link LibraryNames}). */
    private static String renamed(String wanted, String given) {
        return wanted.strip().equals(given) ? "" : ", named \"" + given + "\" (\"" + wanted.strip() + "\" is taken)";
    }
}
