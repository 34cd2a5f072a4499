package comfy.workbench.monitor.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import comfy.workbench.testing.fake.FakeComfyServer;
import comfy.workbench.testing.fake.Stall;

/** {@link JettyWebSocketTransport} against the fake ComfyUI server on loopback. */
class JettyWebSocketTransportTest {

    private static final Duration CONNECT = Duration.ofSeconds(5);

    private static FakeComfyServer server;
    private JettyWebSocketTransport transport;

    @BeforeAll
    static void startServer() {
        server = FakeComfyServer.builder().start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void newTransport() {
        transport = new JettyWebSocketTransport();
    }

    @AfterEach
    void closeTransport() {
        transport.close();
    }

    @Test
    void textRoundTripWithTheFeatureFlagHandshake() throws Exception {
        String id = newId();
        RecordingHandler h = new RecordingHandler();
        SocketSession session = connect(id, h);
        assertTrue(session.isOpen());
        assertTrue(h.opened.isDone(), "onOpen comes before the future completes");
        String status = h.nextText();
        assertTrue(status.contains("\"type\":\"status\"") && status.contains(id), status);

        session.sendText("{\"type\":\"feature_flags\",\"data\":{\"supports_preview_metadata\":true}}");
        String reply = h.nextText();
        assertTrue(reply.contains("\"type\":\"feature_flags\"") && reply.contains("max_upload_size"), reply);
        assertTrue(server.isConnected(id));
    }

    @Test
    void binaryMessagesArriveAsOneWritableHeapCopy() throws Exception {
        String id = newId();
        RecordingHandler h = new RecordingHandler();
        connect(id, h);
        h.nextText();
        // larger than Jetty's default limits of 64 KiB per frame and message, sent as one frame
        byte[] big = random(3 << 20, 1);
        server.sendBinaryFrame(id, big);
        ByteBuffer got = h.nextBinary();
        assertTrue(got.hasArray() && !got.isReadOnly(), "a writable heap buffer the handler owns");
        assertEquals(0, got.position());
        assertArrayEquals(big, toArray(got));

        server.floodBinary(id, 5, 256 * 1024).get(10, TimeUnit.SECONDS);
        for (int i = 0; i < 5; i++) {
            assertEquals(256 * 1024, h.nextBinary().remaining());
        }
        assertEquals(0, h.overlaps.get());
    }

    @Test
    void largeTextMessageInOneFrame() throws Exception {
        String id = newId();
        RecordingHandler h = new RecordingHandler();
        connect(id, h);
        h.nextText();
        String text = "{\"type\":\"logs\",\"data\":\"" + "x".repeat(2 << 20) + "\"}";
        server.sendMalformedFrame(id, text);
        assertEquals(text, h.nextText());
    }

    @Test
    void fragmentedMessagesArriveAssembled() throws Exception {
        String id = newId();
        RecordingHandler h = new RecordingHandler();
        connect(id, h);
        h.nextText();
        // multi-byte characters: the fragments cut through some of them
        String text = "{\"type\":\"progress_text\",\"data\":\"" + "grün € 😀 ".repeat(5000) + "\"}";
        server.sendFragmentedText(id, text, 7);
        byte[] bytes = random(300_000, 2);
        server.sendFragmentedBinary(id, bytes, 5);
        server.sendMalformedFrame(id, "end");

        assertEquals(text, h.nextText());
        assertArrayEquals(bytes, toArray(h.nextBinary()));
        assertEquals("end", h.nextText());
        assertTrue(h.texts.isEmpty() && h.binaries.isEmpty(), "one message per fragmented message");
    }

    @Test
    void noExtensionIsNegotiatedAndJettyHasNoIdleTimeout() throws Exception {
        JettyWebSocketTransport.JettySocketSession session = (JettyWebSocketTransport.JettySocketSession) connect(newId(),
                new RecordingHandler());
        // the fake server (Jetty) would accept permessage-deflate if it were offered
        assertEquals(List.of(), session.negotiatedExtensions());
        // the monitor's own watchdog decides when a silent socket is dead
        assertEquals(Duration.ZERO, session.idleTimeout());
    }

    @Test
    void aMessageAboveTheConfiguredLimitClosesWith1009() throws Exception {
        try (JettyWebSocketTransport small = new JettyWebSocketTransport(64 * 1024)) {
            String id = newId();
            RecordingHandler h = greeted(small, id);
            server.sendBinaryFrame(id, new byte[64 * 1024]);
            assertEquals(64 * 1024, h.nextBinary().remaining());
            server.sendBinaryFrame(id, new byte[64 * 1024 + 1]);
            assertEquals(1009, h.awaitClose().code());
        }
    }

    @Test
    void replacementCharactersAreTextButInvalidUtf8ClosesWith1007() throws Exception {
        String id = newId();
        RecordingHandler h = greeted(transport, id);
        // U+FFFD sent as valid UTF-8 is an ordinary character
        server.sendMalformedFrame(id, "{\"data\":\"\uFFFD\"}");
        assertEquals("{\"data\":\"\uFFFD\"}", h.nextText());
        server.sendMalformedFrame(id, new byte[] { '{', (byte) 0xC3, '}' });
        assertEquals(1007, h.awaitClose().code());
        assertTrue(h.texts.isEmpty(), "the invalid message is not delivered");
    }

    @Test
    void aFragmentedTextAboveTheConfiguredLimitClosesWith1009() throws Exception {
        try (JettyWebSocketTransport small = new JettyWebSocketTransport(64 * 1024)) {
            String id = newId();
            RecordingHandler h = greeted(small, id);
            String fits = "y".repeat(64 * 1024);
            server.sendFragmentedText(id, fits, 4);
            assertEquals(fits, h.nextText());
            // each frame is below the limit, the message is not
            server.sendFragmentedText(id, fits + "z", 4);
            assertEquals(1009, h.awaitClose().code());
            assertTrue(h.texts.isEmpty(), "the oversized message is not delivered");
        }
    }

    @Test
    void refusedConnectionFailsNamingTheUriAndNeverOpens() throws Exception {
        RecordingHandler h = new RecordingHandler();
        URI uri = server.wsUri(newId());
        server.refuseConnections(true);
        try {
            WebSocketConnectException e = connectFailure(uri, Map.of(), CONNECT, h);
            assertTrue(e.getMessage().contains(uri.toString()) && e.getMessage().contains("refused"), e.getMessage());
            assertEquals(0, e.httpStatus());
        } finally {
            server.refuseConnections(false);
        }
        transport.close();
        assertEquals(0, h.opens.get());
        assertEquals(0, h.closes.get());
    }

    @Test
    void upgradeAnswered401WithoutTheBearerTokenAndOpensWithIt() throws Exception {
        try (FakeComfyServer secured = FakeComfyServer.builder().bearerToken("s3cret").start()) {
            RecordingHandler refused = new RecordingHandler();
            URI uri = secured.wsUri(newId());
            WebSocketConnectException e = connectFailure(uri, Map.of(), CONNECT, refused);
            assertEquals(401, e.httpStatus());
            assertTrue(e.getMessage().contains(uri.toString()) && e.getMessage().contains("HTTP 401"), e.getMessage());
            e = connectFailure(uri, Map.of("Authorization", "Bearer wrong"), CONNECT, refused);
            assertEquals(401, e.httpStatus());

            RecordingHandler h = new RecordingHandler();
            transport.connect(uri, Map.of("Authorization", "Bearer s3cret"), CONNECT, h).get(10, TimeUnit.SECONDS);
            assertTrue(h.nextText().contains("\"status\""));
            transport.close();
            assertEquals(0, refused.opens.get());
            assertEquals(0, refused.closes.get());
        }
    }

    @Test
    void upgradeOnAPathWithoutWebSocketFailsWith404() throws Exception {
        URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/nowhere");
        WebSocketConnectException e = connectFailure(uri, Map.of(), CONNECT, new RecordingHandler());
        assertEquals(404, e.httpStatus());
        assertTrue(e.getMessage().contains(uri.toString()), e.getMessage());
    }

    @Test
    void connectTimesOutWhenTheUpgradeStalls() throws Exception {
        RecordingHandler h = new RecordingHandler();
        URI uri = server.wsUri(newId());
        Stall stall = server.stall("GET /ws");
        long start = System.nanoTime();
        try {
            WebSocketConnectException e = connectFailure(uri, Map.of(), Duration.ofMillis(500), h);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(e.timedOut(), e.getMessage());
            assertTrue(e.getMessage().contains(uri.toString()) && e.getMessage().contains("timed out"), e.getMessage());
            assertTrue(ms < 5_000, "failed after " + ms + " ms");
        } finally {
            stall.release();
        }
        transport.close();
        assertEquals(0, h.opens.get());
    }

    @Test
    void malformedUriIsRejected() {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> transport.connect(URI.create("http://127.0.0.1:1/ws"), Map.of(), CONNECT, new RecordingHandler()).get());
        assertInstanceOf(WebSocketConnectException.class, e.getCause());
    }

