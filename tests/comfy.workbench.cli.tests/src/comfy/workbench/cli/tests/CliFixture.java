package comfy.workbench.cli.tests;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import comfy.workbench.cli.internal.Cli;
import comfy.workbench.connection.api.ServerDescriptor;
import comfy.workbench.connection.api.ServerRegistry;
import comfy.workbench.testing.fake.FakeComfyServer;
import comfy.workbench.testing.osgi.Osgi;

/** The command line's services under a private data folder, a fake ComfyUI server, and the commands run as the
 * {@code comfy} application runs them. */
final class CliFixture implements AutoCloseable {

    /** What a command printed, and its exit code. */
    record Result(int code, String out, String err) {
        List<JsonObject> lines() {
            return out.lines().filter(l -> !l.isBlank()).map(l -> JsonParser.parseString(l).getAsJsonObject()).toList();
        }

        List<String> events() {
            return lines().stream().map(l -> l.get("event").getAsString()).toList();
        }
    }

    final FakeComfyServer fake;

    private CliFixture(FakeComfyServer fake) {
        this.fake = fake;
    }

    static CliFixture start(Path data) throws Exception {
        Osgi.configure("comfy.workbench.data", "comfy.workbench.connection.internal.DataLocationComponent",
                Map.of("directory", data.toString()));
        Osgi.configure("comfy.workbench.connection.registry", "comfy.workbench.connection.internal.ServerRegistryComponent",
                Map.of("dataDirectory", data.toString()));
        Osgi.configure("comfy.workbench.monitor", "comfy.workbench.monitor.internal.MonitorComponent",
                Map.of("reconnectInitialMillis", 20L, "reconnectMaxMillis", 200L, "fixture", UUID.randomUUID().toString()));
        Osgi.configure("comfy.workbench.queue", "comfy.workbench.queue.internal.QueueComponent",
                Map.of("fixture", UUID.randomUUID().toString()));
        Osgi.service(ServerRegistry.class).remove(ServerDescriptor.DEFAULT_ID);
        return new CliFixture(FakeComfyServer.builder().start());
    }

    /** A command running on another thread, as a person watches it in a terminal. */
    record Running(CompletableFuture<Integer> code, ByteArrayOutputStream out, ByteArrayOutputStream err) {

        String errText() {
            return err.toString(StandardCharsets.UTF_8);
        }

        String outText() {
            return out.toString(StandardCharsets.UTF_8);
        }

        /** Waits until standard output matches {@code regex}; a timeout shows what it said. */
        void awaitOut(String what, String regex) {
            try {
                Osgi.await(what, () -> outText().matches(regex));
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + " in:\n" + outText(), e);
            }
        }

        /** Waits until standard error matches {@code regex}; a timeout shows what it said. */
        void awaitErr(String what, String regex) {
            try {
                Osgi.await(what, () -> errText().matches(regex));
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + " in:\n" + errText(), e);
            }
        }

        int exitCode() throws Exception {
            return code.get(60, TimeUnit.SECONDS);
        }
    }

    Running comfyInBackground(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        return new Running(CompletableFuture.supplyAsync(() -> Osgi.service(Cli.class).run(args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))), out, err);
    }

    Result comfy(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Osgi.service(Cli.class).run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        fake.close();
    }
}
