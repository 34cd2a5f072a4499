package comfy.workbench.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import comfy.workbench.testing.fake.FakeComfyServer;

/**
 * Runs the fake ComfyUI server as a process, for trying the workbench without a GPU server and for
 * end-to-end harnesses: {@code ./workbench fake-server [--port N] [--node-millis N] [--jobs-api]}.
 * It runs until the process is stopped.
 */
public final class FakeServerMain {

    private FakeServerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        FakeComfyServer.Builder builder = FakeComfyServer.builder();
        int port = 8188;
        Path report = null;
        int servers = 1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(value(args, ++i, "--port"));
                case "--node-millis" -> builder.defaultNodeDuration(
                        Duration.ofMillis(Long.parseLong(value(args, ++i, "--node-millis"))));
                case "--jobs-api" -> builder.jobsApi(true);
                case "--report" -> report = Path.of(value(args, ++i, "--report"));
                case "--servers" -> servers = Integer.parseInt(value(args, ++i, "--servers"));
                default -> {
                    System.err.println("usage: fake-server [--port N] [--node-millis N] [--jobs-api] [--report FILE] [--servers N]");
                    System.exit(2);
                }
            }
        }
        // --servers N: N servers on consecutive ports from --port (for scale-out harnesses)
        java.util.List<FakeComfyServer> started = new java.util.ArrayList<>();
        for (int n = 0; n < servers; n++) {
            started.add(builder.port(port == 0 ? 0 : port + n).start());
        }
        Path reportFile = report;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            started.forEach(FakeComfyServer::close);
            if (reportFile != null) {
                // for harnesses: how often each prompt id executed, as JSON
                StringBuilder json = new StringBuilder("{");
                for (FakeComfyServer server : started) {
                    server.executionCounts().forEach((id, n) -> json.append(json.length() > 1 ? "," : "").append('"')
                            .append(id).append("\":").append(n));
                }
                try {
                    Files.writeString(reportFile, json.append('}').toString());
                } catch (IOException e) {
                    System.err.println("cannot write " + reportFile + ": " + e);
                }
            }
        }, "fake-comfyui-shutdown"));
        for (FakeComfyServer server : started) {
            System.out.println("fake ComfyUI server listening on " + server.baseUri());
        }
        new CountDownLatch(1).await();
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            System.err.println(option + " needs a value");
            System.exit(2);
        }
        return args[i];
    }
}
