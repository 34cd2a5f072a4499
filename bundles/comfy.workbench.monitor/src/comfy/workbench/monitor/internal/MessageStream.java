package comfy.workbench.monitor.internal;

import java.io.IOException;
import java.io.Reader;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.MalformedJsonException;

/**
 * One lenient {@link JsonReader} kept across the text frames of a socket, because a new reader per frame costs about
 * as much as reading a {@code progress} message (it allocates and clears a 2 KB buffer). Gson's lenient reader reads
 * any number of top-level values from one stream; this feeds it each frame followed by a sentinel string that no
 * frame can contain (a random 128-bit value chosen per instance). A frame decoded without error and followed directly
 * by the sentinel was exactly one JSON value: the reader has consumed it up to the sentinel and is ready for the next.
 * After any error the reader is dropped (its state is unknown) and the frame is decoded again on its own, so errors
 * are reported exactly as by a fresh reader.
 *
 * <p>Frames of one socket never overlap; should a second thread still come in while the reader is in use,
 * {@link #open} returns null and that thread uses a reader of its own.
 */
final class MessageStream {

    /** The reader counts lines and columns for its messages in ints: renew it long before they could wrap. */
    private static final int RENEW_AFTER = 1 << 20;

    private final AtomicBoolean busy = new AtomicBoolean();
    // unguessable for a server that never sees it; not a secret, so no SecureRandom (decoders are made per socket)
    private final String sentinel = Long.toHexString(ThreadLocalRandom.current().nextLong()) + "-"
            + Long.toHexString(ThreadLocalRandom.current().nextLong());
    private final Feed feed = new Feed((" \"" + sentinel + "\"").toCharArray());
    private JsonReader reader;
    private int uses;

    /** The shared reader positioned before this text, or null if another thread is using it. */
    JsonReader open(String text) {
        if (!busy.compareAndSet(false, true)) {
            return null;
        }
        if (reader == null || ++uses > RENEW_AFTER) {
            reader = new JsonReader(feed);
            // Python's json.dumps writes NaN and Infinity for such floats
            reader.setStrictness(Strictness.LENIENT);
            uses = 0;
        }
        feed.next(text);
        return reader;
    }

    /** Reads the sentinel that must follow the frame's one value directly. */
    void expectEnd(JsonReader in) throws IOException {
        if (in.peek() != JsonToken.STRING || !sentinel.equals(in.nextString())) {
            throw new MalformedJsonException("data after the JSON value");
        }
    }

    /** Gives the reader back; after a failure it is dropped. */
    void close(boolean ok) {
        if (!ok) {
            reader = null;
        }
        busy.set(false);
    }

    /** The frame's characters, then the sentinel's, straight from the String: the frame is never copied whole. */
    private static final class Feed extends Reader {

        private final char[] tail;
        private String text = "";
        private int textAt;
        private int tailAt;

        Feed(char[] tail) {
            this.tail = tail;
        }

        void next(String frame) {
            text = frame;
            textAt = 0;
            tailAt = 0;
        }

        @Override
        public int read(char[] cbuf, int off, int len) {
            if (len == 0) {
                return 0;
            }
            int left = text.length() - textAt;
            if (left > 0) {
                int n = Math.min(len, left);
                text.getChars(textAt, textAt + n, cbuf, off);
                textAt += n;
                return n;
            }
            left = tail.length - tailAt;
            if (left > 0) {
                int n = Math.min(len, left);
                System.arraycopy(tail, tailAt, cbuf, off, n);
                tailAt += n;
                return n;
            }
            return -1;
        }

        @Override
        public void close() {
            // nothing to release
        }
    }
}
