package comfy.workbench.cli.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.ServiceRegistration;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import comfy.workbench.cli.tests.CliFixture.Result;
import comfy.workbench.connection.api.ServerDescriptor;
import comfy.workbench.connection.api.ServerRegistry;
import comfy.workbench.extensions.api.Extension;
import comfy.workbench.extensions.api.ExtensionRegistry;
import comfy.workbench.extensions.api.ExtensionState;
import comfy.workbench.model.api.PromptGraph;
import comfy.workbench.queue.api.DispatchPolicy;
import comfy.workbench.queue.api.Job;
import comfy.workbench.queue.api.JobQueue;
import comfy.workbench.queue.api.JobRequest;
import comfy.workbench.queue.api.JobState;
import comfy.workbench.queue.api.ServerPolicy;
import comfy.workbench.testing.captures.Captures;
import comfy.workbench.testing.fake.FakeComfyServer;
import comfy.workbench.testing.fake.Stall;
import comfy.workbench.testing.fake.TestPrompts;
import comfy.workbench.testing.osgi.Osgi;

/** The commands as the {@code comfy} application runs them, against a fake server. */
class CliTest {

    @TempDir
    Path data;
    CliFixture cli;
    FakeComfyServer fake;


    @BeforeEach
    void start() throws Exception {
        cli = CliFixture.start(data);
        fake = cli.fake;
    }

    @AfterEach
    void stop() {
        cli.close();
    }

    private Result comfy(String... args) {
        return cli.comfy(args);
    }

    @Test
    void statusSaysWhichServersAnswer() throws Exception {
        Result up = comfy("status", "--server", fake.baseUri().toString(), "--json");
        assertEquals(0, up.code(), up.err());
        JsonObject line = up.lines().get(0);
        assertEquals(true, line.get("reachable").getAsBoolean());
        assertEquals("0.3.64", line.get("version").getAsString());
        assertEquals(0, line.getAsJsonObject("queue").get("pending").getAsInt());

        Result down = comfy("status", "--server", fake.baseUri().toString(), "--server", "http://127.0.0.1:9", "--json");
        assertEquals(3, down.code());
        assertEquals(List.of(true, false), down.lines().stream().map(l -> l.get("reachable").getAsBoolean()).toList());
        // asking about a server registers none: a mistyped URL would stay for good and fail every later status
        assertEquals(List.of(), Osgi.service(ServerRegistry.class).servers());

        Path file = Files.writeString(data.resolve("where.json"), TestPrompts.quick(5252, "where"));
        Result run = comfy("run", file.toString(), "--server", fake.baseUri().toString(), "--server", "http://127.0.0.1:9");
        assertEquals(0, run.code(), run.out() + run.err());
        assertEquals(List.of(fake.baseUri().toString()), Osgi.service(ServerRegistry.class).servers().stream()
                .map(s -> s.baseUrl().toString().replaceAll("/+$", "")).toList(), "a run registers the one that answered");
    }

