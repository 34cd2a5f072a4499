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
        FakeComfyServer.Builder builder = FakeComfyServer.builder().port(8188);
        Path report = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> builder.port(Integer.parseInt(value(args, ++i, "--port")));
                case "--node-millis" -> builder.defaultNodeDuration(
                        Duration.ofMillis(Long.parseLong(value(args, ++i, "--node-millis"))));
                case "--jobs-api" -> builder.jobsApi(true);
                case "--report" -> report = Path.of(value(args, ++i, "--report"));
                default -> {
                    System.err.println("usage: fake-server [--port N] [--node-millis N] [--jobs-api] [--report FILE]");
                    System.exit(2);
                }
            }
        }
        FakeComfyServer server = builder.start();
        Path reportFile = report;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            if (reportFile != null) {
                // for harnesses: how often each prompt id executed, as JSON
                StringBuilder json = new StringBuilder("{");
                server.executionCounts().forEach((id, n) -> json.append(json.length() > 1 ? "," : "").append('"')
                        .append(id).append("\":").append(n));
                try {
                    Files.writeString(reportFile, json.append('}').toString());
                } catch (IOException e) {
                    System.err.println("cannot write " + reportFile + ": " + e);
                }
            }
        }, "fake-comfyui-shutdown"));
        System.out.println("fake ComfyUI server listening on " + server.baseUri());
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
