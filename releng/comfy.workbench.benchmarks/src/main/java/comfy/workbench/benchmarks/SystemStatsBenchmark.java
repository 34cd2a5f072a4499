package comfy.workbench.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import comfy.workbench.connection.api.ComfyClient;
import comfy.workbench.connection.api.ComfyException;
import comfy.workbench.connection.api.ServerDescriptor;
import comfy.workbench.connection.api.SystemStats;
import comfy.workbench.connection.internal.BenchmarkClients;
import comfy.workbench.testing.fake.FakeComfyServer;

/**
 * Round trip of {@code GET /api/system_stats} against the fake ComfyUI server on loopback, through the
 * connection bundle's client (request, status and content checks, JSON decoding into
 * {@link SystemStats}). {@link #rawJdkClient()} sends the same request with a bare
 * {@code java.net.http} client and decodes nothing, to show what the client itself adds. Sample mode
 * gives the median and p99 the issue asks for.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(1)
public class SystemStatsBenchmark {

    private FakeComfyServer server;
    private ComfyClient client;
    private HttpClient raw;
    private HttpRequest rawRequest;

    @Setup
    public void start() throws ComfyException {
        server = FakeComfyServer.builder().start();
        client = BenchmarkClients.create(ServerDescriptor.of("bench", server.baseUri().toString()));
        if (client.systemStats().comfyuiVersion().isEmpty()) {
            throw new IllegalStateException("the fake server reported no ComfyUI version");
        }
        raw = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        rawRequest = HttpRequest.newBuilder(URI.create(server.baseUri() + "/api/system_stats")).GET().build();
    }

    @TearDown
    public void stop() {
        server.close();
    }

    /** The figure of the issue: the platform's client, decoded. */
    @Benchmark
    public SystemStats comfyClient() throws ComfyException {
        return client.systemStats();
    }

    /** A bare JDK client on the same route, body read as bytes, nothing decoded. */
    @Benchmark
    public byte[] rawJdkClient() throws IOException, InterruptedException {
        return raw.send(rawRequest, HttpResponse.BodyHandlers.ofByteArray()).body();
    }
}
