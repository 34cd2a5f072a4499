package comfy.workbench.monitor.internal;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** A frame handler that records everything and lets a test wait for it; also checks that calls never overlap. */
final class RecordingHandler implements FrameHandler {

    static final Duration WAIT = Duration.ofSeconds(10);

    /** A close as reported. */
    record Close(int code, String reason) {
    }

    final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
    final BlockingQueue<ByteBuffer> binaries = new LinkedBlockingQueue<>();
    final CompletableFuture<SocketSession> opened = new CompletableFuture<>();
    final CompletableFuture<Close> closed = new CompletableFuture<>();
    final AtomicInteger opens = new AtomicInteger();
    final AtomicInteger closes = new AtomicInteger();
    final AtomicInteger callsAfterClose = new AtomicInteger();
    final AtomicInteger overlaps = new AtomicInteger();
    private final AtomicBoolean inCall = new AtomicBoolean();

    @Override
    public void onOpen(SocketSession session) {
        enter();
        opens.incrementAndGet();
        opened.complete(session);
        leave();
    }

    @Override
    public void onText(String text) {
        enter();
        texts.add(text);
        leave();
    }

    @Override
    public void onBinary(ByteBuffer payload) {
        enter();
        binaries.add(payload);
        leave();
    }

    @Override
    public void onClose(int statusCode, String reason) {
        enter();
        closes.incrementAndGet();
        closed.complete(new Close(statusCode, reason));
        leave();
    }

    String nextText() throws InterruptedException {
        String t = texts.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (t == null) {
            fail("no text message within " + WAIT);
        }
        return t;
    }

    ByteBuffer nextBinary() throws InterruptedException {
        ByteBuffer b = binaries.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (b == null) {
            fail("no binary message within " + WAIT);
        }
        return b;
    }

    Close awaitClose() throws Exception {
        return closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void enter() {
        if (closes.get() > 0) {
            callsAfterClose.incrementAndGet();
        }
        if (!inCall.compareAndSet(false, true)) {
            overlaps.incrementAndGet();
        }
    }

    private void leave() {
        inCall.set(false);
    }
}
