package comfy.workbench.testing.tests;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** A WebSocket client that records every frame (assembled with the {@code last} flag) and lets tests wait on them. */
final class WsProbe implements WebSocket.Listener, AutoCloseable {

    /** One received frame: text (parsed) or binary. */
    record Received(String text, byte[] binary) {
        JsonObject json() {
            return JsonParser.parseString(text).getAsJsonObject();
        }

        String kind() {
            if (text == null) {
                return "binary:" + ByteBuffer.wrap(binary).getInt(0);
            }
            try {
                return json().get("type").getAsString();
            } catch (RuntimeException e) {
                return "malformed";
            }
        }
    }

    private final List<Received> received = new ArrayList<>();
    private final StringBuilder text = new StringBuilder();
    private final ByteArrayOutputStream binary = new ByteArrayOutputStream();
    final CompletableFuture<String> closed = new CompletableFuture<>();
    private final WebSocket socket;

    WsProbe(HttpClient http, URI uri) {
        this.socket = http.newWebSocketBuilder().buildAsync(uri, this).orTimeout(10, TimeUnit.SECONDS).join();
    }

    void send(String message) {
        socket.sendText(message, true).join();
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
            add(new Received(text.toString(), null));
            text.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        byte[] b = new byte[data.remaining()];
        data.get(b);
        binary.writeBytes(b);
        if (last) {
            add(new Received(null, binary.toByteArray()));
            binary.reset();
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete("close " + statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.complete("error " + error);
    }

    private synchronized void add(Received r) {
        received.add(r);
        notifyAll();
    }

    synchronized List<Received> received() {
        return List.copyOf(received);
    }

    /** Waits until the received frames satisfy the condition, failing after the timeout with what was received. */
    synchronized List<Received> await(Predicate<List<Received>> condition, Duration timeout, String what) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.test(received)) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("timed out waiting for " + what + "; received " + received.stream().map(Received::kind).toList());
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return List.copyOf(received);
    }

    /** Waits for the first text message of a type that matches the predicate. */
    JsonObject awaitMessage(String type, Predicate<JsonObject> data, Duration timeout) throws InterruptedException {
        List<Received> all = await(l -> l.stream().anyMatch(r -> r.text() != null && r.kind().equals(type)
                && data.test(r.json().getAsJsonObject("data"))), timeout, type);
        return all.stream().filter(r -> r.text() != null && r.kind().equals(type) && data.test(r.json().getAsJsonObject("data")))
                .findFirst().orElseThrow().json().getAsJsonObject("data");
    }

    @Override
    public void close() {
        socket.abort();
    }
}