    @Test
    void serversAreListedAddedAndRemovedAndAPlainStatusAsksThem() {
        Result added = comfy("servers", "add", fake.baseUri().toString(), "--name", "Farm A", "--id", "farm-a", "--json");
        assertEquals(0, added.code(), added.out() + added.err());
        assertEquals("farm-a", added.lines().get(0).get("id").getAsString());
        // the same again is done already (a setup script run twice): exit 0; another id for the URL is a slip
        Result again = comfy("servers", "add", fake.baseUri() + "/");
        assertEquals(0, again.code(), again.out() + again.err());
        assertTrue(again.out().startsWith(fake.baseUri() + "/ is registered already, as farm-a"), again.out());
        Result otherId = comfy("servers", "add", fake.baseUri().toString(), "--id", "farm-b");
        assertEquals(2, otherId.code());
        assertTrue(otherId.err().startsWith("comfy: " + fake.baseUri() + " is registered already, as farm-a (not farm-b)"),
                otherId.err());
        assertEquals(2, comfy("servers", "add", "not a url").code());
        // the same machine by another name: a second registration would double what that ComfyUI is sent
        Result byName = comfy("servers", "add", fake.baseUri().toString().replace("127.0.0.1", "localhost"));
        assertEquals(0, byName.code(), byName.out() + byName.err());
        assertTrue(byName.out().contains("is registered already, as farm-a"), byName.out());

        Result list = comfy("servers", "--json");
        assertEquals(List.of("farm-a"), list.lines().stream().map(l -> l.get("id").getAsString()).toList());
        assertEquals("Farm A", list.lines().get(0).get("name").getAsString());
        assertEquals(0, comfy("status").code(), "the one registered server answers");

        Result unknown = comfy("servers", "remove", "nope", "farm-a");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().startsWith("comfy: there is no server nope"), unknown.err());
        assertEquals(1, Osgi.service(ServerRegistry.class).servers().size(), "nothing removed when one id is wrong");
        Result removed = comfy("servers", "remove", "farm-a");
        assertEquals(0, removed.code(), removed.err());
        assertEquals(List.of(), Osgi.service(ServerRegistry.class).servers());
        Result none = comfy("status");
        assertEquals(3, none.code(), "no server to run on");
        assertTrue(none.err().contains("no server is registered (comfy servers add URL"), none.err());
    }

    @Test
    void statusWithServicesReportsEveryComponentAndThePlatformHealth() {
        Result r = comfy("status", "--server", fake.baseUri().toString(), "--services", "--json");
        List<JsonObject> lines = r.lines();
        JsonObject queue = lines.stream().filter(l -> l.get("event").getAsString().equals("component")
                && l.get("name").getAsString().equals("comfy.workbench.queue.internal.QueueComponent")).findFirst()
                .orElseThrow(() -> new AssertionError(r.out()));
        assertEquals("ACTIVE", queue.get("state").getAsString());
        assertEquals("comfy.workbench.queue", queue.get("bundle").getAsString());
        assertEquals(0, queue.getAsJsonArray("missing").size());
        assertTrue(lines.stream().anyMatch(l -> l.get("event").getAsString().equals("check")
                && l.get("name").getAsString().equals("queue") && l.get("status").getAsString().equals("OK")), r.out());
        assertTrue(lines.stream().anyMatch(l -> l.get("event").getAsString().equals("cache")
                && l.get("name").getAsString().equals("queue.finished-history")
                // a rate only where there were requests (none is no rate, not a perfect one)
                && l.has("hit_rate") == (l.get("hits").getAsLong() + l.get("misses").getAsLong() > 0)), r.out());
        assertTrue(lines.stream().anyMatch(l -> l.get("event").getAsString().equals("cache")
                && l.get("name").getAsString().equals("queue.outputs") && l.has("disk_entries")), r.out());
        JsonObject health = lines.get(lines.size() - 1);
        assertEquals("health", health.get("event").getAsString());
        assertEquals(health.get("status").getAsString().equals("CRITICAL") ? 1 : 0, r.code(), r.out() + r.err());
    }

    @Test
    void statusWithServicesListsEachExtensionJarWithWhatBecameOfIt() {
        ExtensionRegistry extensions = new ExtensionRegistry() {
            @Override
            public Path folder() {
                return data.resolve("extensions");
            }

            @Override
            public List<Extension> extensions() {
                return List.of(new Extension("studio.jar", "com.studio.tools", "1.2.0", ExtensionState.ACTIVE, "", 77),
                        new Extension("notes.jar", "", "", ExtensionState.REJECTED, "not a jar (zip) file", -1),
                        new Extension("view.jar", "com.studio.view", "1.0.0", ExtensionState.WORKBENCH_ONLY, "", 78));
            }
        };
        ServiceRegistration<ExtensionRegistry> registration = Osgi.context().registerService(ExtensionRegistry.class,
                extensions, null);
        try {
            Result r = comfy("status", "--server", fake.baseUri().toString(), "--services", "--json");
            List<JsonObject> listed = r.lines().stream().filter(l -> l.get("event").getAsString().equals("extension"))
                    .toList();
            assertEquals(3, listed.size(), r.out());
            JsonObject studio = listed.get(0);
            assertEquals("studio.jar", studio.get("file").getAsString());
            assertEquals("com.studio.tools", studio.get("name").getAsString());
            assertEquals("1.2.0", studio.get("version").getAsString());
            assertEquals("ACTIVE", studio.get("state").getAsString());
            assertEquals(77, studio.get("bundle_id").getAsLong());
            assertTrue(!studio.has("problem"), studio.toString());
            assertEquals("REJECTED", listed.get(1).get("state").getAsString());
            assertEquals("not a jar (zip) file", listed.get(1).get("problem").getAsString());
            assertEquals("WORKBENCH_ONLY", listed.get(2).get("state").getAsString());
            assertTrue(!listed.get(2).has("problem"), "for the workbench only is no problem: " + listed.get(2));

            Result text = comfy("status", "--server", fake.baseUri().toString(), "--services");
            assertTrue(text.out().lines().anyMatch(l -> l.matches(
                    "REJECTED +extension notes\\.jar \\(not a bundle\\)  not a jar \\(zip\\) file")), text.out());
            assertTrue(text.out().lines().anyMatch(l -> l.matches("WORKBENCH_ONLY +extension view\\.jar "
                    + "\\(com\\.studio\\.view 1\\.0\\.0\\)  for the workbench: not started in the command line")), text.out());
        } finally {
            registration.unregister();
        }
    }

    @Test
    void runPrintsAJsonLinePerStateChangeAndASummary() throws Exception {
        Path file = Files.writeString(data.resolve("quick.json"), TestPrompts.quick(4242, "cli"));
        Result r = comfy("run", file.toString(), "--server", fake.baseUri().toString(), "--count", "3", "--set",
                "1.width=16", "--json");
        assertEquals(0, r.code(), r.err() + r.out());
        List<JsonObject> lines = r.lines();
        JsonObject summary = lines.get(lines.size() - 1);
        assertEquals("summary", summary.get("event").getAsString());
        assertEquals(3, summary.get("total").getAsInt());
        assertEquals(3, summary.get("succeeded").getAsInt());
        List<JsonObject> done = lines.stream().filter(l -> l.get("event").getAsString().equals("job")
                && l.get("state").getAsString().equals("SUCCEEDED")).toList();
        assertEquals(3, done.size());
        for (JsonObject l : done) {
            Path out = Path.of(l.getAsJsonArray("outputs").get(0).getAsString());
            assertTrue(Files.isRegularFile(out), out.toString());
            assertTrue(out.startsWith(data.resolve("outputs")), out.toString());
        }
        // one shape of time in every line, six decimals (Python's %f takes no more; Instant's own varies)
        for (JsonObject l : lines.stream().filter(l -> l.has("at")).toList()) {
            assertTrue(l.get("at").getAsString().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z"),
                    l.toString());
        }
    }

    /** Runs the slow prompt in the background; returns once its line shows it held at the fake's stalled node. */
    private CliFixture.Running runHeldAtTheSlowNode(String name, int color) throws Exception {
        Path file = Files.writeString(data.resolve(name + ".json"), TestPrompts.slow(color));
        CliFixture.Running run = cli.comfyInBackground("run", file.toString(), "--server", fake.baseUri().toString());
        // held at its second node of three: the line names the node and the share of the graph done (the bar's count
        // of running jobs may not have heard yet that the job started)
        run.awaitErr("a line for the held node", "(?s).*\\] 0/1 done, [01] running  [0-9a-f]{8} 33 % \u00b7 ImageBlur\\R.*");
        return run;
    }

    @Test
    void runShowsAPersonWhereARunningJobStandsNodeByNode() throws Exception {
        CliFixture.Running run;
        try (Stall hold = fake.holdNode(TestPrompts.SLOW_NODE)) {
            run = runHeldAtTheSlowNode("slow", 4343);
        }
        assertEquals(0, run.exitCode(), run.errText());
        String lines = run.errText();
        assertEquals(1, lines.lines().filter(l -> l.endsWith("ImageBlur")).count(), "one line per node: " + lines);
        assertTrue(lines.lines().anyMatch(l -> l.contains("1/1 done") && l.contains("SUCCEEDED")), lines);
    }

    @Test
    void aRunningJobsLineSaysWhenItsServerIsLostAndBack() throws Exception {
        CliFixture.Running run;
        try (Stall hold = fake.holdNode(TestPrompts.SLOW_NODE)) {
            run = runHeldAtTheSlowNode("lost", 4344);
            // the network to it breaks for a while; the server keeps the job
            fake.refuseConnections(true);
            fake.dropWebSockets();
            // else the job's last step would stay on the screen as if it still ran
            run.awaitErr("the server lost", "(?s).*ImageBlur\\R.*  [0-9a-f]{8} server cli-127\\.0\\.0\\.1-\\d+ "
                    + "unreachable[^\\n]*; the job waits for it\\R.*");
            fake.refuseConnections(false);
            run.awaitErr("the server back", "(?s).*[0-9a-f]{8} server cli-127\\.0\\.0\\.1-\\d+ is back\\R.*");
        }
        assertEquals(0, run.exitCode(), run.errText());
    }

    @Test
    void aJsonRunSaysWhenAServerItsJobsAreOnIsLostAndBack() throws Exception {
        Path file = Files.writeString(data.resolve("lost-json.json"), TestPrompts.slow(4345));
        CliFixture.Running run;
        try (Stall hold = fake.holdNode(TestPrompts.SLOW_NODE)) {
            run = cli.comfyInBackground("run", file.toString(), "--server", fake.baseUri().toString(), "--json");
            run.awaitOut("the job running", "(?s).*\"state\":\"RUNNING\".*");
            fake.refuseConnections(true);
            fake.dropWebSockets();
            run.awaitOut("the server lost", "(?s).*\\{\"event\":\"server_unreachable\",\"server\":\"cli-127\\.0\\.0\\.1-\\d+\","
                    + "\"message\":\"server [^\"]*unreachable[^\n]*; the job waits for it\",\"jobs\":\\[\"[0-9a-f-]{36}\"\\],"
                    + "\"at\":\"[^\"]+Z\"\\}\\R.*");
            fake.refuseConnections(false);
            run.awaitOut("the server back", "(?s).*\\{\"event\":\"server_back\",\"server\":\"cli-127\\.0\\.0\\.1-\\d+\",.*");
        }
        assertEquals(0, run.exitCode(), run.outText() + run.errText());
    }

    @Test
    void runTellsAPersonWhyAJobWaits() throws Exception {
        Path file = Files.writeString(data.resolve("wait.json"), TestPrompts.quick(4444, "wait"));
        fake.failWith500("GET /view"); // the render is done, its output cannot be fetched for now
        CliFixture.Running run = cli.comfyInBackground("run", file.toString(), "--server", fake.baseUri().toString());
        try {
            run.awaitErr("the reason on the bar's line",
                    "(?s).*\\] 0/1 done, 1 running  [0-9a-f]{8} RUNNING: [^\\n]*trying again.*");
        } finally {
            fake.clearFaults();
        }
        assertEquals(0, run.exitCode(), run.errText());
    }

    @Test
    void aRunWhoseDispatchPolicyIsNotRegisteredIsRefusedBeforeAnyJobIsSentAndRunsOnceItIs() throws Exception {
        String name = "render-farm-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        Osgi.configure("comfy.workbench.queue", "comfy.workbench.queue.internal.QueueComponent",
                java.util.Map.of("dispatchPolicy", name, "fixture", java.util.UUID.randomUUID().toString()));
        Path file = Files.writeString(data.resolve("policy.json"), TestPrompts.quick(4646, "policy"));
        Result refused = comfy("run", file.toString(), "--server", fake.baseUri().toString());
        assertEquals(2, refused.code(), refused.out() + refused.err());
        assertTrue(refused.err().contains("dispatch policy '" + name + "' is not registered (there are: most-free-slots, built in, most-free-vram)"),
                refused.err());
        assertEquals(0, fake.requests("POST /prompt"));
        assertEquals(List.of(), Osgi.service(JobQueue.class).jobs(List.of()), "nothing was queued either");

        java.util.Hashtable<String, Object> properties = new java.util.Hashtable<>();
        properties.put(DispatchPolicy.NAME, name);
        var policy = Osgi.context().registerService(DispatchPolicy.class,
                (job, candidates) -> java.util.Optional.of(candidates.get(0).serverId()), properties);
        try {
            Result ran = comfy("run", file.toString(), "--server", fake.baseUri().toString());
            assertEquals(0, ran.code(), ran.out() + ran.err());
            assertEquals(1, fake.requests("POST /prompt"));
        } finally {
            policy.unregister();
        }
    }

    @Test
    void resumeWithNoServerToFinishOnIsExitThreeAndKeepsTheJobs() throws Exception {
        Path file = Files.writeString(data.resolve("kept.json"), TestPrompts.quick(4949, "kept"));
        assertEquals(0, comfy("run", file.toString(), "--server", fake.baseUri().toString()).code()); // registers it
        JobQueue queue = Osgi.service(JobQueue.class);
        queue.pause();
        Job waiting = queue.submit(JobRequest.of(
                PromptGraph.parse(TestPrompts.quick(4950, "left"), "left")).withBatch("left"));
        fake.close();

        Result r = comfy("resume", "--json");

        assertEquals(3, r.code(), r.out() + r.err());
        String message = r.lines().get(0).get("message").getAsString();
        assertTrue(message.startsWith("no server is reachable: cli-127.0.0.1-"), message);
        assertTrue(message.endsWith("; the unfinished job stays queued for the next comfy resume"), message);
        assertEquals(JobState.PAUSED, queue.job(waiting.id()).orElseThrow().state(), "left as it was");
    }

    @Test
    void aRunSaysThatJobsAnEarlierRunLeftRunTooAndFollowsThemToTheirEnd() throws Exception {
        Osgi.service(ServerRegistry.class).add(new ServerDescriptor("farm", "Farm", fake.baseUri(), null));
        Path file = Files.writeString(data.resolve("new.json"), TestPrompts.quick(5051, "new"));
        CliFixture.Running run;
        try (Stall hold = fake.holdNode(TestPrompts.SLOW_NODE)) {
            Job left = Osgi.service(JobQueue.class).submit(JobRequest.of(PromptGraph.parse(TestPrompts.quick(5050, "left"),
                    "left")).withBatch("left-1"));
            Osgi.await("the earlier job on the server", () -> Osgi.service(JobQueue.class).job(left.id()).orElseThrow()
                    .state() == JobState.RUNNING);
            run = cli.comfyInBackground("run", file.toString(), "--server", fake.baseUri().toString(), "--count", "3");
            run.awaitErr("the note and the batch", "(?s).*comfy: 1 unfinished job of earlier runs \\(batch left-1\\) run "
                    + "too, in the queue's order, and this run waits for them as well.*comfy: batch run-[^,]+, 3 jobs, and "
                    + "1 of earlier runs\\R.*");
        }
        assertEquals(0, run.exitCode(), run.errText());
        // the bar counts every job it waits for, all of them from its first line (not 1, 2, 3 as they are stored)
        List<String> bars = run.errText().lines().filter(l -> l.startsWith("[")).toList();
        assertTrue(!bars.isEmpty() && bars.stream().allMatch(l -> l.contains("/4 done")), run.errText());
        assertTrue(bars.get(bars.size() - 1).contains("4/4 done"), run.errText());
    }

    @Test
    void aResumeBegunWhileAJobsServerIsDownSaysSoAtOnce() throws Exception {
        // the next reconnect is a minute away: only the state the monitor is in can tell the run
        Osgi.configure("comfy.workbench.monitor", "comfy.workbench.monitor.internal.MonitorComponent",
                Map.of("reconnectInitialMillis", 60_000L, "reconnectMaxMillis", 60_000L, "fixture",
                        java.util.UUID.randomUUID().toString()));
        Osgi.service(ServerRegistry.class).add(new ServerDescriptor("farm", "Farm", fake.baseUri(), null));
        try (Stall hold = fake.holdNode(TestPrompts.SLOW_NODE); FakeComfyServer other = FakeComfyServer.builder().start()) {
            // (it may run on any server: one that may run on farm only would leave the resume nothing to wait for)
            Job held = Osgi.service(JobQueue.class).submit(JobRequest.of(PromptGraph.parse(TestPrompts.slow(5400), "held")));
            Osgi.await("the job running", () -> Osgi.service(JobQueue.class).job(held.id()).orElseThrow().state()
                    == JobState.RUNNING);
            fake.refuseConnections(true);
            fake.dropWebSockets();
            Osgi.await("the socket seen lost", () -> Osgi.service(comfy.workbench.monitor.api.ExecutionMonitor.class)
                    .connectionState("farm") == comfy.workbench.monitor.api.ConnectionState.DISCONNECTED);

            // another server answers, so the resume goes ahead
            Osgi.service(ServerRegistry.class).add(new ServerDescriptor("other", "Other", other.baseUri(), null));
            CliFixture.Running resume = cli.comfyInBackground("resume");
            try {
                resume.awaitErr("the line", "(?s).*[0-9a-f]{8} server farm unreachable; the job waits for it\\R.*");
            } finally {
                fake.refuseConnections(false);
            }
        }
    }

    @Test
    void resumeCountsEveryUnfinishedJobToItsEnd() throws Exception {
        Osgi.service(ServerRegistry.class).add(new ServerDescriptor("farm", "Farm", fake.baseUri(), null));
        JobQueue queue = Osgi.service(JobQueue.class);
        queue.pause();
        for (int i = 0; i < 3; i++) {
            queue.submit(JobRequest.of(PromptGraph.parse(TestPrompts.quick(5300 + i, "left"), "left")).withBatch("left"));
        }

        Result r = comfy("resume");

        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().startsWith("3 jobs: 3 succeeded"), r.out());
        List<String> bars = r.err().lines().filter(l -> l.startsWith("[")).toList();
        assertTrue(bars.get(bars.size() - 1).startsWith("[####################] 3/3 done, 0 running"), r.err());
    }

    @Test
    void resumeCountsAJobTheQueueFinishedAtStartBeforeTheCommandBegan() throws Exception {
        Job left = finishedWhileNoRunWatched(5353, "killed-2");
        finishedAsTheNextQueueStarts(left);
        assertEquals(List.of(left.id()), Osgi.service(JobQueue.class).leftUnfinished());

        Result r = comfy("resume");

        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().startsWith("1 job: 1 succeeded"), r.out());
        assertTrue(r.err().contains(left.id().substring(0, 8) + " SUCCEEDED → "), "its end shown: " + r.err());
    }

    @Test
    void aResumeInJsonGivesTheLineOfAJobTheQueueFinishedAtStart() throws Exception {
        Job left = finishedWhileNoRunWatched(5454, "killed-3");
        finishedAsTheNextQueueStarts(left);

        Result r = comfy("resume", "--json");

        assertEquals(0, r.code(), r.out() + r.err());
        List<JsonObject> jobLines = r.lines().stream()
                .filter(l -> l.get("event").getAsString().equals("job")).toList();
        assertEquals(1, jobLines.size(), r.out());
        assertEquals(left.id(), jobLines.get(0).get("id").getAsString());
        assertEquals("SUCCEEDED", jobLines.get(0).get("state").getAsString());
        assertEquals(1, jobLines.get(0).getAsJsonArray("outputs").size(), r.out());
    }

    @Test
    void aRunReportsAnEarlierJobTheQueueFinishedAtStart() throws Exception {
        Job left = finishedWhileNoRunWatched(5858, "killed-4");
        finishedAsTheNextQueueStarts(left);
        Path file = Files.writeString(data.resolve("next.json"), TestPrompts.quick(5859, "next"));

        Result r = comfy("run", file.toString(), "--server", fake.baseUri().toString(), "--json");

        assertEquals(0, r.code(), r.out() + r.err());
        assertEquals(1, r.lines().stream().filter(l -> l.get("event").getAsString().equals("earlier_jobs"))
                .findFirst().orElseThrow(() -> new AssertionError(r.out())).get("count").getAsInt());
        assertTrue(r.lines().stream().anyMatch(l -> l.get("event").getAsString().equals("job")
                && l.get("id").getAsString().equals(left.id()) && l.get("state").getAsString().equals("SUCCEEDED")),
                "its end and outputs in the stream: " + r.out());
        assertEquals(2, r.lines().get(r.lines().size() - 1).get("total").getAsInt(), r.out());
    }

    @Test
    void aServerWithJobsSentToItOrPinnedToItIsNotRemoved() throws Exception {
        Osgi.service(ServerRegistry.class).add(new ServerDescriptor("farm", "Farm", fake.baseUri(), null));
        JobQueue queue = Osgi.service(JobQueue.class);
        Job sent;
        try (Stall hold = fake.holdNode(TestPrompts.SLOW_NODE)) {
            sent = queue.submit(JobRequest.of(PromptGraph.parse(TestPrompts.slow(5555), "sent")).withBatch("shot-1"));
            Osgi.await("the job on the server", () -> queue.job(sent.id()).orElseThrow().state() == JobState.RUNNING);

            Result refused = comfy("servers", "remove", "farm", "--json");

            assertEquals(2, refused.code(), refused.out() + refused.err());
            String message = refused.lines().get(0).get("message").getAsString();
            assertTrue(message.startsWith("server farm is not removed: 1 job sent to it has not finished here"),
                    message);
            assertTrue(message.endsWith("comfy resume finishes them, or comfy cancel --batch shot-1 drops them; "
                    + "then remove it"), message);
            assertTrue(Osgi.service(ServerRegistry.class).server("farm").isPresent());
        }
        fixtureAwait(sent);
        queue.pause();
        Job pinned = queue.submit(JobRequest.of(PromptGraph.parse(TestPrompts.quick(5556, "pinned"), "pinned"))
                .withPolicy(ServerPolicy.named("farm")));
        Result waiting = comfy("servers", "remove", "farm");
        assertEquals(2, waiting.code(), waiting.out() + waiting.err());
        assertTrue(waiting.err().contains("1 job waiting may run on it only"), waiting.err());
        assertTrue(queue.cancel(pinned.id()));
        assertEquals(0, comfy("servers", "remove", "farm").code(), "nothing left that needs it");
    }

    @Test
    void aRunsExitIsItsOwnJobsNotThoseOfEarlierRunsItAlsoFinishes() throws Exception {
        Osgi.service(ServerRegistry.class).add(new ServerDescriptor("farm", "Farm", fake.baseUri(), null));
        JobQueue queue = Osgi.service(JobQueue.class);
        Path file = Files.writeString(data.resolve("own.json"), TestPrompts.quick(5760, "own"));
        CliFixture.Running run;
        Job earlier;
        try (Stall sending = fake.stall("POST /prompt")) {
            // an earlier run's job, on its way to a server that will refuse it (a width below the node's minimum)
            earlier = queue.submit(JobRequest.of(PromptGraph.parse(TestPrompts.quick(5759, "bad").replace(
                    "\"width\":8", "\"width\":0"), "bad")).withBatch("earlier-1"));
            Osgi.await("the earlier job on its way", () -> queue.job(earlier.id()).orElseThrow().state()
                    == JobState.DISPATCHED);
            run = cli.comfyInBackground("run", file.toString(), "--server", fake.baseUri().toString(), "--json");
            run.awaitOut("the earlier job followed", "(?s).*\"event\":\"earlier_jobs\",\"count\":1.*");
        }

        assertEquals(0, run.exitCode(), "its own job succeeded: " + run.outText() + run.errText());
        assertEquals(JobState.FAILED, queue.job(earlier.id()).orElseThrow().state());
        List<String> lines = run.outText().lines().toList();
        JsonObject summary = JsonParser.parseString(lines.get(lines.size() - 1)).getAsJsonObject();
        assertEquals(2, summary.get("total").getAsInt(), run.outText());
        assertEquals(1, summary.get("failed").getAsInt(), "the earlier job reported: " + run.outText());
    }

    /**
     * A job a run sent to "farm" before it was killed, which the server then finished while no process watched: the
     * queue is configured as {@code comfy cancel} starts it (not dispatching) until the server's outcome is recorded.
     */
    private Job finishedWhileNoRunWatched(int color, String batch) throws Exception {
        Osgi.service(ServerRegistry.class).add(new ServerDescriptor("farm", "Farm", fake.baseUri(), null));
        Job left;
        try (Stall hold = fake.holdNode(TestPrompts.SLOW_NODE)) {
            left = Osgi.service(JobQueue.class).submit(JobRequest.of(PromptGraph.parse(TestPrompts.slow(color),
                    "left")).withBatch(batch));
            Osgi.await("the job on the server", () -> Osgi.service(JobQueue.class).job(left.id()).orElseThrow()
                    .state() == JobState.RUNNING);
            Osgi.configure("comfy.workbench.queue", "comfy.workbench.queue.internal.QueueComponent",
                    Map.of("dispatch", false, "fixture", java.util.UUID.randomUUID().toString()));
            Osgi.service(JobQueue.class).diagnostics();
        }
        Osgi.await("the server done with it", () -> fake.outcome(left.id()).isPresent());
        return left;
    }

    /** The next run or resume starts: its queue reconciles the job with the server as it starts, before the command. */
    private static void finishedAsTheNextQueueStarts(Job left) throws Exception {
        Osgi.configure("comfy.workbench.queue", "comfy.workbench.queue.internal.QueueComponent",
                Map.of("fixture", java.util.UUID.randomUUID().toString()));
        Osgi.await("the job finished at start", () -> Osgi.service(JobQueue.class).job(left.id()).orElseThrow()
                .state() == JobState.SUCCEEDED);
    }

    private static void fixtureAwait(Job job) {
        Osgi.await(job.id() + " ended", () -> Osgi.service(JobQueue.class).job(job.id()).orElseThrow().state().terminal());
    }

    @Test
    void aResumeFinishesWhatItCanAndLeavesJobsWhoseOnlyServerDoesNotAnswer() throws Exception {
        Osgi.service(ServerRegistry.class).add(new ServerDescriptor("farm", "Farm", fake.baseUri(), null));
        FakeComfyServer gone = FakeComfyServer.builder().start();
        Osgi.service(ServerRegistry.class).add(new ServerDescriptor("gone", "Gone", gone.baseUri(), null));
        gone.close();
        JobQueue queue = Osgi.service(JobQueue.class);
        queue.pause();
        Job stranded = queue.submit(JobRequest.of(PromptGraph.parse(TestPrompts.quick(5657, "stranded"), "stranded"))
                .withPolicy(ServerPolicy.named("gone")).withBatch("b-1"));
        Job free = queue.submit(JobRequest.of(PromptGraph.parse(TestPrompts.quick(5658, "free"), "free"))
                .withBatch("b-1"));

        Result r = comfy("resume", "--json");

        assertEquals(3, r.code(), "jobs left waiting: " + r.out() + r.err());
        JsonObject note = r.lines().stream().filter(l -> l.get("event").getAsString()
                .equals("stranded_jobs")).findFirst().orElseThrow(() -> new AssertionError(r.out()));
        assertEquals(stranded.id(), note.getAsJsonArray("jobs").get(0).getAsString());
        assertEquals("gone", note.getAsJsonArray("servers").get(0).getAsString());
        assertEquals(JobState.SUCCEEDED, queue.job(free.id()).orElseThrow().state(), "the other one finished");
        assertEquals(JobState.QUEUED, queue.job(stranded.id()).orElseThrow().state(), "kept for its server");
        assertTrue(queue.cancel(stranded.id()));
    }

    @Test
    void aServerUrlWithAPortOutOfRangeIsRefusedNamingIt() {
        Result r = comfy("status", "--server", "http://127.0.0.1:99999");
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("--server http://127.0.0.1:99999: server URL port must be 1 to 65535"), r.err());
    }

    @Test
    void setGivesNumbersAsNumbersAndKeepsTextInputsText() throws Exception {
        Path file = Files.writeString(data.resolve("typed.json"), TestPrompts.quick(4545, "typed"));
        Result r = comfy("run", file.toString(), "--server", fake.baseUri().toString(), "--set", "1.width=16",
                "--set", "1.color=255", "--set", "2.filename_prefix=42", "--json");
        assertEquals(0, r.code(), r.err() + r.out());
        String id = r.lines().stream().filter(l -> l.get("event").getAsString().equals("job")).findFirst()
                .orElseThrow().get("id").getAsString();
        HttpResponse<String> history = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                fake.baseUri().resolve("/history/" + id)).build(), HttpResponse.BodyHandlers.ofString());
        // what the server received: [number, prompt id, graph, extra data, outputs to execute]
        JsonObject graph = JsonParser.parseString(history.body()).getAsJsonObject().getAsJsonObject(id)
                .getAsJsonArray("prompt").get(2).getAsJsonObject();
        JsonObject empty = graph.getAsJsonObject("1").getAsJsonObject("inputs");
        assertTrue(empty.get("width").getAsJsonPrimitive().isNumber(), empty.toString());
        assertEquals(16, empty.get("width").getAsInt());
        assertEquals(255, empty.get("color").getAsInt());
        JsonObject save = graph.getAsJsonObject("2").getAsJsonObject("inputs");
        assertEquals("42", save.get("filename_prefix").getAsString());
        assertTrue(save.get("filename_prefix").getAsJsonPrimitive().isString(), save.toString());
    }

    /** Runs the file with {@code --json} and the options; gives the seeds of node 2 the server received, one a job. */
    private List<Long> seedsReceived(Path file, String... options) throws Exception {
        List<Long> seeds = new ArrayList<>();
        for (JsonArray prompt : promptsReceived(file, options)) {
            seeds.add(prompt.get(2).getAsJsonObject().getAsJsonObject("2").getAsJsonObject("inputs").get("seed")
                    .getAsLong());
        }
        return seeds;
    }

    /**
     * Runs the file with {@code --json} and the options; gives what the server received of each job: [number, prompt
     * id, graph, extra data, outputs to execute].
     */
    private List<JsonArray> promptsReceived(Path file, String... options) throws Exception {
        return promptsReceived(file.toString(), options);
    }

    /** The same for a file or {@code template:ID}. */
    private List<JsonArray> promptsReceived(String target, String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of("run", target, "--server", fake.baseUri().toString(), "--json"));
        args.addAll(List.of(options));
        Result r = comfy(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err() + r.out());
        List<String> ids = r.lines().stream().filter(l -> l.get("event").getAsString().equals("job"))
                .map(l -> l.get("id").getAsString()).distinct().toList();
        List<JsonArray> prompts = new ArrayList<>();
        for (String id : ids) {
            HttpResponse<String> history = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    fake.baseUri().resolve("/history/" + id)).build(), HttpResponse.BodyHandlers.ofString());
            prompts.add(JsonParser.parseString(history.body()).getAsJsonObject().getAsJsonObject(id)
                    .getAsJsonArray("prompt"));
        }
        return prompts;
    }

    @Test
    void theWorkflowGoesIntoTheOutputsPngOnlyWithTheRunItDescribes() throws Exception {
        Path file = Files.writeString(data.resolve("png_seed.json"), TestPrompts.noiseUi("randomize"));
        for (JsonArray prompt : promptsReceived(file, "--count", "3")) {
            long seed = prompt.get(2).getAsJsonObject().getAsJsonObject("2").getAsJsonObject("inputs").get("seed")
                    .getAsLong();
            JsonObject extra = prompt.get(3).getAsJsonObject();
            // the saved workflow has seed 42: another run's PNG would load into ComfyUI as a workflow that does not
            // make its image, so it carries only the prompt
            assertEquals(seed == 42, extra.has("extra_pnginfo"), seed + ": " + extra);
        }
    }

    @Test
    void countRunsARandomizedSeedWithANewSeedEachTime() throws Exception {
        Path file = Files.writeString(data.resolve("ui_seed.json"), TestPrompts.noiseUi("randomize"));
        List<Long> seeds = seedsReceived(file, "--count", "3");
        assertEquals(3, seeds.size(), seeds.toString());
        assertEquals(3, new HashSet<>(seeds).size(), "three different seeds: " + seeds);
        // the first run has the saved seed (the frontend randomizes after queueing), the others the frontend's range
        assertTrue(seeds.contains(42L), seeds.toString());
        assertTrue(seeds.stream().allMatch(s -> s >= 0 && s < 1125899906842624L), seeds.toString());
    }

    @Test
    void countRunsOfAnApiWorkflowRandomizeItsSeedsAfterTheFirstAsTheFrontendWouldUnlessTheSeedIsSet() throws Exception {
        // API JSON carries no control after generate: the same prompt three times made one image three times
        Path file = Files.writeString(data.resolve("api_seed.json"), """
                {"1":{"class_type":"EmptyImage","inputs":{"width":8,"height":8,"batch_size":1,"color":4848}},
                 "2":{"class_type":"ImageAddNoise","inputs":{"image":["1",0],"seed":42,"strength":0.5}},
                 "3":{"class_type":"SaveImage","inputs":{"images":["2",0],"filename_prefix":"api_seed"}}}
                """);
        List<Long> seeds = seedsReceived(file, "--count", "3");
        assertEquals(3, new HashSet<>(seeds).size(), "three different seeds: " + seeds);
        assertTrue(seeds.contains(42L), "the first run has the file's seed: " + seeds);
        assertEquals(List.of(7L, 7L, 7L), seedsReceived(file, "--count", "3", "--set", "2.seed=7"));
    }

    @Test
    void countRunsAFixedSeedAsSavedAnIncrementedOneStepByStepAndASetSeedAsSet() throws Exception {
        Path fixed = Files.writeString(data.resolve("fixed.json"), TestPrompts.noiseUi("fixed"));
        assertEquals(List.of(42L, 42L, 42L), seedsReceived(fixed, "--count", "3"));
        Path increment = Files.writeString(data.resolve("increment.json"), TestPrompts.noiseUi("increment"));
        assertEquals(Set.of(42L, 43L, 44L), new HashSet<>(seedsReceived(increment, "--count", "3")));
        // the user fixed it
        Path randomize = Files.writeString(data.resolve("randomize.json"), TestPrompts.noiseUi("randomize"));
        assertEquals(List.of(7L, 7L, 7L), seedsReceived(randomize, "--count", "3", "--set", "2.seed=7"));
    }

    @Test
    void countRunsOfATemplateMoveItsWorkflowsSeedsAsTheFilesRunsDoUnlessTheSeedIsGiven() throws Exception {
        Path increment = Files.writeString(data.resolve("increment-t.json"), TestPrompts.noiseUi("increment"));
        Result created = comfy("templates", "create", increment.toString(), "--name", "noise", "--param",
                "seed=2.seed", "--param", "amount=2.strength", "--server", fake.baseUri().toString(), "--json");
        assertEquals(0, created.code(), created.err() + created.out());
        String template = "template:" + created.lines().get(0).get("id").getAsString();
        Function<List<JsonArray>, Set<Long>> seeds = prompts -> prompts.stream().map(p -> p.get(2).getAsJsonObject()
                .getAsJsonObject("2").getAsJsonObject("inputs").get("seed").getAsLong()).collect(Collectors.toSet());

        assertEquals(Set.of(42L, 43L, 44L), seeds.apply(promptsReceived(template, "--count", "3")),
                "three runs of the same values made one image three times");
        assertEquals(Set.of(42L, 43L), seeds.apply(promptsReceived(template, "--count", "2", "--param", "amount=0.25")),
                "another parameter given leaves the seed's control");
        assertEquals(Set.of(7L), seeds.apply(promptsReceived(template, "--count", "3", "--param", "seed=7")));
    }

    @Test
    void aTemplateRunTheServerWouldRefuseIsRefusedBeforeAnythingIsSentWithTheCombinationNamed() throws Exception {
        // the base workflow's width is below EmptyImage's minimum; the template's parameter is another input
        Path file = Files.writeString(data.resolve("narrow.json"), TestPrompts.quick(4747, "narrow")
                .replace("\"width\":8", "\"width\":0"));
        Result created = comfy("templates", "create", file.toString(), "--param", "colour=1.color", "--server",
                fake.baseUri().toString(), "--json");
        assertEquals(0, created.code(), created.err() + created.out());
        String id = created.lines().get(0).get("id").getAsString();
        int sent = fake.requests("POST /prompt");

        Result run = comfy("run", "template:" + id, "--sweep", "colour=1,2", "--server", fake.baseUri().toString());

        assertEquals(2, run.code(), run.err() + run.out());
        assertTrue(run.err().contains("template:" + id + " {colour=1}") && run.err().contains("width"), run.err());
        assertEquals(sent, fake.requests("POST /prompt"), "nothing sent");
    }

    @Test
    void anOptionPairGivenTwiceIsRefusedRatherThanGuessed() throws Exception {
        Path file = Files.writeString(data.resolve("twice.json"), TestPrompts.quick(4646, "twice"));
        Result r = comfy("run", file.toString(), "--server", fake.baseUri().toString(), "--set", "1.width=16",
                "--set", "1.width=32");
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("--set 1.width is given twice"), r.err());
    }

    @Test
    void aSlipInTheArgumentsIsNamedInTheOutputAskedFor() {
        Result json = comfy("run", data.resolve("nosuch.json").toString(), "--count", "x", "--json");
        assertEquals(2, json.code(), json.out() + json.err());
        JsonObject error = json.lines().get(0);
        assertEquals("error", error.get("event").getAsString());
        assertEquals("usage", error.get("kind").getAsString());
        assertTrue(error.get("message").getAsString().contains("--count"), error.toString());
        assertEquals("", json.err(), "nothing beside the JSON lines");

        Result text = comfy("run", data.resolve("nosuch.json").toString(), "--count", "x");
        assertEquals(2, text.code());
        assertTrue(text.err().startsWith("comfy: --count takes a whole number"), text.err());
        assertTrue(text.err().contains("comfy help"), "a pointer to the usage, not all of it: " + text.err());
        Result unknown = comfy("frobnicate");
        assertTrue(unknown.err().contains("run FILE..."), "the whole usage for a command comfy does not know");

        Result oneDash = comfy("jobs", "-json");
        assertEquals(2, oneDash.code(), "was a text listing: " + oneDash.out());
        assertTrue(oneDash.err().startsWith("comfy: unknown option -json (options start with two dashes: --json)"),
                oneDash.err());
        Result extra = comfy("jobs", "failed");
        assertEquals(2, extra.code(), extra.out());
        assertTrue(extra.err().startsWith("comfy: comfy jobs takes no arguments, only options: failed"), extra.err());
        Result help = comfy("run", "x.json", "--help");
        assertEquals(0, help.code(), help.out() + help.err());
        assertTrue((help.out() + help.err()).contains("run FILE..."), "the usage: " + help.out() + help.err());
    }

    @Test
    void aSetOnAnInputTheNodeCannotHaveIsRefusedNotIgnored() throws Exception {
        // the server ignores inputs it does not know: a misspelt --set would run the graph unchanged
        Path file = Files.writeString(data.resolve("typo.json"), TestPrompts.quick(4848, "typo"));
        Result typo = comfy("run", file.toString(), "--server", fake.baseUri().toString(), "--set", "1.widht=32");
        assertEquals(2, typo.code(), typo.out() + typo.err());
        assertTrue(typo.err().startsWith("comfy: --set 1.widht: node 1 (EmptyImage) has no input \"widht\"; its inputs: "
                + "width, height, batch_size, color"), typo.err());

        Path bare = Files.writeString(data.resolve("bare.json"), "{\"1\":{\"class_type\":\"EmptyImage\"},"
                + "\"2\":{\"class_type\":\"SaveImage\",\"inputs\":{\"images\":[\"1\",0],\"filename_prefix\":\"b\"}}}");
        Result noInputs = comfy("run", bare.toString(), "--server", fake.baseUri().toString(), "--set", "1.width=8",
                "--json");
        assertEquals(2, noInputs.code(), noInputs.out() + noInputs.err());
        assertEquals("--set 1.width: node 1 (EmptyImage) of " + bare + " has no inputs object",
                noInputs.lines().get(0).get("message").getAsString());
        assertEquals(List.of(), comfy("jobs", "--json").lines(), "nothing queued");
    }

    @Test
    void optionsMayComeBeforeTheCommand() throws Exception {
        Path file = Files.writeString(data.resolve("first.json"), TestPrompts.quick(4747, "first"));
        Result run = comfy("--json", "--server", fake.baseUri().toString(), "run", file.toString());
        assertEquals(0, run.code(), run.out() + run.err());
        assertEquals("summary", run.events().get(run.events().size() - 1), run.out());

        Result jobs = comfy("--state", "succeeded", "--json", "jobs");
        assertEquals(0, jobs.code(), jobs.out() + jobs.err());
        assertEquals(1, jobs.lines().size(), jobs.out());

        Result none = comfy("--json", "--state", "succeeded");
        assertEquals(2, none.code());
        assertEquals("no command", none.lines().get(0).get("message").getAsString(), "--state's value is no command");
        Result unknown = comfy("--bogus", "jobs", "--json");
        assertEquals(2, unknown.code());
        assertEquals("unknown option --bogus", unknown.lines().get(0).get("message").getAsString());
        Result help = comfy("--json", "help");
        assertEquals(0, help.code(), help.err());
        assertTrue(help.out().contains("run FILE..."), help.out());
        // an option the command does not read would be ignored: jobs --count 3 lists every job
        Result ignored = comfy("jobs", "--count", "3", "--json");
        assertEquals(2, ignored.code());
        assertEquals("comfy jobs takes no --count (it takes --batch, --server, --state, --json, --data)",
                ignored.lines().get(0).get("message").getAsString());
    }

    @Test
    void jobsListsABatchOrTheJobsSentToAServer() throws Exception {
        Path a = Files.writeString(data.resolve("a.json"), TestPrompts.quick(4801, "a"));
        Path b = Files.writeString(data.resolve("b.json"), TestPrompts.quick(4802, "b"));
        String url = fake.baseUri().toString();
        Result first = comfy("run", a.toString(), "--server", url, "--json");
        assertEquals(0, first.code(), first.err());
        Result second = comfy("run", b.toString(), "--count", "2", "--server", url, "--json");
        assertEquals(0, second.code(), second.err());
        String batch = second.lines().stream().filter(l -> l.get("event").getAsString().equals("job")).findFirst()
                .orElseThrow().get("batch").getAsString();

        Result listed = comfy("jobs", "--batch", batch, "--json");

        assertEquals(0, listed.code(), listed.err());
        assertEquals(2, listed.lines().size(), listed.out());
        assertTrue(listed.lines().stream().allMatch(l -> l.get("batch").getAsString().equals(batch)), listed.out());
        Result onServer = comfy("jobs", "--server", url, "--json");
        assertEquals(3, onServer.lines().size(), onServer.out());
        assertEquals(3, comfy("jobs", "--server", url.replace("127.0.0.1", "localhost") + "/", "--json").lines().size(),
                "the same server by another name of this machine");
        assertEquals(0, comfy("jobs", "--server", "elsewhere", "--json").lines().size());
        Result noBatch = comfy("jobs", "--batch", "no-such-batch");
        assertEquals(2, noBatch.code(), "a mistyped batch is a slip, as for cancel --batch: " + noBatch.out());
        assertTrue(noBatch.err().startsWith("comfy: there is no batch no-such-batch"), noBatch.err());
    }

    @Test
    void invalidInputIsExitTwoWithTheNodeErrors() throws Exception {
        Path bad = Files.writeString(data.resolve("bad.json"), "{\"1\":{\"class_type\":\"EmptyImage\",\"inputs\":{"
                + "\"width\":0,\"height\":8,\"batch_size\":1,\"color\":0}},\"2\":{\"class_type\":\"SaveImage\","
                + "\"inputs\":{\"images\":[\"1\",0],\"filename_prefix\":\"x\"}}}");
        Result r = comfy("run", bad.toString(), "--server", fake.baseUri().toString(), "--json");
        assertEquals(2, r.code());
        JsonObject line = r.lines().get(0);
        assertEquals("validation_error", line.get("event").getAsString());
        JsonObject error = line.getAsJsonArray("errors").get(0).getAsJsonObject();
        assertEquals("1", error.get("node_id").getAsString());
        assertEquals("EmptyImage", error.get("class_type").getAsString());
        assertEquals("width", error.get("input").getAsString());
        assertEquals("width", error.get("details").getAsString(), "the server's details, as it gives them");
        // the details say what the server's generic message does not: the value and the options
        Path combo = Files.writeString(data.resolve("combo.json"), "{\"1\":{\"class_type\":\"EmptyImage\",\"inputs\":{"
                + "\"width\":8,\"height\":8,\"batch_size\":1,\"color\":0}},\"2\":{\"class_type\":\"ImageScale\","
                + "\"inputs\":{\"image\":[\"1\",0],\"upscale_method\":\"Bilinear\",\"width\":8,\"height\":8,"
                + "\"crop\":\"disabled\"}},\"3\":{\"class_type\":\"SaveImage\",\"inputs\":{\"images\":[\"2\",0],"
                + "\"filename_prefix\":\"x\"}}}");
        Result notInList = comfy("run", combo.toString(), "--server", fake.baseUri().toString());
        assertEquals(2, notInList.code(), notInList.err());
        assertTrue(notInList.err().contains("input upscale_method: Value not in list (upscale_method: 'Bilinear' not in"),
                notInList.err());

        Path cut = Files.writeString(data.resolve("cut.json"), "{\"1\": {");
        Result corrupt = comfy("run", cut.toString(), "--server", fake.baseUri().toString());
        assertEquals(2, corrupt.code());
        assertTrue(corrupt.err().contains("cut.json"), corrupt.err());
        assertEquals(2, comfy("run", "--bogus").code());
        assertEquals(2, comfy("run", data.resolve("none.json").toString(), "--server", fake.baseUri().toString()).code());
    }

    @Test
    void statusNamesAServerThatDoesNotAnswerOnceAndStillReportsTheOthers() throws Exception {
        try (FakeComfyServer frozen = FakeComfyServer.builder().start(); Stall stalled = frozen.stall(".*")) {
            Result r = comfy("status", "--server", frozen.baseUri().toString(), "--server", fake.baseUri().toString(),
                    "--json");

            assertEquals(3, r.code(), r.out() + r.err());
            JsonObject first = r.lines().get(0);
            assertEquals(false, first.get("reachable").getAsBoolean());
            assertTrue(first.get("error").getAsString().contains("no answer within 10 s"), first.toString());
            assertEquals(true, r.lines().get(1).get("reachable").getAsBoolean(), "the other server answered");
        }
    }

    @Test
    void aFileTooLargeToBeAWorkflowOrAFolderIsRefusedByName() throws Exception {
        Path huge = data.resolve("huge.png");
        try (java.io.RandomAccessFile sparse = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
            sparse.setLength(300L << 20); // (a hole: no disk used) it once ran out of memory and exited 0, silently
        }
        for (String[] command : List.of(new String[] { "run", huge.toString(), "--server", fake.baseUri().toString() },
                new String[] { "workflows", "import", huge.toString(), "--server", fake.baseUri().toString() })) {
            Result r = comfy(command);
            assertEquals(2, r.code(), r.out() + r.err());
            assertTrue(r.err().contains(huge + " is 300 MiB: more than a workflow file can be (256 MiB)"), r.err());
        }
        Result folder = comfy("run", data.toString(), "--server", fake.baseUri().toString());
        assertEquals(2, folder.code());
        assertTrue(folder.err().contains(data + " is a folder, not a workflow file"), folder.err());
    }

    @Test
    void noReachableServerIsExitThree() throws Exception {
        Path file = Files.writeString(data.resolve("quick.json"), TestPrompts.quick(4343, "cli"));
        Result r = comfy("run", file.toString(), "--server", "http://127.0.0.1:9", "--json");
        assertEquals(3, r.code());
        assertEquals("unreachable", r.lines().get(0).get("kind").getAsString());
    }

    @Test
    void jobsListsAndCancelCancels() throws Exception {
        Path file = Files.writeString(data.resolve("quick.json"), TestPrompts.quick(4444, "cli"));
        assertEquals(0, comfy("run", file.toString(), "--server", fake.baseUri().toString()).code());
        Result jobs = comfy("jobs", "--state", "succeeded", "--json");
        assertEquals(1, jobs.lines().size());
        String id = jobs.lines().get(0).get("id").getAsString();
        Result cancel = comfy("cancel", id);
        assertEquals(1, cancel.code(), "an ended job is not cancelled");
        assertTrue(cancel.out().contains(id + " was not cancelled: it had already ended (SUCCEEDED)"), cancel.out());
        Result shortId = comfy("cancel", id.substring(0, 8));
        assertTrue(shortId.out().contains(id + " was not cancelled: it had already ended (SUCCEEDED)"),
                "the 8 characters a run shows name the job: " + shortId.out() + shortId.err());

        Result unknown = comfy("cancel", "no-such-job", "--json");
        assertEquals(2, unknown.code(), "a mistyped id is a slip in the input");
        assertEquals("unknown", unknown.lines().get(0).get("reason").getAsString(), unknown.out());
        Result noBatch = comfy("cancel", "--batch", "no-such-batch");
        assertEquals(2, noBatch.code(), noBatch.out() + noBatch.err());
        assertTrue(noBatch.err().startsWith("comfy: there is no batch no-such-batch"), noBatch.err());
        String batch = jobs.lines().get(0).get("batch").getAsString();
        assertTrue(comfy("jobs").out().lines().anyMatch(l -> l.startsWith(id) && l.contains(" " + batch + " ")),
                "a person sees the batch that cancel --batch takes");
        Result ended = comfy("cancel", "--batch", batch);
        assertEquals(0, ended.code(), ended.out() + ended.err());
        assertEquals("cancelled 0 jobs of batch " + batch + " (all had ended)", ended.out().strip());
    }

    @Test
    void forgetRemovesEndedJobsByIdBatchOrAllKeepsUnfinishedOnesAndLeavesTheFiles() throws Exception {
        Path file = Files.writeString(data.resolve("quick.json"), TestPrompts.quick(4646, "forget"));
        assertEquals(0, comfy("run", file.toString(), "--count", "3", "--server", fake.baseUri().toString()).code());
        List<JsonObject> done = comfy("jobs", "--state", "succeeded", "--json").lines();
        assertEquals(3, done.size());
        String first = done.get(0).get("id").getAsString();
        String batch = done.get(0).get("batch").getAsString();
        Path output = Path.of(done.get(0).getAsJsonArray("outputs").get(0).getAsString());
        JobQueue queue = Osgi.service(JobQueue.class);
        queue.pause();
        Job waiting = queue.submit(JobRequest.of(PromptGraph.parse(TestPrompts.quick(4647, "waits"), "waits")));

        Result one = comfy("forget", first.substring(0, 8));
        assertEquals(0, one.code(), one.out() + one.err());
        assertEquals("forgot " + first, one.out().strip());
        assertTrue(queue.job(first).isEmpty());
        assertTrue(Files.isRegularFile(output), "its file stays");

        Result notEnded = comfy("forget", waiting.id(), "--json");
        assertEquals(1, notEnded.code(), notEnded.out());
        assertEquals("not_ended", notEnded.lines().get(0).get("reason").getAsString());
        assertEquals(2, comfy("forget", "no-such-job").code(), "a mistyped id is a slip in the input");
        assertEquals(2, comfy("forget").code(), "nothing named");
        assertEquals(2, comfy("forget", "--ended", "--batch", batch).code(), "two ways at once");
        assertEquals(2, comfy("forget", "--batch", "no-such-batch").code());

        Result ofBatch = comfy("forget", "--batch", batch, "--json");
        assertEquals(0, ofBatch.code(), ofBatch.out() + ofBatch.err());
        assertEquals(2, ofBatch.lines().get(0).get("count").getAsInt(), ofBatch.out());
        Result all = comfy("forget", "--ended");
        assertEquals("no ended job to forget; 1 job not ended kept", all.out().strip());
        assertEquals(List.of(waiting.id()), queue.jobs(List.of()).stream().map(Job::id).toList());
        assertTrue(queue.cancel(waiting.id()));
        assertEquals("forgot 1 job (their files stay on disk)", comfy("forget", "--ended").out().strip());
        assertTrue(queue.jobs(List.of()).isEmpty());
    }

    @Test
    void retryQueuesTheFailedJobsOfABatchAgainAndFinishesThem() throws Exception {
        Path file = Files.writeString(data.resolve("quick.json"), TestPrompts.quick(4848, "retry"));
        fake.failNodeClass("EmptyImage", "RuntimeError", "out of memory");
        Result failed;
        try {
            failed = comfy("run", file.toString(), "--server", fake.baseUri().toString(), "--json");
        } finally {
            fake.clearNodeFailure("EmptyImage");
        }
        assertEquals(1, failed.code(), failed.out() + failed.err());
        JsonObject job = failed.lines().stream().filter(l -> l.get("event").getAsString().equals("job")
                && l.get("state").getAsString().equals("FAILED")).findFirst().orElseThrow(() -> new AssertionError(failed.out()));
        String batch = job.get("batch").getAsString();
        String first = job.get("id").getAsString();

        Result retried = comfy("retry", "--batch", batch, "--json");

        assertEquals(0, retried.code(), retried.out() + retried.err());
        JsonObject note = retried.lines().stream().filter(l -> l.get("event").getAsString().equals("retrying"))
                .findFirst().orElseThrow(() -> new AssertionError(retried.out()));
        assertEquals(first, note.getAsJsonArray("of").get(0).getAsString());
        // the new job's lines: heard from its submission to its end
        List<JsonObject> jobLines = retried.lines().stream().filter(l -> l.get("event").getAsString().equals("job"))
                .toList();
        String again = jobLines.get(jobLines.size() - 1).get("id").getAsString();
        assertEquals("SUCCEEDED", jobLines.get(jobLines.size() - 1).get("state").getAsString(), retried.out());
        JobQueue queue = Osgi.service(JobQueue.class);
        assertEquals(JobState.SUCCEEDED, queue.job(again).orElseThrow().state());
        assertEquals(batch, queue.job(again).orElseThrow().batchId(), "in the batch it was part of");
        assertEquals(JobState.FAILED, queue.job(first).orElseThrow().state(), "the failed job stays as it was");
        assertEquals(1, retried.lines().stream().filter(l -> l.get("event").getAsString().equals("summary")).findFirst()
                .orElseThrow().get("succeeded").getAsInt(), retried.out());

        // retried once is enough: the batch again queues nothing more
        Result twice = comfy("retry", "--batch", batch);
        assertEquals(0, twice.code(), twice.out() + twice.err());
        assertTrue(twice.out().startsWith("no job to queue again in batch " + batch), twice.out());
        Result named = comfy("retry", first, "--json");
        assertEquals(1, named.code(), named.out());
        assertEquals("retried_already", named.lines().get(0).get("reason").getAsString(), named.out());
        assertEquals(2, queue.batch(batch).size(), "the failed job and its retry, no more");

        Result succeeded = comfy("retry", again, "--json");
        assertEquals(1, succeeded.code(), succeeded.out());
        assertEquals("not_retried", succeeded.lines().get(0).get("event").getAsString());
        assertEquals(2, comfy("retry", "no-such-job").code());
        assertEquals(2, comfy("retry").code());
    }

    @Test
    void cancelAfterAKilledRunLeavesAJobItsServerFinishedMeanwhileAndSaysWhy() throws Exception {
        Job left = finishedWhileNoRunWatched(5252, "killed-1");

        Result one = comfy("cancel", left.id(), "--json");
        assertEquals(1, one.code(), one.out() + one.err());
        assertEquals("finished_on_server", one.lines().get(0).get("reason").getAsString(), one.out());
        Result batch = comfy("cancel", "--batch", "killed-1");
        assertEquals("cancelled 0 jobs of batch killed-1; 1 had already finished on its server (comfy resume "
                + "fetches its outputs)", batch.out().strip());
        Result person = comfy("cancel", left.id());
        assertEquals(left.id() + " was not cancelled: farm had already finished it (comfy resume fetches its outputs)",
                person.out().strip());
        assertEquals(JobState.RUNNING, Osgi.service(JobQueue.class).job(left.id()).orElseThrow().state(), "as stored");
    }

    @Test
    void workflowsAreImportedListedValidatedAndExported() throws Exception {
        String server = fake.baseUri().toString();
        Path file = Files.writeString(data.resolve("grey square.json"), TestPrompts.quick(4545, "wf"));
        Result imported = comfy("workflows", "import", file.toString(), "--tag", "test", "--json");
        assertEquals(0, imported.code(), imported.err());
        String id = imported.lines().get(0).get("id").getAsString();
        assertEquals("grey-square", id);
        Result list = comfy("workflows", "list", "--json");
        assertEquals(List.of(id), list.lines().stream().map(l -> l.get("id").getAsString()).toList());
        assertEquals(0, comfy("workflows", "validate", id, "--server", server).code());
        Result export = comfy("workflows", "export", id);
        assertEquals(0, export.code());
        assertEquals(JsonParser.parseString(TestPrompts.quick(4545, "wf")), JsonParser.parseString(export.out()));
        Result missing = comfy("workflows", "show", "nope", "--json");
        assertEquals(2, missing.code());
        assertEquals("not_found", missing.lines().get(0).get("kind").getAsString());
        assertEquals(3, comfy("workflows", "validate", id, "--server", "http://127.0.0.1:9").code(),
                "validating needs a server's schema");
        // a file that is neither JSON nor PNG is refused as such, without a server to ask (exit 3 before)
        Path garbage = Files.writeString(data.resolve("garbage.json"), "not a workflow at all");
        Result refused = comfy("workflows", "import", garbage.toString(), "--server", "http://127.0.0.1:9");
        assertEquals(2, refused.code(), refused.out() + refused.err());
        assertTrue(refused.err().contains("garbage.json"), refused.err());
    }

    @Test
    void aTemplateIsCreatedPreviewedAndRun() throws Exception {
        String server = fake.baseUri().toString();
        Path file = Files.writeString(data.resolve("square.json"), TestPrompts.quick(4646, "tpl"));
        Result created = comfy("templates", "create", file.toString(), "--param", "size=1.width,1.height",
                "--param", "colour=1.color", "--server", server, "--json");
        assertEquals(0, created.code(), created.err() + created.out());
        String id = created.lines().get(0).get("id").getAsString();
        Result preview = comfy("templates", "preview", id, "--param", "size=32", "--server", server, "--json");
        assertEquals(0, preview.code(), preview.err());
        assertEquals(2, preview.lines().get(0).getAsJsonArray("changes").size());
        Result bad = comfy("templates", "preview", id, "--param", "size=0", "--server", server, "--json");
        assertEquals(2, bad.code());
        assertTrue(bad.out().contains("below the minimum 1"), bad.out());
        Result run = comfy("run", "template:" + id, "--sweep", "colour=1,2,3", "--param", "size=16", "--server", server,
                "--json");
        assertEquals(0, run.code(), run.err() + run.out());
        JsonObject summary = run.lines().get(run.lines().size() - 1);
        assertEquals(3, summary.get("succeeded").getAsInt());
        // a sweep's jobs are told apart by their values
        Result listed = comfy("jobs", "--json");
        assertEquals(Set.of("square (colour=1)", "square (colour=2)", "square (colour=3)"), listed.lines().stream()
                .map(l -> l.get("name").getAsString()).filter(n -> n.startsWith("square")).collect(Collectors.toSet()),
                listed.out());
    }

    @Test
    void aTemplateRunWhoseImageWasUploadedStaysOnTheServerThatHasIt() throws Exception {
        ServerRegistry registry = Osgi.service(ServerRegistry.class);
        try (FakeComfyServer second = FakeComfyServer.builder().start()) {
            registry.add(new ServerDescriptor("first", "First", fake.baseUri(), null));
            registry.add(new ServerDescriptor("second", "Second", second.baseUri(), null));
            Path graph = Files.writeString(data.resolve("load.json"), "{\"1\":{\"class_type\":\"LoadImage\","
                    + "\"inputs\":{\"image\":\"example.png\"}},\"2\":{\"class_type\":\"SaveImage\","
                    + "\"inputs\":{\"images\":[\"1\",0],\"filename_prefix\":\"uploaded\"}}}");
            Result created = comfy("templates", "create", graph.toString(), "--name", "restyle", "--param",
                    "picture=1.image", "--json");
            assertEquals(0, created.code(), created.err() + created.out());
            String id = created.lines().get(0).get("id").getAsString();
            Path png = Files.copy(Captures.locate().file("files/03_upload_src.png"), data.resolve("portrait.png"));

            Result run = comfy("run", "template:" + id, "--param", "picture=" + png, "--count", "3", "--json");

            assertEquals(0, run.code(), run.err() + run.out());
            List<Job> jobs = Osgi.service(JobQueue.class).jobs(List.of()).stream()
                    .filter(j -> j.request().name().equals("restyle")).toList();
            assertEquals(3, jobs.size());
            for (Job job : jobs) {
                assertEquals(ServerPolicy.named("first"), job.request().policy(),
                        "the image is on the server it was uploaded to only");
                assertEquals("first", job.serverId());
            }
        } finally {
            registry.remove("first");
            registry.remove("second");
        }
    }
}
