package comfy.workbench.cli.internal;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

import comfy.workbench.connection.api.ComfyClient;
import comfy.workbench.connection.api.ComfyClients;
import comfy.workbench.connection.api.ComfyException;
import comfy.workbench.connection.api.Device;
import comfy.workbench.connection.api.QueueSnapshot;
import comfy.workbench.connection.api.ServerDescriptor;
import comfy.workbench.connection.api.ServerRegistry;
import comfy.workbench.connection.api.SystemStats;
import comfy.workbench.cache.api.CacheManager;
import comfy.workbench.cache.api.CacheStats;
import comfy.workbench.extensions.api.Extension;
import comfy.workbench.extensions.api.ExtensionRegistry;
import comfy.workbench.extensions.api.ExtensionState;
import comfy.workbench.manager.api.CheckResult;
import comfy.workbench.manager.api.ComponentInfo;
import comfy.workbench.manager.api.ComponentState;
import comfy.workbench.manager.api.HealthReport;
import comfy.workbench.manager.api.HealthStatus;
import comfy.workbench.manager.api.PlatformManager;
import comfy.workbench.model.api.ComfyJson;
import comfy.workbench.model.api.InputSection;
import comfy.workbench.model.api.NodeSchema;
import comfy.workbench.model.api.PromptGraph;
import comfy.workbench.monitor.api.ExecutionListener;
import comfy.workbench.monitor.api.ExecutionMonitor;
import comfy.workbench.queue.api.DispatchPolicy;
import comfy.workbench.queue.api.Job;
import comfy.workbench.queue.api.JobError;
import comfy.workbench.queue.api.JobEvent;
import comfy.workbench.queue.api.JobListener;
import comfy.workbench.queue.api.JobQueue;
import comfy.workbench.queue.api.JobRequest;
import comfy.workbench.queue.api.JobState;
import comfy.workbench.queue.api.Priority;
import comfy.workbench.queue.api.ServerPolicy;
import comfy.workbench.templates.api.Instance;
import comfy.workbench.templates.api.SweepAxis;
import comfy.workbench.templates.api.SweepPlan;
import comfy.workbench.templates.api.Template;
import comfy.workbench.templates.api.TemplateException;
import comfy.workbench.templates.api.TemplateLibrary;
import comfy.workbench.templates.api.TemplateService;
import comfy.workbench.workflows.api.Finding;
import comfy.workbench.workflows.api.ValidationReport;
import comfy.workbench.workflows.api.ValueControl;
import comfy.workbench.workflows.api.Workflow;
import comfy.workbench.workflows.api.WorkflowCodec;
import comfy.workbench.workflows.api.WorkflowException;
import comfy.workbench.workflows.api.WorkflowValidator;

/** The commands of {@code comfy}. Output: human lines, or with {@code --json} one JSON object per line. */
@Component(service = Cli.class)
public final class Cli {

    private static final Logger LOG = LoggerFactory.getLogger(Cli.class);

    static final int EXIT_OK = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;
    static final int EXIT_UNREACHABLE = 3;
    /** Another comfy or workbench holds the data folder: a scheduler tries again later, unlike a usage slip. */
    static final int EXIT_BUSY = 4;
    /** The most instances one {@code run} makes (sweeps times {@code --count}). */
    static final int MAX_JOBS = 100_000;
    /** How long {@code status} waits for the servers' answers. */
    private static final long STATUS_SECONDS = 10;

    static final String USAGE = """
            usage: comfy COMMAND [OPTIONS]
              status [--server URL]... [--services] [--json]
                  health, version, devices and queue of each server; exit 3 if one is unreachable;
                  --services: also every service component (state, missing references, failure), the
                  extensions (each jar of <data>/extensions: bundle, state, what is wrong), the
                  caches' statistics and the platform's health checks; exit 1 if a component failed or is unsatisfied or health is CRITICAL
              run FILE... [--server URL]... [--set NODE.INPUT=VALUE]... [--param NAME=VALUE]...
                  [--sweep NAME=V1,V2,...]... [--count N] [--priority critical|high|normal|low]
                  [--concurrency N] [--dispatch-policy NAME] [--out DIR] [--data DIR] [--json]
                  FILE: API JSON, UI JSON, a PNG with metadata, or template:ID from the template library;
                  --sweep: one run per value of a template's parameter (text and image files: V1|V2|..., as prompts have commas)
                  --count N: N runs; seeds change between them as a UI workflow's control after generate says (an API
                  workflow's seeds are randomized after the first run, as the frontend does for a graph without its form)
                  (a run makes at most 100000 jobs: files and sweep combinations times --count)
                  --dispatch-policy: which registered policy picks each job's server (most-free-slots, the default;
                  most-free-vram; an extension's)
                  unfinished jobs of earlier runs run too and are reported, but only this run's own decide its exit:
                  exit 0 all succeeded, 1 some failed, 2 invalid input, 3 no server reachable,
                  130 (Ctrl-C) or 143 (SIGTERM) interrupted: the jobs stay queued
              resume [--data DIR] [--dispatch-policy NAME] [--out DIR] [--json]   finishes the unfinished jobs of an
                  interrupted run (exit 3, those jobs kept, when no server they may run on is reachable)
              jobs [--state STATE]... [--batch ID] [--server ID] [--json]  lists jobs (of that batch, sent to that server)
              servers list | add URL [--name NAME] [--id ID] | remove ID...   the registered servers (runs without
                  --server use all of them; a run registers a --server once it answered; a server with unfinished
                  jobs sent to it, or jobs that may run on it only, is not removed)
              cancel ID... | --batch ID         cancels jobs (exit 1 for a job that had ended, 2 for an unknown id; one
                  its server finished while no run watched is kept: comfy resume fetches its outputs)
              retry ID... | --batch ID [--concurrency N] [--dispatch-policy NAME] [--json]   queues the failed and
                  cancelled jobs named (or of the batch) again as new jobs, then finishes them as resume does (with any
                  other unfinished job) and exits as it does (1 also for a named job that did not fail or was not
                  cancelled, or was retried already)
              forget ID... | --batch ID | --ended   removes ended jobs (succeeded, failed, cancelled) from the job
                  store and comfy jobs; their files stay on disk (exit 1 for a job named that has not ended, 2 for an
                  unknown id or batch)
              workflows list | show ID | import FILE... [--name N] [--tag T]... | validate ID|FILE | export ID [--ui] [--out FILE]
              templates list | show ID | create WORKFLOW_ID|FILE (--param NAME=NODE.INPUT[,NODE.INPUT]... | --app)
                  [--name N] [--tag T]... | preview ID [--param NAME=VALUE]...
              (a command that needs the node schema reads it from the first reachable --server, else registered server;
              options may also come before the command; exit 4 for any command when another comfy or workbench
              holds the data folder: one process at a time, try again when it ends)
            """;

    private final ServerRegistry registry;
    private final ComfyClients clients;
    private final JobQueue queue;
    private final WorkflowCodec codec;
    private final WorkflowValidator validator;
    private final TemplateService templates;
    private final TemplateLibrary templateLibrary;
    private final comfy.workbench.workflows.api.WorkflowLibrary workflowLibrary;
    private final BundleContext context;
    private final PlatformManager manager;
    private final CacheManager caches;
    private final ExecutionMonitor monitor;
    /** What became of the extension jars; absent in a framework without the extensions bundle (some tests). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ExtensionRegistry extensions;

    @Activate
    public Cli(@Reference ServerRegistry registry, @Reference ComfyClients clients, @Reference JobQueue queue,
            @Reference WorkflowCodec codec, @Reference WorkflowValidator validator, @Reference TemplateService templates,
            @Reference TemplateLibrary templateLibrary, @Reference comfy.workbench.workflows.api.WorkflowLibrary workflowLibrary,
            @Reference PlatformManager manager, @Reference CacheManager caches, @Reference ExecutionMonitor monitor,
            BundleContext context) {
        this.manager = manager;
        this.monitor = monitor;
        this.caches = caches;
        this.workflowLibrary = workflowLibrary;
        this.registry = registry;
        this.clients = clients;
        this.queue = queue;
        this.codec = codec;
        this.validator = validator;
        this.templates = templates;
        this.templateLibrary = templateLibrary;
        this.context = context;
    }

    /** Runs one command; gives the exit code. */
    public int run(String[] argv, PrintStream out, PrintStream err) {
        // a command line that cannot be parsed still gets its error in the form asked for
        Output o = new Output(out, err, List.of(argv).contains("--json"));
        try {
            Args args = Args.parse(argv);
            o = new Output(out, err, args.flag("json"));
            return switch (args.command()) {
                case "status" -> status(args, o);
                case "run" -> runFiles(args, o);
                case "resume" -> resume(o);
                case "jobs" -> jobs(args, o);
                case "cancel" -> cancel(args, o);
                case "forget" -> forget(args, o);
                case "retry" -> retry(args, o);
                case "workflows" -> library(args, o).workflows(args, printer(o));
                case "templates" -> library(args, o).templates(args, printer(o));
                case "servers" -> registered(args, o);
                case "help", "--help" -> {
                    out.println(USAGE); // (here when options came first: comfy --data DIR help)
                    yield EXIT_OK;
                }
                default -> throw new Args.UsageException("unknown command " + args.command());
            };
        } catch (Args.UsageException e) {
            if (o.json()) {
                o.error("usage", e.getMessage());
            } else {
                err.println("comfy: " + e.getMessage());
                // the whole usage helps with a command comfy does not know; after any other slip it buries the message
                err.println(e.getMessage().startsWith("unknown command") ? USAGE : "(comfy help lists the commands and their options)");
            }
            return EXIT_USAGE;
        } catch (WorkflowException | TemplateException e) {
            o.error("invalid_input", e.getMessage());
            return EXIT_USAGE;
        } catch (Unreachable e) {
            o.error("unreachable", e.getMessage());
            return EXIT_UNREACHABLE;
        } catch (comfy.workbench.workflows.api.LibraryException e) {
            o.error(e.kind().name().toLowerCase(Locale.ROOT), e.getMessage());
            return e.kind() == comfy.workbench.workflows.api.LibraryException.Kind.NOT_FOUND ? EXIT_USAGE : EXIT_FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            o.error("interrupted", "interrupted");
            return EXIT_FAILED;
        } catch (IllegalArgumentException e) {
            // a value a service refused (a name, a number, a URL): the message names it
            o.error("invalid_input", e.getMessage());
            return EXIT_USAGE;
        } catch (java.io.UncheckedIOException e) {
            // a file of the data folder that cannot be written (read-only, a full disk): the message names it
            o.error("io", e.getMessage());
            return EXIT_FAILED;
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            // an Error too: the application would end with exit 0, as if the command had done its work
            LOG.error("comfy {} failed", String.join(" ", argv), e);
            o.error("internal", "failed unexpectedly: " + e + " (its stack trace is on standard error)");
            return EXIT_FAILED;
        }
    }

