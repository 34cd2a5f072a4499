package comfy.workbench.monitor.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * Assembles one socket's messages from raw frames: text decoded as UTF-8, binary copied once into a heap array the
 * handler owns. The monitor does this itself because Jetty's own text path decodes byte by byte into a fresh builder
 * per message, which under a flood cost more than all the rest of the monitor, while the JDK's
 * {@code new String(bytes, UTF_8)} is vectorised. Not thread-safe: one socket's frames arrive one at a time, and
 * Jetty's parser has already checked their order (no continuation without a message, no message inside another).
 */
final class MessageAssembler {

    /** The kind of a data frame. */
    enum Kind {
        TEXT, BINARY, CONTINUATION
    }

    /** What one frame completed. */
    sealed interface Outcome {
    }

    /** Nothing yet: the message continues in further frames (or the frame was not part of one). */
    record Partial() implements Outcome {
    }

    /** A whole text message. */
    record Text(String text) implements Outcome {
    }

    /** A whole binary message; the buffer is the receiver's to keep. */
    record Binary(ByteBuffer payload) implements Outcome {
    }

    /** The message broke a rule; the socket must close with this WebSocket status code. */
    record Violation(int statusCode, String reason) implements Outcome {
    }

    private static final Partial PARTIAL = new Partial();
    private static final int INITIAL_CAPACITY = 1024;
    /** A buffer grown beyond this for one large message is not kept for the next. */
    private static final int KEPT_CAPACITY = 64 * 1024;

    private final long maxMessageSize;
    private byte[] buffer = new byte[INITIAL_CAPACITY];
    private int length;
    /** The kind of the message being assembled, or null between messages. */
    private Kind assembling;

    MessageAssembler(long maxMessageSize) {
        this.maxMessageSize = maxMessageSize;
    }

    /** Takes one data frame; its payload (null for an empty one) is read now and not kept. */
    Outcome frame(Kind kind, ByteBuffer payload, boolean fin) {
        if (kind != Kind.CONTINUATION) {
            length = 0;
            if (fin) {
                // the common case, one frame per message: one exact copy, no assembly buffer
                assembling = null;
                byte[] bytes = copy(payload);
                return kind == Kind.BINARY ? new Binary(ByteBuffer.wrap(bytes)) : decode(bytes, bytes.length);
            }
            assembling = kind;
        } else if (assembling == null) {
            return PARTIAL;
        }
        int n = payload == null ? 0 : payload.remaining();
        if (length + (long) n > maxMessageSize) {
            String what = assembling.name().toLowerCase(Locale.ROOT);
            reset();
            return new Violation(1009, what + " message larger than " + maxMessageSize + " bytes");
        }
        if (length + n > buffer.length) {
            long grown = Math.max(buffer.length * 2L, length + (long) n);
            buffer = Arrays.copyOf(buffer, (int) Math.min(Math.min(grown, maxMessageSize), Integer.MAX_VALUE - 8));
        }
        if (n > 0) {
            payload.get(buffer, length, n);
            length += n;
        }
        if (!fin) {
            return PARTIAL;
        }
        Outcome outcome;
        if (assembling == Kind.BINARY) {
            // the assembly buffer itself becomes the message: no second copy
            outcome = new Binary(ByteBuffer.wrap(buffer, 0, length).slice());
            buffer = new byte[INITIAL_CAPACITY];
        } else {
            outcome = decode(buffer, length);
        }
        reset();
        return outcome;
    }

    private void reset() {
        assembling = null;
        length = 0;
        if (buffer.length > KEPT_CAPACITY) {
            buffer = new byte[INITIAL_CAPACITY];
        }
    }

    private static byte[] copy(ByteBuffer payload) {
        int n = payload == null ? 0 : payload.remaining();
        byte[] bytes = new byte[n];
        if (n > 0) {
            payload.get(bytes);
        }
        return bytes;
    }

    private static Outcome decode(byte[] bytes, int length) {
        String text = new String(bytes, 0, length, StandardCharsets.UTF_8);
        // the JDK replaces malformed input with U+FFFD; only then is a strict check worth its cost
        if (text.indexOf('\uFFFD') >= 0 && !validUtf8(bytes, length)) {
            return new Violation(1007, "text message is not valid UTF-8");
        }
        return new Text(text);
    }

    private static boolean validUtf8(byte[] bytes, int length) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, 0, length));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