    @Test
    void closeCodesFromBothSides() throws Exception {
        RecordingHandler client = new RecordingHandler();
        connect(newId(), client).close();
        assertEquals(1000, client.awaitClose().code());

        String id = newId();
        RecordingHandler byServer = new RecordingHandler();
        connect(id, byServer);
        byServer.nextText();
        server.closeWebSocket(id, 4001, "replaced");
        assertEquals(new RecordingHandler.Close(4001, "replaced"), byServer.awaitClose());

        String dropped = newId();
        RecordingHandler cut = new RecordingHandler();
        SocketSession session = connect(dropped, cut);
        cut.nextText();
        server.dropWebSockets();
        assertEquals(1006, cut.awaitClose().code());
        await("the session to report closed", () -> !session.isOpen());

        transport.close();
        for (RecordingHandler h : List.of(client, byServer, cut)) {
            assertEquals(1, h.opens.get());
            assertEquals(1, h.closes.get());
            assertEquals(0, h.callsAfterClose.get());
        }
    }

    @Test
    void onCloseExactlyOnceWhenTheServerDropsManySockets() throws Exception {
        List<RecordingHandler> handlers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            RecordingHandler h = new RecordingHandler();
            connect(newId(), h);
            h.nextText();
            handlers.add(h);
        }
        server.dropWebSockets();
        for (RecordingHandler h : handlers) {
            assertEquals(1006, h.awaitClose().code());
        }
        transport.close(); // would report any socket still believed open
        for (RecordingHandler h : handlers) {
            assertEquals(1, h.closes.get());
            assertEquals(0, h.callsAfterClose.get());
            assertEquals(0, h.overlaps.get());
        }
    }

    @Test
    void closingTheTransportClosesEverySocketOnce() throws Exception {
        List<RecordingHandler> handlers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            RecordingHandler h = new RecordingHandler();
            connect(newId(), h);
            handlers.add(h);
        }
        transport.close();
        for (RecordingHandler h : handlers) {
            assertTrue(h.closed.isDone(), "onClose before close() returns");
            assertEquals(1, h.closes.get());
        }
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> transport.connect(server.wsUri(newId()), Map.of(), CONNECT, new RecordingHandler()).get());
        assertTrue(e.getCause().getMessage().contains("closed"), e.getCause().getMessage());
    }

    @Test
    void pingIsAnsweredWithAPong() throws Exception {
        RecordingHandler h = new RecordingHandler();
        JettyWebSocketTransport.JettySocketSession session = (JettyWebSocketTransport.JettySocketSession) connect(newId(), h);
        int before = server.pingsReceived();
        session.ping();
        session.ping();
        await("two pongs", () -> session.pongs() == 2);
        assertTrue(server.pingsReceived() >= before + 2);
        assertTrue(session.isOpen());
    }

    @Test
    void threadsAreNamedDaemons() throws Exception {
        connect(newId(), new RecordingHandler());
        List<Thread> ours = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("comfy-monitor-ws")).toList();
        assertFalse(ours.isEmpty());
        assertTrue(ours.stream().allMatch(Thread::isDaemon), ours.toString());
    }

    /** A handler on a new socket of the given transport, past the server's greeting status. */
    private static RecordingHandler greeted(JettyWebSocketTransport through, String clientId) throws Exception {
        RecordingHandler h = new RecordingHandler();
        through.connect(server.wsUri(clientId), Map.of(), CONNECT, h).get(10, TimeUnit.SECONDS);
        h.nextText();
        return h;
    }

    private SocketSession connect(String clientId, RecordingHandler h) throws Exception {
        return transport.connect(server.wsUri(clientId), Map.of(), CONNECT, h).get(10, TimeUnit.SECONDS);
    }

    private WebSocketConnectException connectFailure(URI uri, Map<String, String> headers, Duration timeout, RecordingHandler h)
            throws Exception {
        try {
            transport.connect(uri, headers, timeout, h).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return assertInstanceOf(WebSocketConnectException.class, e.getCause());
        }
        return fail("connecting to " + uri + " succeeded");
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + RecordingHandler.WAIT.toNanos();
        Object monitor = new Object();
        synchronized (monitor) {
            while (!condition.getAsBoolean()) {
                if (System.nanoTime() > deadline) {
                    fail("timed out after " + RecordingHandler.WAIT + " waiting for " + what);
                }
                monitor.wait(5); // a condition poll, not a synchronisation sleep
            }
        }
    }

    private static String newId() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    private static byte[] toArray(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return a;
    }
}