    /** No server answered where one was needed. */
    private static final class Unreachable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unreachable(String message) {
            super(message);
        }
    }

    private LibraryCommands library(Args args, Output o) {
        return new LibraryCommands(workflowLibrary, templateLibrary, templates, codec, validator, () -> {
            List<String> down = new ArrayList<>();
            for (ServerDescriptor s : servers(args)) {
                try {
                    return clients.client(s).objectInfo(NodeSchema::parse);
                } catch (ComfyException e) {
                    down.add(s.id() + ": " + e.getMessage());
                }
            }
            throw new Unreachable("this needs a server's node schema, and no server is reachable"
                    + (down.isEmpty() ? " (none is registered; give --server URL)" : ": " + String.join("; ", down)));
        });
    }

    private static LibraryCommands.Printer printer(Output o) {
        return new LibraryCommands.Printer() {
            @Override
            public void line(JsonObject json, String text) {
                o.line(json, text);
            }

            @Override
            public void validation(String what, ValidationReport report) {
                o.validation(what, report);
            }

            @Override
            public void problem(JsonObject json, String text) {
                if (o.json()) {
                    o.line(json, text);
                } else {
                    o.err().println(text);
                }
            }

            @Override
            public void raw(String text) {
                o.out().println(text);
            }
        };
    }

    // ---- status

    private int status(Args args, Output o) {
        List<ServerDescriptor> servers = servers(args);
        if (servers.isEmpty()) {
            // nothing to ask is not "all fine": no run could go anywhere
            o.error("unreachable", "no server is registered (comfy servers add URL, or status --server URL)");
            if (args.flag("services")) {
                services(o);
            }
            return EXIT_UNREACHABLE;
        }
        boolean all = true;
        // all servers asked at once, each answer awaited until one deadline: a frozen server costs its seconds once,
        // not a request timeout per route and server
        ExecutorService asking = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "comfy status");
            t.setDaemon(true);
            return t;
        });
        List<Future<ServerAnswer>> answers = new ArrayList<>();
        for (ServerDescriptor s : servers) {
            ComfyClient client = clients.client(s);
            answers.add(asking.submit(() -> new ServerAnswer(client.systemStats(), client.queue())));
        }
        asking.shutdown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STATUS_SECONDS);
        for (int i = 0; i < servers.size(); i++) {
            ServerDescriptor s = servers.get(i);
            JsonObject line = new JsonObject();
            line.addProperty("event", "status");
            line.addProperty("server", s.id());
            line.addProperty("url", s.baseUrl().toString());
            try {
                ServerAnswer answer;
                try {
                    answer = answers.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    answers.get(i).cancel(true);
                    throw new ComfyException(ComfyException.Kind.TIMEOUT, s.id(), "GET /api/system_stats",
                            "no answer within " + STATUS_SECONDS + " s (a frozen server, or a network problem)", null);
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof ComfyException c) {
                        throw c;
                    }
                    throw new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ComfyException(ComfyException.Kind.INTERRUPTED, s.id(), "GET /api/system_stats",
                            "interrupted", null);
                }
                SystemStats stats = answer.stats();
                QueueSnapshot q = answer.queue();
                line.addProperty("reachable", true);
                line.addProperty("version", stats.comfyuiVersion());
                line.addProperty("python", stats.pythonVersion().split(" ")[0]);
                JsonArray devices = new JsonArray();
                StringBuilder text = new StringBuilder();
                for (Device d : stats.devices()) {
                    JsonObject dev = new JsonObject();
                    dev.addProperty("name", d.name());
                    dev.addProperty("type", d.type());
                    dev.addProperty("vram_total", d.vramTotal());
                    dev.addProperty("vram_free", d.vramFree());
                    devices.add(dev);
                    text.append(text.length() == 0 ? "" : ", ").append(d.name()).append(" (")
                            .append(d.vramFree() / (1 << 20)).append('/').append(d.vramTotal() / (1 << 20)).append(" MiB free)");
                }
                line.add("devices", devices);
                JsonObject queueJson = new JsonObject();
                queueJson.addProperty("running", q.running().size());
                queueJson.addProperty("pending", q.pending().size());
                line.add("queue", queueJson);
                o.line(line, String.format(Locale.ROOT, "%-20s UP    ComfyUI %s  %s  queue: %d running, %d pending  %s",
                        s.id(), stats.comfyuiVersion().isEmpty() ? "?" : stats.comfyuiVersion(), s.baseUrl(),
                        q.running().size(), q.pending().size(), text));
            } catch (ComfyException e) {
                all = false;
                line.addProperty("reachable", false);
                line.addProperty("error", e.getMessage());
                o.line(line, String.format(Locale.ROOT, "%-20s DOWN  %s  %s", s.id(), s.baseUrl(), e.getMessage()));
            }
        }
        if (!all) {
            if (args.flag("services")) {
                services(o);
            }
            return EXIT_UNREACHABLE;
        }
        return args.flag("services") && !services(o) ? EXIT_FAILED : EXIT_OK;
    }

    /** What {@code status} asks each server. */
    private record ServerAnswer(SystemStats stats, QueueSnapshot queue) {
    }

    /** Prints the components and the health checks; false when a component is broken or the health CRITICAL. */
    private boolean services(Output o) {
        boolean fine = true;
        for (ComponentInfo c : manager.components()) {
            boolean broken = c.state() == ComponentState.FAILED || c.state() == ComponentState.UNSATISFIED_REFERENCE;
            fine &= !broken;
            JsonObject line = new JsonObject();
            line.addProperty("event", "component");
            line.addProperty("name", c.name());
            line.addProperty("bundle", c.bundle());
            line.addProperty("state", c.state().name());
            JsonArray services = new JsonArray();
            c.services().forEach(services::add);
            line.add("services", services);
            JsonArray missing = new JsonArray();
            c.missingReferences().forEach(missing::add);
            line.add("missing", missing);
            if (!c.failure().isEmpty()) {
                line.addProperty("failure", c.failure());
            }
            String why = !c.missingReferences().isEmpty() ? "  missing: " + String.join(", ", c.missingReferences())
                    : c.failure().isEmpty() ? "" : "  failure: " + c.failure().lines().findFirst().orElse("");
            o.line(line, String.format(Locale.ROOT, "%-26s %s  (%s)%s", c.state(), c.name(), c.bundle(), why));
        }
        ExtensionRegistry registry = extensions;
        for (Extension x : registry == null ? List.<Extension>of() : registry.extensions()) {
            JsonObject line = new JsonObject();
            line.addProperty("event", "extension");
            line.addProperty("file", x.file());
            line.addProperty("name", x.symbolicName());
            line.addProperty("version", x.version());
            line.addProperty("state", x.state().name());
            if (!x.problem().isEmpty()) {
                line.addProperty("problem", x.problem());
            }
            line.addProperty("bundle_id", x.bundleId());
            o.line(line, String.format(Locale.ROOT, "%-26s extension %s (%s%s)%s", x.state(), x.file(),
                    x.symbolicName().isEmpty() ? "not a bundle" : x.symbolicName(),
                    x.version().isEmpty() ? "" : " " + x.version(), x.state() == ExtensionState.WORKBENCH_ONLY
                            ? "  for the workbench: not started in the command line"
                            : x.problem().isEmpty() ? "" : "  " + x.problem()));
        }
        for (CacheStats c : caches.statistics()) {
            JsonObject line = new JsonObject();
            line.addProperty("event", "cache");
            line.addProperty("name", c.name());
            line.addProperty("hits", c.hits());
            line.addProperty("misses", c.misses());
            if (c.requests() == 0) {
                line.add("hit_rate", JsonNull.INSTANCE); // no requests: no rate, not a perfect one
            } else {
                line.addProperty("hit_rate", c.hitRate());
            }
            line.addProperty("load_failures", c.loadFailures());
            line.addProperty("evictions", c.evictions());
            line.addProperty("entries", c.entryCount());
            line.addProperty("weight_bytes", c.weightBytes());
            line.addProperty("disk_entries", c.diskEntries());
            line.addProperty("disk_bytes", c.diskBytes());
            String rate = c.requests() == 0 ? "no requests yet"
                    : String.format(Locale.ROOT, "%d hits, %d misses (%.0f %% hits)", c.hits(), c.misses(), c.hitRate() * 100);
            o.line(line, String.format(Locale.ROOT, "cache    %s: %s, %d evictions, %d entries / %d KiB in memory, "
                    + "%d / %d KiB on disk", c.name(), rate, c.evictions(), c.entryCount(), c.weightBytes() >> 10,
                    c.diskEntries(), c.diskBytes() >> 10));
        }
        HealthReport health = manager.checkNow();
        for (CheckResult r : health.checks()) {
            JsonObject line = new JsonObject();
            line.addProperty("event", "check");
            line.addProperty("name", r.name());
            line.addProperty("status", r.status().name());
            line.addProperty("message", r.result().message());
            JsonArray tags = new JsonArray();
            r.tags().forEach(tags::add);
            line.add("tags", tags);
            o.line(line, String.format(Locale.ROOT, "%-8s check %s: %s", r.status(), r.name(), r.result().message()));
        }
        JsonObject line = new JsonObject();
        line.addProperty("event", "health");
        line.addProperty("status", health.status().name());
        JsonArray reasons = new JsonArray();
        health.reasons().forEach(reasons::add);
        line.add("reasons", reasons);
        o.line(line, "health: " + health.status() + (health.reasons().isEmpty() ? "" : " — " + String.join("; ", health.reasons())));
        return fine && health.status() != HealthStatus.CRITICAL;
    }

    /** The servers of {@code --server} options (under stable ids, so that a run registers each once), else all registered. */
    private List<ServerDescriptor> servers(Args args) {
        List<String> urls = args.all("server");
        if (urls.isEmpty()) {
            return registry.servers();
        }
        List<ServerDescriptor> pool = new ArrayList<>();
        for (String url : urls) {
            URI uri;
            try {
                uri = ServerDescriptor.parseUrl(url);
            } catch (IllegalArgumentException e) {
                throw new Args.UsageException("--server " + url + ": " + e.getMessage());
            }
            ServerDescriptor known = registry.servers().stream().filter(s -> sameUrl(s.baseUrl(), uri)).findFirst()
                    .orElse(null);
            if (known == null) {
                // not registered yet: only a run registers it, once it answered (a typo must not stay for good)
                String id = idFor(uri);
                known = registry.server(id).orElse(new ServerDescriptor(id, url, uri, null));
            }
            pool.add(known);
        }
        return pool;
    }

    /** The stable id the command line gives a server known by its URL only. */
    private static String idFor(URI uri) {
        return ("cli-" + uri.getHost() + "-" + uri.getPort() + uri.getPath()).replaceAll("[^A-Za-z0-9._-]+", "-")
                .replaceAll("-+$", "");
    }

    /** {@code comfy servers list | add URL [--name N] [--id ID] | remove ID...}: the registry a farm's runs use. */
    private int registered(Args args, Output o) {
        String sub = args.positional().isEmpty() ? "list" : args.positional().get(0);
        switch (sub) {
            case "list" -> {
                for (ServerDescriptor s : registry.servers()) {
                    o.line(serverJson(s, "server"), String.format(Locale.ROOT, "%-24s %-24s %s", s.id(), s.label(),
                            s.baseUrl()));
                }
                return EXIT_OK;
            }
            case "add" -> {
                if (args.positional().size() != 2) {
                    throw new Args.UsageException("servers add takes one URL: servers add URL [--name NAME] [--id ID]");
                }
                String url = args.positional().get(1);
                URI uri;
                try {
                    uri = ServerDescriptor.parseUrl(url);
                } catch (IllegalArgumentException e) {
                    throw new Args.UsageException("servers add " + url + ": " + e.getMessage());
                }
                Optional<ServerDescriptor> same = registry.servers().stream().filter(s -> sameUrl(s.baseUrl(), uri))
                        .findFirst();
                if (same.isPresent()) {
                    // the same again is done already (a setup script run twice); another id or name for it is a slip
                    String id = args.one("id", null);
                    String label = args.one("name", null);
                    if ((id == null || id.equals(same.get().id())) && (label == null || label.equals(same.get().label()))) {
                        o.line(serverJson(same.get(), "registered"), url + " is registered already, as "
                                + same.get().id());
                        return EXIT_OK;
                    }
                    throw new Args.UsageException(url + " is registered already, as " + same.get().id()
                            + (id != null && !id.equals(same.get().id()) ? " (not " + id + ")" : " (named \""
                                    + same.get().label() + "\")"));
                }
                ServerDescriptor added = new ServerDescriptor(args.one("id", idFor(uri)), args.one("name", url), uri, null);
                registry.add(added); // an id taken or not allowed: IllegalArgumentException, named as invalid input
                o.line(serverJson(added, "added"), "added " + added.id() + "  " + added.baseUrl());
                return EXIT_OK;
            }
            case "remove" -> {
                List<String> ids = args.positional().subList(1, args.positional().size());
                if (ids.isEmpty()) {
                    throw new Args.UsageException("servers remove needs the ids of the servers (comfy servers list)");
                }
                for (String id : ids) {
                    if (registry.server(id).isEmpty()) {
                        throw new Args.UsageException("there is no server " + id + " (comfy servers list shows them)");
                    }
                    stillNeeded(id).ifPresent(why -> {
                        throw new Args.UsageException("server " + id + " is not removed: " + why);
                    });
                }
                for (String id : ids) {
                    ServerDescriptor gone = registry.server(id).orElseThrow();
                    registry.remove(id);
                    o.line(serverJson(gone, "removed"), "removed " + id + "  " + gone.baseUrl());
                }
                return EXIT_OK;
            }
            default -> throw new Args.UsageException("servers list | add URL [--name NAME] [--id ID] | remove ID...");
        }
    }

    private static JsonObject serverJson(ServerDescriptor s, String event) {
        JsonObject line = new JsonObject();
        line.addProperty("event", event);
        line.addProperty("id", s.id());
        line.addProperty("name", s.label());
        line.addProperty("url", s.baseUrl().toString());
        return line;
    }

    /** Why the server does not answer ("ID: reason"), or empty when it does. */
    private Optional<String> whyDown(ServerDescriptor server) {
        try {
            clients.client(server).systemStats();
            return Optional.empty();
        } catch (ComfyException e) {
            return Optional.of(server.id() + ": " + e.getMessage());
        }
    }

    /** The server as registered, registering it first if need be: the queue dispatches to registered servers only. */
    private ServerDescriptor registered(ServerDescriptor server) {
        if (registry.server(server.id()).isPresent()) {
            return registry.server(server.id()).get();
        }
        try {
            registry.add(server);
            return server;
        } catch (IllegalArgumentException e) {
            return registry.server(server.id()).orElseThrow(() -> e); // registered meanwhile
        }
    }

    /**
     * Whether two URLs name one server: as written (but for case and trailing slashes), or both this machine
     * (localhost, 127.x.x.x, ::1) with the same scheme, port and path; registered twice, one ComfyUI would take twice
     * the jobs its concurrency allows.
     */
    static boolean sameUrl(URI a, URI b) {
        if (a.toString().replaceAll("/+$", "").equalsIgnoreCase(b.toString().replaceAll("/+$", ""))) {
            return true;
        }
        return loopback(a) && loopback(b) && a.getScheme().equalsIgnoreCase(b.getScheme()) && port(a) == port(b)
                && path(a).equals(path(b));
    }

    /** The URL a text is, if it is one. */
    private static Optional<URI> asUrl(String text) {
        try {
            return Optional.of(ServerDescriptor.parseUrl(text.strip()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static boolean loopback(URI u) {
        String host = u.getHost() == null ? "" : u.getHost().toLowerCase(Locale.ROOT);
        return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1");
    }

    private static int port(URI u) {
        return u.getPort() >= 0 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    private static String path(URI u) {
        return u.getPath() == null ? "" : u.getPath().replaceAll("/+$", "");
    }

    // ---- run

    private int runFiles(Args args, Output o) throws InterruptedException {
        if (args.positional().isEmpty()) {
            throw new Args.UsageException("run needs at least one FILE");
        }
        Priority priority = priority(args.one("priority", "normal"));
        int count = args.integer("count", 1, 1);
        if (count > MAX_JOBS) {
            throw new Args.UsageException("this run makes " + count + " jobs a file, more than " + MAX_JOBS);
        }
        args.integer("concurrency", 1, 1); // applied by the launcher as a framework property
        requireDispatchPolicy(); // --dispatch-policy too
        Map<String, String> sets = args.pairs("set");
        RandomGenerator random = new SplittableRandom(); // draws the randomized seeds of --count runs
        Map<String, String> params = args.pairs("param");
        Map<String, String> sweeps = args.pairs("sweep");
        List<ServerDescriptor> given = servers(args);
        List<ServerDescriptor> pool = new ArrayList<>();
        ServerDescriptor first = null;
        List<String> down = new ArrayList<>();
        for (ServerDescriptor s : given) {
            Optional<String> why = whyDown(s);
            if (why.isEmpty()) {
                ServerDescriptor answered = registered(s); // so that the jobs can go there, now and when resumed
                pool.add(answered);
                if (first == null) {
                    first = answered;
                }
            } else {
                down.add(why.get());
                if (registry.server(s.id()).isPresent()) {
                    pool.add(s); // down for now; the jobs may go there once it is back
                }
            }
        }
        if (first == null) {
            o.error("unreachable", given.isEmpty() ? "no server is registered (give --server URL)"
                    : "no server is reachable: " + String.join("; ", down));
            return EXIT_UNREACHABLE;
        }
        ComfyClient client = clients.client(first);
        NodeSchema schema;
        try {
            schema = client.objectInfo(NodeSchema::parse);
        } catch (ComfyException e) {
            o.error("unreachable", "cannot read the node schema of " + first.id() + ": " + e.getMessage());
            return EXIT_UNREACHABLE;
        }
        String batch = "run-" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now())
                + "-" + UUID.randomUUID().toString().substring(0, 6);
        ServerPolicy policy = args.all("server").isEmpty() ? ServerPolicy.any()
                : ServerPolicy.named(pool.stream().map(ServerDescriptor::id).toArray(String[]::new));
        List<JobRequest> requests = new ArrayList<>();
        for (String file : args.positional()) {
            if (file.startsWith("template:")) {
                if (!sets.isEmpty()) {
                    throw new Args.UsageException("--set applies to workflow files; give a template's values with --param");
                }
                Template t = LibraryCommands.template(templateLibrary, file.substring("template:".length()));
                List<SweepAxis> axes = new ArrayList<>();
                // as the Templates view reads a field: numbers and options by commas, text and files by |
                sweeps.forEach((name, values) -> axes.add(new SweepAxis(name, List.copyOf(imageFiles(t, name,
                        t.parameter(name).map(p -> SweepAxis.split(p, values))
                                .orElseGet(() -> List.of(values.split(","))))))));
                Map<String, Object> fixed = imageFiles(t, params);
                // counted, not expanded: the cap is the run's, over every file and template of it (below)
                SweepPlan plan = templates.sweep(t, axes, fixed, Long.MAX_VALUE);
                if (plan.count() * count > MAX_JOBS - requests.size()) {
                    throw new Args.UsageException("this run makes " + (requests.size() + plan.count() * count)
                            + " jobs, more than " + MAX_JOBS + " (template " + t.name() + ": " + plan.count()
                            + " combinations × --count " + count + ")");
                }
                // every combination checked before anything is uploaded or sent, as a file's graph is
                for (Map<String, Object> values : plan.combinations()) {
                    ValidationReport report = templates.preview(t, imageFiles(t, values), schema).validation();
                    if (!report.valid()) {
                        o.validation(file + (plan.count() > 1 ? " " + values : ""), report);
                        return EXIT_USAGE;
                    }
                }
                // --count runs move the workflow's seeds as its file's runs do ("control after generate"), except
                // on the inputs of parameters given a value
                Set<ValueControl.Target> valuedInputs = new HashSet<>();
                Set<String> valued = new HashSet<>(params.keySet());
                valued.addAll(sweeps.keySet());
                for (String name : valued) {
                    t.parameter(name).ifPresent(p -> p.bindings().forEach(b -> valuedInputs.add(
                            new ValueControl.Target(b.nodeId(), b.input()))));
                }
                List<ValueControl> controls = controls(t, schema).stream()
                        .flatMap(c -> c.without(valuedInputs).stream()).toList();
                for (Map<String, Object> values : plan.combinations()) {
                    Map<String, Object> withFiles = imageFiles(t, values);
                    // an image uploaded to the first server is on that server only: its jobs must run there
                    ServerPolicy where = withFiles.values().stream().noneMatch(Path.class::isInstance) ? policy
                            : ServerPolicy.named(first.id());
                    for (int i = 0; i < count; i++) {
                        Instance instance = templates.instantiate(t, withFiles, client);
                        PromptGraph prompt = new Workflow(instance.prompt(), t.workflow().ui(), t.workflow().source(),
                                controls).promptForRun(i, random);
                        // a sweep's jobs are told apart by their values (comfy jobs, the Jobs view)
                        String name = plan.count() > 1 ? t.name() + " " + describe(values, sweeps.keySet()) : t.name();
                        requests.add(request(name, prompt, t.workflow(), priority, where, batch));
                    }
                }
            } else {
                if (!params.isEmpty() || !sweeps.isEmpty()) {
                    throw new Args.UsageException("--param and --sweep apply to templates (template:ID); use --set for "
                            + file);
                }
                Path path = Path.of(file);
                byte[] bytes = InputFiles.read(path);
                Workflow w = codec.read(bytes, path.getFileName().toString(), schema);
                PromptGraph prompt = applySets(w.prompt(), sets, file, schema);
                ValidationReport report = validator.validate(prompt, schema);
                if (!report.valid()) {
                    o.validation(file, report);
                    return EXIT_USAGE;
                }
                // each run gets its own graph: a UI workflow's seeds move between runs as in the frontend,
                // except the inputs the user fixed with --set
                Set<ValueControl.Target> setInputs = new HashSet<>();
                sets.keySet().forEach(target -> setInputs.add(new ValueControl.Target(
                        target.substring(0, target.indexOf('.')), target.substring(target.indexOf('.') + 1))));
                Workflow runs = new Workflow(prompt, w.ui(), w.source(),
                        controls(w, schema).stream().flatMap(c -> c.without(setInputs).stream()).toList());
                for (int i = 0; i < count; i++) {
                    requests.add(request(path.getFileName().toString(), runs.promptForRun(i, random), w, priority,
                            policy, batch));
                }
            }
        }
        if (requests.size() > MAX_JOBS) {
            throw new Args.UsageException("this run makes " + requests.size() + " jobs, more than " + MAX_JOBS);
        }
        // --out goes with each job: the run that finishes it after an interruption puts its files beside the others
        String out = args.one("out", null);
        Path outFolder = out == null ? null : Path.of(out).toAbsolutePath().normalize();
        List<JobRequest> toSubmit = out == null ? requests
                : requests.stream().map(r -> r.withOutputFolder(outFolder)).toList();
        // the queue runs them too, in its order: the run follows them to their end as well, and counts them
        List<Job> earlier = noteEarlierJobs(o);
        return follow(o, batch, () -> {
            List<Job> all = new ArrayList<>(earlier);
            all.addAll(queue.submitAll(toSubmit));
            return all;
        });
    }

    /** The swept values of a combination as a job's name shows them: {@code (seed=7, steps=20)}, files by name. */
    private static String describe(Map<String, Object> values, Set<String> swept) {
        StringJoiner shown = new StringJoiner(", ", "(", ")");
        values.forEach((name, value) -> {
            if (swept.contains(name)) {
                shown.add(name + "=" + (value instanceof Path p ? p.getFileName() : value));
            }
        });
        return shown.toString();
    }

    /**
     * The value controls ("control after generate") of a template's workflow: a library keeps the UI form, not the
     * controls, which take the server's schema to find again. For a workflow without a UI form, those the frontend
     * gives such a graph.
     */
    private List<ValueControl> controls(Template t, NodeSchema schema) {
        if (!t.workflow().controls().isEmpty()) {
            return t.workflow().controls();
        }
        try {
            return codec.writeUi(t.workflow()).map(ui -> codec.readUi(ui, t.name(), schema).controls())
                    .orElseGet(() -> codec.defaultControls(t.workflow().prompt(), schema));
        } catch (RuntimeException e) {
            return List.of(); // a UI form the schema no longer converts: its seeds stay as they are
        }
    }

    /**
     * A file's value controls: its UI form's, or for a graph without one (API JSON) those the frontend would give it,
     * so that {@code --count} runs are not all the same prompt, which the server answers from its cache.
     */
    private List<ValueControl> controls(Workflow w, NodeSchema schema) {
        return w.uiForm().isPresent() ? w.controls() : codec.defaultControls(w.prompt(), schema);
    }

    /**
     * IMAGE values naming existing files (relative to the working directory too) become paths (uploaded); others stay
     * names of files on the server.
     */
    private static Map<String, Object> imageFiles(Template t, Map<String, ?> values) {
        Map<String, Object> converted = new LinkedHashMap<>(values);
        converted.replaceAll((name, v) -> imageFile(t, name, v));
        return converted;
    }

    private static List<Object> imageFiles(Template t, String name, List<?> values) {
        return values.stream().map(v -> imageFile(t, name, v)).toList();
    }

    private static Object imageFile(Template t, String name, Object value) {
        boolean image = t.parameter(name).filter(p -> p.type() == comfy.workbench.templates.api.ParameterType.IMAGE)
                .isPresent();
        if (image && value instanceof String s) {
            try {
                Path file = Path.of(s);
                if (Files.isRegularFile(file)) {
                    return file.toAbsolutePath();
                }
            } catch (java.nio.file.InvalidPathException e) {
                // not a path: the name of a file on the server
            }
        }
        return value;
    }

    private static JobRequest request(String name, PromptGraph prompt, Workflow source, Priority priority,
            ServerPolicy policy, String batch) {
        return JobRequest.of(prompt).withName(name).withExtraData(source.extraDataFor(prompt)).withPriority(priority)
                .withPolicy(policy).withBatch(batch);
    }

    /**
     * The graph with the {@code --set} values. An input the node neither has nor can have by the server's schema is
     * refused: the server ignores inputs it does not know, so a misspelt name would run the graph unchanged.
     */
    private static PromptGraph applySets(PromptGraph prompt, Map<String, String> sets, String file, NodeSchema schema) {
        if (sets.isEmpty()) {
            return prompt;
        }
        JsonObject tree = prompt.toJsonTree();
        sets.forEach((target, value) -> {
            int dot = target.indexOf('.');
            if (dot <= 0 || dot == target.length() - 1) {
                throw new Args.UsageException("--set takes NODE.INPUT=VALUE, not \"" + target + "=" + value + "\"");
            }
            String node = target.substring(0, dot);
            String input = target.substring(dot + 1);
            if (!tree.has(node) || !tree.get(node).isJsonObject()) {
                throw new Args.UsageException("--set " + target + ": " + file + " has no node " + node);
            }
            JsonObject nodeJson = tree.getAsJsonObject(node);
            String classType = nodeJson.get("class_type") instanceof JsonPrimitive c && c.isString() ? c.getAsString() : "?";
            if (!(nodeJson.get("inputs") instanceof JsonObject inputs)) {
                throw new Args.UsageException("--set " + target + ": node " + node + " (" + classType + ") of " + file
                        + " has no inputs object");
            }
            JsonElement before = inputs.get(input);
            if (before == null && schema.nodeClass(classType).flatMap(c -> c.input(input)).isEmpty()) {
                throw new Args.UsageException("--set " + target + ": node " + node + " (" + classType + ") has no input \""
                        + input + "\"" + schema.nodeClass(classType).map(c -> "; its inputs: " + String.join(", ",
                                c.inputs().stream().filter(i -> i.section() != InputSection.HIDDEN).map(i -> i.name()).toList()))
                                .orElse(""));
            }
            // a text input stays text ("--set 6.text=42"); anything else takes the value's own type
            boolean text = before != null && before.isJsonPrimitive() && before.getAsJsonPrimitive().isString();
            inputs.add(input, text ? new JsonPrimitive(value) : literal(value));
        });
        return PromptGraph.of(tree, file);
    }

    /**
     * The value as JSON: a whole number as one ({@code 128}), a decimal as one ({@code 12.5}, {@code 1e3} as
     * written), true/false, a quoted string, a list or an object as JSON; any other text as a string.
     */
    static JsonElement literal(String text) {
        String t = text.strip();
        if (t.matches("-?(0|[1-9]\\d*)")) {
            try {
                return new JsonPrimitive(Long.parseLong(t));
            } catch (NumberFormatException e) {
                return new JsonPrimitive(new java.math.BigInteger(t)); // a seed up to 2^64 - 1
            }
        }
        if (t.matches("-?(0|[1-9]\\d*)(\\.\\d+)?([eE][+-]?\\d+)?")) {
            return new JsonPrimitive(new java.math.BigDecimal(t));
        }
        if (t.equals("true") || t.equals("false")) {
            return new JsonPrimitive(Boolean.parseBoolean(t));
        }
        if (t.startsWith("\"") || t.startsWith("[") || t.startsWith("{")) {
            try {
                return ComfyJson.parse(t, "value");
            } catch (RuntimeException e) {
                return new JsonPrimitive(text);
            }
        }
        return new JsonPrimitive(text);
    }

    private static Priority priority(String text) {
        try {
            return Priority.valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException("--priority is one of critical, high, normal, low, not \"" + text + "\"");
        }
    }

    // ---- following jobs to their end

    @FunctionalInterface
    private interface Submission {
        List<Job> submit();
    }

    /** Submits (or takes) jobs, reports their changes until all end, prints the summary; gives the exit code. */
    private int follow(Output o, String batch, Submission submission) throws InterruptedException {
        Set<String> ids = ConcurrentHashMap.newKeySet();
        Map<String, JobState> states = new ConcurrentHashMap<>();
        Object lock = new Object();
        Progress progress = new Progress();
        // a person sees the bar once every job is submitted: its total would otherwise count up as they are stored
        AtomicBoolean submitted = new AtomicBoolean();
        IntSupplier total = () -> Math.max(ids.size(), states.size());
        JobListener listener = event -> {
            Job job = event.job();
            if (ids.contains(job.id()) || batch != null && batch.equals(job.batchId())) {
                synchronized (lock) {
                    states.put(job.id(), job.state());
                    if (o.json() || submitted.get()) {
                        o.job(event, progress, total.getAsInt());
                    } else {
                        progress.add(event);
                    }
                }
            }
        };
        ServiceRegistration<JobListener> registration = context.registerService(JobListener.class, listener, null);
        // a person watching wants to see a long render move; a program reading JSON has the job lines, and is told
        // when a server its jobs are on goes away and comes back
        StepLines stepLines = new StepLines(monitor, queue, states::keySet, lock,
                (job, text) -> o.step(job, text, progress, total.getAsInt()),
                (server, reachable, text, affected) -> {
                    if (o.json()) {
                        JsonObject line = new JsonObject();
                        line.addProperty("event", reachable ? "server_back" : "server_unreachable");
                        line.addProperty("server", server);
                        line.addProperty("message", text);
                        JsonArray jobIds = new JsonArray();
                        affected.forEach(j -> jobIds.add(j.id()));
                        line.add("jobs", jobIds);
                        line.addProperty("at", timestamp(Instant.now()));
                        o.line(line, text);
                    } else {
                        affected.forEach(j -> o.step(j, text, progress, total.getAsInt()));
                    }
                });
        ServiceRegistration<ExecutionListener> steps = context.registerService(ExecutionListener.class, stepLines,
                FrameworkUtil.asDictionary(Map.of(ExecutionListener.TYPES,
                        o.json() ? StepLines.CONNECTION_TYPES : StepLines.TYPES)));
        // Ctrl-C ends the process, not the jobs: a person is told where they are and how to go on
        Thread interrupted = new Thread(() -> {
            Set<String> all = new HashSet<>(ids);
            all.addAll(states.keySet());
            long open = all.stream().filter(id -> states.get(id) == null || !states.get(id).terminal()).count();
            if (o.json()) {
                // a reader of the lines learns that the stream ended early, and how it can go on
                JsonObject line = new JsonObject();
                line.addProperty("event", "interrupted");
                line.addProperty("unfinished", open);
                if (batch != null) {
                    line.addProperty("batch", batch);
                }
                line.addProperty("at", timestamp(Instant.now()));
                o.out().println(ComfyJson.write(line));
                o.out().flush(); // the hooks run in no order: the buffer's own flush may already be done
            } else if (open > 0) {
                o.err().println("comfy: interrupted; " + open + " unfinished " + (open == 1 ? "job stays" : "jobs stay")
                        + " queued: comfy resume finishes them" + (batch == null ? ""
                                : ", comfy cancel --batch " + batch + " drops them"));
            }
        }, "comfy interrupted");
        Runtime.getRuntime().addShutdownHook(interrupted);
        try {
            long submitStart = System.nanoTime();
            List<Job> jobs = submission.submit();
            long submitNanos = System.nanoTime() - submitStart;
            jobs.forEach(j -> ids.add(j.id()));
            synchronized (lock) {
                // what changed before the jobs were known here (a resumed job the queue finished meanwhile) is asked;
                // one that ended unheard gets its line, so that a reader of the lines has every job's end and outputs
                List<Job> endedUnheard = new ArrayList<>();
                for (Job job : jobs) {
                    boolean heard = states.containsKey(job.id());
                    queue.job(job.id()).ifPresent(now -> {
                        states.put(job.id(), now.state());
                        progress.set(job.id(), now.state());
                        if (!heard && now.state().terminal()) {
                            endedUnheard.add(now);
                        }
                    });
                }
                submitted.set(true);
                if (!o.json()) {
                    if (batch != null) {
                        long own = jobs.stream().filter(j -> batch.equals(j.batchId())).count();
                        long others = jobs.size() - own;
                        o.err().println("comfy: batch " + batch + ", " + countOfJobs(own)
                                + (others == 0 ? "" : ", and " + others + " of earlier runs"));
                    }
                    o.err().println(Output.bar(progress, total.getAsInt()));
                }
                endedUnheard.forEach(job -> o.job(new JobEvent(job, job.state()), progress, total.getAsInt()));
            }
            stepLines.announceServersDown();
            int succeeded = 0;
            int failed = 0;
            int cancelled = 0;
            int ownUnsuccessful = 0; // a run's exit code is its own batch's: earlier runs' jobs are only reported
            for (Job job : jobs) {
                // a job whose last event the listener has seen needs no round trip through the queue's engine
                JobState end = states.get(job.id());
                if (end == null || !end.terminal()) {
                    try {
                        end = queue.completion(job.id()).toCompletableFuture().get().state();
                    } catch (ExecutionException e) {
                        throw new IllegalStateException(e.getCause());
                    }
                }
                switch (end) {
                    case SUCCEEDED -> succeeded++;
                    case CANCELLED -> cancelled++;
                    default -> failed++;
                }
                if (end != JobState.SUCCEEDED && (batch == null || batch.equals(job.batchId()))) {
                    ownUnsuccessful++;
                }
            }
            synchronized (lock) {
                o.summary(jobs.size(), succeeded, failed, cancelled, submitNanos / 1_000_000.0,
                        (System.nanoTime() - submitStart) / 1_000_000.0);
            }
            return ownUnsuccessful == 0 ? EXIT_OK : EXIT_FAILED;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(interrupted);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook runs
            }
            registration.unregister();
            steps.unregister();
        }
    }

    /** The jobs of a run would wait for ever for a dispatch policy that is not there: refused before any is sent. */
    private void requireDispatchPolicy() {
        String name = queue.diagnostics().dispatchPolicy();
        if (name.equals(DispatchPolicy.BUILT_IN)) {
            return;
        }
        try {
            List<String> registered = new ArrayList<>();
            for (var ref : context.getServiceReferences(DispatchPolicy.class, null)) {
                if (ref.getProperty(DispatchPolicy.NAME) instanceof String n) {
                    registered.add(n);
                }
            }
            if (!registered.contains(name)) {
                throw new IllegalArgumentException("dispatch policy '" + name + "' is not registered (there are: "
                        + DispatchPolicy.BUILT_IN + ", built in" + registered.stream().sorted().map(n -> ", " + n)
                                .collect(java.util.stream.Collectors.joining())
                        + "); install the extension that provides it, or name another with --dispatch-policy");
            }
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e); // no filter given
        }
    }

    private int resume(Output o) throws InterruptedException {
        return resume(o, List.of(), () -> { });
    }

    /**
     * Finishes the unfinished jobs, and ended ones queued again ({@code retry}): those are submitted once the command
     * listens, so that none can end unheard, and only when a server they may run on answers.
     */
    private int resume(Output o, List<Job> again, Runnable announce) throws InterruptedException {
        requireDispatchPolicy();
        // a job an interrupted run left that ended as it was reconciled, and is queued again, counts once
        Set<String> againIds = again.stream().map(Job::id).collect(Collectors.toSet());
        List<Job> open = leftOrUnfinished().stream().filter(j -> !againIds.contains(j.id())).toList();
        if (open.isEmpty() && again.isEmpty()) {
            announce.run();
            o.summary(0, 0, 0, 0, 0, 0);
            return EXIT_OK;
        }
        long unfinished = open.stream().filter(j -> !j.state().terminal()).count();
        // as for run: with no server to finish them on, waiting would show nothing for as long as it lasted; a job
        // that may run only on servers that do not answer (a run's --server) would keep the command waiting for ever
        Probes probes = new Probes();
        List<Job> stranded = open.stream().filter(j -> !j.state().terminal() && probes.stranded(j)).toList();
        List<Job> strandedAgain = again.stream().filter(probes::stranded).toList();
        if (unfinished + again.size() > 0 && stranded.size() == unfinished && strandedAgain.size() == again.size()) {
            List<String> down = probes.down();
            boolean pinned = open.stream().anyMatch(j -> !j.state().terminal() && probes.pinned(j))
                    || again.stream().anyMatch(probes::pinned);
            o.error("unreachable", (down.isEmpty() ? "no server is registered" : "no server "
                    + (pinned ? "the jobs may run on " : "") + "is reachable: " + String.join("; ", down)) + "; "
                    + (unfinished == 0 ? "" : (unfinished == 1 ? "the unfinished job stays" : "the " + unfinished
                            + " unfinished jobs stay") + " queued for the next comfy resume")
                    + (again.isEmpty() ? "" : (unfinished == 0 ? "" : "; ") + "nothing was queued again"));
            return EXIT_UNREACHABLE;
        }
        announce.run();
        noteStranded(o, stranded, probes);
        for (Job job : strandedAgain) {
            JsonObject line = new JsonObject();
            line.addProperty("event", "not_retried");
            line.addProperty("id", job.id());
            line.addProperty("state", job.state().name());
            line.addProperty("reason", "unreachable");
            o.line(line, job.id() + " is not retried: it may run only on " + String.join(", ", probes.allowed(job))
                    + ", which does not answer (" + String.join("; ", probes.down()) + ")");
        }
        Set<String> strandedIds = stranded.stream().map(Job::id).collect(Collectors.toSet());
        List<Job> followed = open.stream().filter(j -> !strandedIds.contains(j.id())).toList();
        List<JobRequest> requests = again.stream().filter(j -> !strandedAgain.contains(j)).map(Cli::retryOf).toList();
        int code = follow(o, null, () -> {
            if (queue.paused()) {
                queue.resume(); // once the run listens
            }
            List<Job> all = new ArrayList<>(followed);
            all.addAll(queue.submitAll(requests));
            return all;
        });
        return stranded.isEmpty() && strandedAgain.isEmpty() ? code : Math.max(code, EXIT_UNREACHABLE);
    }

    /**
     * What an interrupted run left, in submission order: the jobs the queue found unfinished as it started (a sent one
     * it reconciled with its server may have ended since, before this command began: "0 jobs" before), and any job
     * unfinished now.
     */
    private List<Job> leftOrUnfinished() {
        Set<String> left = new LinkedHashSet<>(queue.leftUnfinished());
        queue.jobs(EnumSet.complementOf(EnumSet.of(JobState.SUCCEEDED, JobState.FAILED, JobState.CANCELLED)))
                .forEach(j -> left.add(j.id()));
        return left.stream().map(queue::job).flatMap(Optional::stream).sorted(Comparator.comparingLong(Job::sequence))
                .toList();
    }

    /** Says which jobs stay queued because every server they may run on does not answer (or is not registered). */
    private void noteStranded(Output o, List<Job> stranded, Probes probes) {
        if (stranded.isEmpty()) {
            return;
        }
        Set<String> servers = new LinkedHashSet<>();
        stranded.forEach(j -> servers.addAll(probes.allowed(j)));
        JsonObject line = new JsonObject();
        line.addProperty("event", "stranded_jobs");
        line.addProperty("count", stranded.size());
        JsonArray ids = new JsonArray();
        stranded.forEach(j -> ids.add(j.id()));
        line.add("jobs", ids);
        JsonArray names = new JsonArray();
        servers.forEach(names::add);
        line.add("servers", names);
        String text = "comfy: " + countOfJobs(stranded.size()) + " may run only on " + String.join(", ", servers)
                + ", which " + (servers.size() == 1 ? "does" : "do") + " not answer (" + String.join("; ",
                        servers.stream().map(probes::why).flatMap(Optional::stream).toList()) + "): "
                + (stranded.size() == 1 ? "it stays" : "they stay") + " queued for a comfy resume once "
                + (servers.size() == 1 ? "it is" : "one is") + " back (comfy cancel drops them)";
        line.addProperty("message", text.substring("comfy: ".length()));
        if (o.json()) {
            o.line(line, text);
        } else {
            o.err().println(text);
        }
    }

    /** Servers asked once each whether they answer, for the jobs that may run on them. */
    private final class Probes {
        private final Map<String, Optional<String>> answers = new LinkedHashMap<>();
        private List<String> registered;

        /** Why the server does not answer (or is not registered); empty when it answers. */
        Optional<String> why(String server) {
            return answers.computeIfAbsent(server, id -> registry.server(id).map(Cli.this::whyDown)
                    .orElse(Optional.of(id + ": not registered")));
        }

        boolean pinned(Job job) {
            return job.request().policy().kind() == ServerPolicy.Kind.NAMED;
        }

        /** The servers a job may run on. */
        List<String> allowed(Job job) {
            if (pinned(job)) {
                return job.request().policy().servers().stream().sorted().toList();
            }
            if (registered == null) {
                registered = registry.servers().stream().map(ServerDescriptor::id).toList();
            }
            return registered;
        }

        /** Whether none of the servers the job may run on answers (asked lazily: the first that answers ends it). */
        boolean stranded(Job job) {
            return allowed(job).stream().noneMatch(s -> why(s).isEmpty());
        }

        List<String> down() {
            return answers.values().stream().flatMap(Optional::stream).toList();
        }
    }

    /**
     * Jobs an interrupted run left run too, in the queue's order: a run says so, or they would take their time
     * unannounced before its own.
     */
    private List<Job> noteEarlierJobs(Output o) {
        List<Job> unfinished = leftOrUnfinished();
        // one that may run only on servers that do not answer would keep this run waiting for ever: it stays queued
        // (any other may run on this run's servers, which answered)
        Probes probes = new Probes();
        List<Job> stranded = unfinished.stream().filter(j -> !j.state().terminal() && probes.pinned(j)
                && probes.stranded(j)).toList();
        noteStranded(o, stranded, probes);
        Set<String> strandedIds = stranded.stream().map(Job::id).collect(Collectors.toSet());
        List<Job> earlier = unfinished.stream().filter(j -> !strandedIds.contains(j.id())).toList();
        if (earlier.isEmpty()) {
            return earlier;
        }
        Set<String> batches = new LinkedHashSet<>();
        earlier.forEach(j -> batches.add(j.batchId() == null ? "(none)" : j.batchId()));
        JsonObject line = new JsonObject();
        line.addProperty("event", "earlier_jobs");
        line.addProperty("count", earlier.size());
        JsonArray ids = new JsonArray();
        batches.forEach(ids::add);
        line.add("batches", ids);
        String text = "comfy: " + earlier.size() + " unfinished " + (earlier.size() == 1 ? "job" : "jobs")
                + " of earlier runs (batch " + String.join(", ", batches) + ") run too, in the queue's order, and "
                + "this run waits for them as well; comfy cancel --batch ID drops them";
        if (o.json()) {
            o.line(line, text);
        } else {
            o.err().println(text);
        }
        return earlier;
    }

    private int jobs(Args args, Output o) {
        Set<JobState> states = new LinkedHashSet<>();
        for (String s : args.all("state")) {
            try {
                states.add(JobState.valueOf(s.strip().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new Args.UsageException("--state is one of " + List.of(JobState.values()) + ", not " + s);
            }
        }
        String batch = args.one("batch", null);
        // a mistyped batch id is a slip to point out, as cancel --batch does, not an empty listing (exit 0 before)
        if (batch != null && queue.jobs(List.of()).stream().noneMatch(j -> batch.equals(j.batchId()))) {
            throw new Args.UsageException("there is no batch " + batch + " (comfy jobs --json shows each job's batch)");
        }
        String given = args.one("server", null);
        // a server's id, or its URL as --server gives it elsewhere
        String server = given == null ? null : registry.servers().stream().filter(s -> s.id().equals(given)
                || asUrl(given).filter(u -> sameUrl(s.baseUrl(), u)).isPresent())
                .map(ServerDescriptor::id).findFirst().orElse(given);
        for (Job job : queue.jobs(states)) {
            if ((batch != null && !batch.equals(job.batchId())) || (server != null && !server.equals(job.serverId()))) {
                continue;
            }
            // the batch too: it is what comfy cancel --batch takes
            o.line(Output.jobJson(job, "job"), String.format(Locale.ROOT, "%s  %-10s %-8s %-12s %-26s %s%s", job.id(),
                    job.state(), job.priority(), job.serverId() == null ? "-" : job.serverId(),
                    job.batchId() == null ? "-" : job.batchId(), job.request().name(),
                    job.error() == null ? "" : "  (" + job.error().message() + ")"));
        }
        return EXIT_OK;
    }

    /**
     * Why a server must stay registered: unfinished jobs were sent to it (without it they could neither be asked about
     * nor fetched, and would be run again elsewhere: the server may have run them already), or waiting jobs may run on
     * it only (they would wait for ever).
     */
    private Optional<String> stillNeeded(String server) {
        List<Job> sent = new ArrayList<>();
        List<Job> pinned = new ArrayList<>();
        for (Job job : queue.jobs(List.of())) {
            if (job.state().terminal()) {
                continue;
            }
            if ((job.state() == JobState.DISPATCHED || job.state() == JobState.RUNNING) && server.equals(job.serverId())) {
                sent.add(job);
            } else if (job.state().waiting() && job.request().policy().kind() == ServerPolicy.Kind.NAMED
                    && job.request().policy().servers().equals(Set.of(server))) {
                pinned.add(job);
            }
        }
        if (sent.isEmpty() && pinned.isEmpty()) {
            return Optional.empty();
        }
        List<String> reasons = new ArrayList<>();
        if (!sent.isEmpty()) {
            reasons.add(countOfJobs(sent.size()) + " sent to it " + (sent.size() == 1 ? "has" : "have")
                    + " not finished here (the server may have run " + (sent.size() == 1 ? "it" : "them")
                    + " already; without it " + (sent.size() == 1 ? "it" : "they") + " would run again elsewhere)");
        }
        if (!pinned.isEmpty()) {
            reasons.add(countOfJobs(pinned.size()) + " waiting may run on it only");
        }
        Set<String> batches = new HashSet<>();
        sent.forEach(j -> batches.add(String.valueOf(j.batchId())));
        pinned.forEach(j -> batches.add(String.valueOf(j.batchId())));
        String batch = batches.size() == 1 && !batches.contains("null") ? batches.iterator().next() : null;
        return Optional.of(String.join(", and ", reasons) + ": comfy resume finishes them, or comfy cancel "
                + (batch != null ? "--batch " + batch : "ID...") + " drops them; then remove it");
    }

    /** The id of the one job whose id starts with {@code given} (at least 4 characters), else {@code given}. */
    private String fullJobId(String given) {
        if (given.length() < 4 || queue.job(given).isPresent()) {
            return given;
        }
        List<String> matches = queue.jobs(List.of()).stream().map(Job::id).filter(id -> id.startsWith(given)).toList();
        if (matches.size() > 1) {
            throw new Args.UsageException(given + " names " + matches.size() + " jobs (" + String.join(", ",
                    matches.subList(0, Math.min(5, matches.size()))) + (matches.size() > 5 ? ", ..." : "")
                    + "): give more of the id");
        }
        return matches.isEmpty() ? given : matches.get(0);
    }

    /** Microseconds, always six digits, UTC: what Python's {@code %f} and most parsers take (Instant's own varies). */
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    /** A time in JSON lines. */
    static String timestamp(Instant at) {
        return TIMESTAMP.format(at);
    }

    /** "1 job", "2 jobs". */
    static String countOfJobs(long n) {
        return n + (n == 1 ? " job" : " jobs");
    }

    private int cancel(Args args, Output o) {
        String batch = args.one("batch", null);
        if (batch != null) {
            // a mistyped batch id is a slip to point out, not "0 jobs cancelled"
            if (queue.jobs(List.of()).stream().noneMatch(j -> batch.equals(j.batchId()))) {
                throw new Args.UsageException("there is no batch " + batch + " (comfy jobs --json shows each job's batch)");
            }
            int n = queue.cancelBatch(batch);
            long finished = queue.jobs(List.of()).stream()
                    .filter(j -> batch.equals(j.batchId()) && !j.state().terminal()).count();
            JsonObject line = new JsonObject();
            line.addProperty("event", "cancelled");
            line.addProperty("batch", batch);
            line.addProperty("count", n);
            if (finished > 0) {
                line.addProperty("finished_on_server", finished);
            }
            o.line(line, "cancelled " + countOfJobs(n) + " of batch " + batch + (finished == 1
                    ? "; 1 had already finished on its server (comfy resume fetches its outputs)"
                    : finished > 1 ? "; " + finished
                            + " had already finished on their servers (comfy resume fetches their outputs)"
                    : n == 0 ? " (all had ended)" : ""));
            return EXIT_OK;
        }
        if (args.positional().isEmpty()) {
            throw new Args.UsageException("cancel needs job ids or --batch ID");
        }
        int code = EXIT_OK;
        for (String given : args.positional()) {
            // the 8 characters a run's lines show are enough, as long as they name one job
            String id = fullJobId(given);
            Optional<Job> job = queue.job(id);
            boolean done = job.isPresent() && queue.cancel(id);
            JsonObject line = new JsonObject();
            line.addProperty("event", "cancelled");
            line.addProperty("id", id);
            line.addProperty("cancelled", done);
            Optional<Job> after = queue.job(id);
            boolean finishedOnServer = !done && after.isPresent() && !after.get().state().terminal();
            String why = job.isEmpty() ? "there is no job " + id
                    : finishedOnServer ? id + " was not cancelled: " + after.get().serverId()
                            + " had already finished it (comfy resume fetches its outputs)"
                    : id + " was not cancelled: it had already ended (" + after.map(j -> j.state().name())
                            .orElse("gone") + ")";
            if (!done) {
                line.addProperty("reason", job.isEmpty() ? "unknown" : finishedOnServer ? "finished_on_server" : "ended");
            }
            o.line(line, done ? "cancelled " + id : why);
            // an unknown id is a slip in the input; an ended job is a cancel that did not happen
            code = done ? code : job.isEmpty() ? EXIT_USAGE : Math.max(code, EXIT_FAILED);
        }
        return code;
    }

    /**
     * Queues failed and cancelled jobs again, as new jobs with the same request (name, graph, priority, servers,
     * batch, output folder), and finishes them as {@code comfy resume} does; the ended jobs stay as they were.
     */
    private int retry(Args args, Output o) throws InterruptedException {
        String batch = args.one("batch", null);
        if ((batch == null) == args.positional().isEmpty()) {
            throw new Args.UsageException("retry takes job ids or --batch ID (one of them)");
        }
        requireDispatchPolicy();
        List<Job> chosen = new ArrayList<>();
        if (batch != null) {
            queue.jobs(List.of()).stream().filter(j -> batch.equals(j.batchId())).forEach(chosen::add);
            if (chosen.isEmpty()) {
                throw new Args.UsageException("there is no batch " + batch + " (comfy jobs --json shows each job's batch)");
            }
        } else {
            for (String given : args.positional()) {
                String id = fullJobId(given);
                chosen.add(queue.job(id).orElseThrow(() -> new Args.UsageException("there is no job " + id)));
            }
        }
        int code = EXIT_OK;
        Set<String> retriedAlready = retriedAlready();
        List<Job> again = new ArrayList<>();
        for (Job job : chosen) {
            boolean retryable = job.state() == JobState.FAILED || job.state() == JobState.CANCELLED;
            if (retryable && !retriedAlready.contains(job.id())) {
                again.add(job);
            } else if (batch == null) {
                JsonObject line = new JsonObject();
                line.addProperty("event", "not_retried");
                line.addProperty("id", job.id());
                line.addProperty("state", job.state().name());
                line.addProperty("reason", retryable ? "retried_already" : job.state() == JobState.SUCCEEDED
                        ? "succeeded" : "not_ended");
                o.line(line, job.id() + " is not retried: " + (retryable ? "it was retried already (comfy jobs lists "
                        + "the job that retried it)" : job.state() == JobState.SUCCEEDED ? "it succeeded"
                                : "it has not ended (" + job.state() + ")"));
                code = EXIT_FAILED;
            }
        }
        JsonObject line = new JsonObject();
        line.addProperty("event", "retrying");
        if (batch != null) {
            line.addProperty("batch", batch);
        }
        JsonArray ids = new JsonArray();
        again.forEach(j -> ids.add(j.id()));
        line.add("of", ids);
        String text = again.isEmpty() ? "no job to queue again" + (batch != null ? " in batch " + batch : "")
                + " (none failed or was cancelled and not retried already)"
                : "queueing " + countOfJobs(again.size()) + " again" + (batch != null ? " of batch " + batch : "");
        // said once a server they may run on answered (resume says so when none does)
        return Math.max(code, resume(o, again, () -> o.line(line, text)));
    }

    /** Marks a job made by {@code comfy retry} or the Jobs view's Retry with the job it retried. */
    static final String RETRY_OF = "retry-of:";

    /** The request of a job queued again: the same, marked as retrying it (instead of what that job retried). */
    private static JobRequest retryOf(Job job) {
        Set<String> tags = new LinkedHashSet<>();
        job.request().tags().stream().filter(t -> !t.startsWith(RETRY_OF)).forEach(tags::add);
        tags.add(RETRY_OF + job.id());
        return job.request().withTags(tags);
    }

    /** The jobs a job in the queue retries: retrying them again would run them twice. */
    private Set<String> retriedAlready() {
        Set<String> retried = new HashSet<>();
        queue.jobs(List.of()).forEach(j -> j.request().tags().stream().filter(t -> t.startsWith(RETRY_OF))
                .forEach(t -> retried.add(t.substring(RETRY_OF.length()))));
        return retried;
    }

    /**
     * Forgets ended jobs by id, by batch, or all of them: the job store of a farm machine otherwise only grows. A job
     * that has not ended is left alone and said so.
     */
    private int forget(Args args, Output o) {
        String batch = args.one("batch", null);
        boolean ended = args.flag("ended");
        int ways = (batch != null ? 1 : 0) + (ended ? 1 : 0) + (args.positional().isEmpty() ? 0 : 1);
        if (ways != 1) {
            throw new Args.UsageException("forget takes job ids, --batch ID or --ended (one of them)");
        }
        if (!args.positional().isEmpty()) {
            int code = EXIT_OK;
            for (String given : args.positional()) {
                String id = fullJobId(given);
                Optional<Job> job = queue.job(id);
                boolean done = job.isPresent() && queue.forget(List.of(id)) == 1;
                JsonObject line = new JsonObject();
                line.addProperty("event", "forgotten");
                line.addProperty("id", id);
                line.addProperty("forgotten", done);
                if (!done) {
                    line.addProperty("reason", job.isEmpty() ? "unknown" : "not_ended");
                }
                o.line(line, done ? "forgot " + id : job.isEmpty() ? "there is no job " + id
                        : id + " was not forgotten: it has not ended (" + job.get().state() + "; comfy cancel ends it)");
                code = done ? code : job.isEmpty() ? EXIT_USAGE : Math.max(code, EXIT_FAILED);
            }
            return code;
        }
        List<Job> chosen = queue.jobs(List.of()).stream().filter(j -> batch == null || batch.equals(j.batchId())).toList();
        if (batch != null && chosen.isEmpty()) {
            throw new Args.UsageException("there is no batch " + batch + " (comfy jobs --json shows each job's batch)");
        }
        int n = queue.forget(chosen.stream().filter(j -> j.state().terminal()).map(Job::id).toList());
        long left = chosen.stream().filter(j -> queue.job(j.id()).isPresent()).count();
        JsonObject line = new JsonObject();
        line.addProperty("event", "forgotten");
        if (batch != null) {
            line.addProperty("batch", batch);
        }
        line.addProperty("count", n);
        line.addProperty("not_ended", left);
        o.line(line, (n == 0 ? "no ended job to forget" + (batch != null ? " in batch " + batch : "")
                : "forgot " + countOfJobs(n) + (batch != null ? " of batch " + batch : "") + " (their files stay on disk)")
                + (left > 0 ? "; " + countOfJobs(left) + " not ended kept" : ""));
        return EXIT_OK;
    }

    /** Jobs ended and running so far, kept up to date change by change. Guarded by the caller's lock. */
    private static final class Progress {
        /**
         * By id, so that a state heard twice (from an event and from asking the queue) counts once; a resumed job's
         * first change here may be from RUNNING, started by the process that crashed.
         */
        private final Set<String> ended = new HashSet<>();
        private final Set<String> running = new HashSet<>();

        void add(JobEvent event) {
            set(event.job().id(), event.job().state());
        }

        void set(String id, JobState now) {
            if (now.terminal()) {
                ended.add(id);
            }
            if (now == JobState.RUNNING) {
                running.add(id);
            } else {
                running.remove(id);
            }
        }

        long done() {
            return ended.size();
        }

        int running() {
            return running.size();
        }
    }

    /** Where lines go: JSON objects or words. */
    private record Output(PrintStream out, PrintStream err, boolean json) {

        void line(JsonObject object, String text) {
            out.println(json ? ComfyJson.write(object) : text);
        }

        void error(String kind, String message) {
            if (json) {
                JsonObject line = new JsonObject();
                line.addProperty("event", "error");
                line.addProperty("kind", kind);
                line.addProperty("message", message);
                out.println(ComfyJson.write(line));
            } else {
                err.println("comfy: " + message);
            }
        }

        void validation(String file, ValidationReport report) {
            if (json) {
                JsonObject line = new JsonObject();
                line.addProperty("event", "validation_error");
                line.addProperty("file", file);
                JsonArray errors = new JsonArray();
                for (Finding f : report.findings()) {
                    JsonObject e = new JsonObject();
                    e.addProperty("node_id", f.nodeId());
                    e.addProperty("class_type", f.classType());
                    e.addProperty("input", f.inputName());
                    e.addProperty("type", f.type());
                    e.addProperty("message", f.message());
                    e.addProperty("details", f.details());
                    errors.add(e);
                }
                line.add("errors", errors);
                out.println(ComfyJson.write(line));
            } else {
                err.println("comfy: " + file + " is not valid for the server:");
                for (Finding f : report.findings()) {
                    // the details say what was wrong ("upscale_method: 'Bilinear' not in [...]", the node a link
                    // names that is missing), where the message is the server's generic one
                    err.println("  node " + f.nodeId() + " (" + f.classType() + ")"
                            + (f.inputName() == null || f.inputName().isBlank() ? "" : " input " + f.inputName()) + ": "
                            + f.message() + (f.details().isBlank() ? "" : " (" + f.details() + ")"));
                }
            }
        }

        void job(JobEvent event, Progress progress, int total) {
            Job job = event.job();
            if (json) {
                out.println(ComfyJson.write(jobJson(job, "job")));
                return;
            }
            // counted once per change, not over all jobs (a 10,000-job run would be quadratic)
            progress.add(event);
            StringBuilder bar = bar(progress, total);
            boolean waits = job.state() == JobState.QUEUED || job.state() == JobState.RETRY_WAIT
                    || job.state() == JobState.PAUSED;
            // a job carries its last attempt's error on; it is news when the job waits, or when only the error changed
            if (!job.state().terminal() && job.error() != null && (waits || event.previous() == job.state())) {
                // why a job waits (its server down, its outputs not fetched yet): else a run just seems to hang
                bar.append("  ").append(job.id(), 0, 8).append(' ').append(job.state()).append(": ")
                        .append(job.error().message());
            }
            if (job.state().terminal()) {
                bar.append("  ").append(job.id(), 0, 8).append(' ').append(job.state());
                if (job.state() == JobState.SUCCEEDED) {
                    bar.append(" → ").append(job.outputs().isEmpty() ? "no files" : job.outputs().get(0).getParent());
                } else if (job.error() != null) {
                    bar.append(": ").append(job.error().message());
                }
            }
            err.println(bar);
        }

        /** Where a running job's prompt stands on its server, after the run's bar. */
        void step(Job job, String text, Progress progress, int total) {
            err.println(bar(progress, total).append("  ").append(job.id(), 0, 8).append(' ').append(text));
        }

        private static StringBuilder bar(Progress progress, int total) {
            int width = 20;
            int filled = total == 0 ? 0 : (int) (width * progress.done() / total);
            return new StringBuilder("[").append("#".repeat(filled)).append("-".repeat(width - filled)).append("] ")
                    .append(progress.done()).append('/').append(total).append(" done, ").append(progress.running())
                    .append(" running");
        }

        /**
         * @param submitMillis how long storing the jobs took
         * @param totalMillis  from the submission to the end of the last job
         */
        void summary(int total, int succeeded, int failed, int cancelled, double submitMillis, double totalMillis) {
            JsonObject line = new JsonObject();
            line.addProperty("event", "summary");
            line.addProperty("total", total);
            line.addProperty("succeeded", succeeded);
            line.addProperty("failed", failed);
            line.addProperty("cancelled", cancelled);
            line.addProperty("submit_ms", Math.round(submitMillis * 10) / 10.0);
            line.addProperty("elapsed_ms", Math.round(totalMillis * 10) / 10.0);
            line(line, countOfJobs(total) + ": " + succeeded + " succeeded, " + failed + " failed, " + cancelled + " cancelled ("
                    + String.format(Locale.ROOT, "%.1f s", totalMillis / 1000) + ")");
        }

        static JsonObject jobJson(Job job, String event) {
            JsonObject line = new JsonObject();
            line.addProperty("event", event);
            line.addProperty("id", job.id());
            line.addProperty("state", job.state().name());
            line.addProperty("name", job.request().name());
            if (job.serverId() != null) {
                line.addProperty("server", job.serverId());
            }
            if (job.batchId() != null) {
                line.addProperty("batch", job.batchId());
            }
            line.addProperty("priority", job.priority().name());
            line.addProperty("attempts", job.attempts());
            line.addProperty("at", timestamp(job.updated()));
            if (job.state() == JobState.SUCCEEDED) {
                JsonArray outputs = new JsonArray();
                job.outputs().forEach(p -> outputs.add(p.toString()));
                line.add("outputs", outputs);
            }
            if (job.error() != null) {
                JobError e = job.error();
                JsonObject error = new JsonObject();
                error.addProperty("kind", e.kind().name());
                error.addProperty("message", e.message());
                if (e.nodeId() != null) {
                    error.addProperty("node_id", e.nodeId());
                }
                if (e.nodeType() != null) {
                    error.addProperty("node_type", e.nodeType());
                }
                error.add("details", e.details());
                line.add("error", error);
            }
            return line;
        }
    }

}
