package comfy.workbench.monitor.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;

import comfy.workbench.monitor.api.MonitorEvent;
import comfy.workbench.monitor.api.PreviewEvent;
import comfy.workbench.monitor.api.ProgressTextEvent;
import comfy.workbench.monitor.api.UnknownEvent;

/**
 * Turns one server's WebSocket frames into {@link MonitorEvent}s (protocol §1.5).
 *
 * <p>Every input either decodes or fails with a {@link BadFrameException} whose {@link BadFrameException#reason()}
 * is one of the {@code REASON_*} categories; nothing else escapes, whatever the bytes. A text frame that is not
 * well-formed JSON is always {@link #NOT_JSON}, even when its beginning alone would have had the wrong shape, so
 * a truncated message is reported the same way wherever it was cut. The JSON reader is lenient because Python
 * writes {@code NaN} and {@code Infinity}; the price is that it also takes unquoted names and strings and single
 * quotes, which no server sends.
 *
 * <p>Thread-safe. Text frames of one socket are read with one JSON reader kept from frame to frame
 * ({@link MessageStream}); should frames ever arrive on two threads at once, the second uses a reader of its own.
 */
public final class FrameDecoder {

    /** A text frame that is not well-formed JSON (Python's {@code NaN}/{@code Infinity} are accepted). */
    public static final String NOT_JSON = "not JSON";
    /** Well-formed JSON that is not an object. */
    public static final String NOT_AN_OBJECT = "not a JSON object";
    /** A JSON object without a string {@code type}. */
    public static final String NO_TYPE = "no type";
    /** A binary frame shorter than its layout's fixed part, or with no image after the header. */
    public static final String TOO_SHORT = "binary frame too short";
    /** A binary frame's length word that is negative (as a u32 over 2^31) or longer than the bytes that follow. */
    public static final String BAD_LENGTH = "bad binary length field";
    /** The JSON of a type-4 preview that is not UTF-8, not a JSON object, or has no {@code image_type}. */
    public static final String BAD_PREVIEW_METADATA = "bad preview metadata";
    /** A type-1 preview whose format word is neither 1 (JPEG) nor 2 (PNG). */
    public static final String UNKNOWN_IMAGE_FORMAT = "unknown image format";
    /** A type-3 frame whose node id or text is not UTF-8. */
    public static final String BAD_PROGRESS_TEXT = "bad progress text";

    /** The reason for a known message {@code type} whose data has the wrong shape. */
    public static String badMessage(String type) {
        return "bad " + type + " message";
    }

    private static final int PREVIEW_IMAGE = 1;
    private static final int TEXT = 3;
    private static final int PREVIEW_IMAGE_WITH_METADATA = 4;
    private static final int DETAIL_LIMIT = 200;

    private final String serverId;
    private final TextMessages messages;
    private final MessageStream stream = new MessageStream();

    /** @param serverId the server the frames come from; every event names it */
    public FrameDecoder(String serverId) {
        this.serverId = Objects.requireNonNull(serverId, "serverId");
        this.messages = new TextMessages(serverId);
    }

    // ---- text

    /**
     * Decodes a whole text message.
     *
     * @param text       the message
     * @param receivedAt when it arrived (not null)
     * @return its event; an {@link UnknownEvent} carrying the whole text for a {@code type} this version does not know
     * @throws BadFrameException when it is not a message of the protocol's shape
     */
    public MonitorEvent decodeText(String text, Instant receivedAt) throws BadFrameException {
        Objects.requireNonNull(receivedAt, "receivedAt");
        if (text == null) {
            throw new BadFrameException(NOT_JSON, "no text");
        }
        JsonReader shared = stream.open(text);
        if (shared != null) {
            boolean ok = false;
            try {
                MonitorEvent event = read(shared, stream, text, receivedAt, new String[1]);
                ok = true;
                return event;
            } catch (BadFrameException e) {
                // thrown only after the frame was read to its end: the reader is in order, and says what a lone one would
                ok = true;
                throw e;
            } catch (IOException | RuntimeException e) {
                // the frame on its own, below, says exactly what was wrong (where, in its own lines and columns)
            } finally {
                stream.close(ok);
            }
        }
        String[] type = new String[1];
        try {
            return read(reader(text), null, text, receivedAt, type);
        } catch (IOException | JsonParseException e) {
            throw new BadFrameException(NOT_JSON, detail(e));
        } catch (RuntimeException e) {
            // a wrong shape (ShapeException) or a wrong kind the JSON reader noticed first (IllegalStateException,
            // NumberFormatException): but a frame that is not JSON at all is reported as such, wherever it breaks
            String syntax = syntaxError(text);
            if (syntax != null) {
                throw new BadFrameException(NOT_JSON, syntax);
            }
            throw new BadFrameException(type[0] == null ? NO_TYPE : badMessage(type[0]), detail(e));
        }
    }

    /**
     * Reads one message.
     *
     * @param in     positioned before the message
     * @param shared the stream {@code in} belongs to, whose sentinel ends the message, or null when {@code in} reads
     *               only this text
     * @param type   receives the message's type as soon as it is known, for the error report
     */
    private MonitorEvent read(JsonReader in, MessageStream shared, String text, Instant receivedAt, String[] type)
            throws BadFrameException, IOException {
        JsonToken first = in.peek();
        if (first != JsonToken.BEGIN_OBJECT) {
            in.skipValue();
            expectEnd(in, shared);
            throw new BadFrameException(NOT_AN_OBJECT, Fields.kind(first));
        }
        String typeProblem = null;
        MonitorEvent event = null;
        JsonElement earlyData = null;
        boolean sawData = false;
        in.beginObject();
        while (in.hasNext()) {
            String name = in.nextName();
            if (name.equals("type") && type[0] == null && typeProblem == null) {
                JsonToken t = in.peek();
                if (t == JsonToken.STRING) {
                    type[0] = in.nextString();
                } else {
                    // read on: a frame that is not even JSON is reported as such first
                    typeProblem = "type is " + Fields.kind(t);
                    in.skipValue();
                }
            } else if (name.equals("data") && !sawData) {
                sawData = true;
                if (type[0] != null) {
                    event = data(type[0], in, text, receivedAt);
                } else {
                    // ComfyUI writes type first; anyone else may not: keep the data until the type is known
                    earlyData = JsonParser.parseReader(in);
                }
            } else {
                in.skipValue();
            }
        }
        in.endObject();
        expectEnd(in, shared);
        if (type[0] == null) {
            throw new BadFrameException(NO_TYPE, typeProblem == null ? "no type field" : typeProblem);
        }
        if (earlyData != null) {
            // rare path: stream the kept data again (JsonElement.toString keeps NaN and long numbers as they came)
            event = data(type[0], reader(earlyData.toString()), text, receivedAt);
        }
        if (event == null) {
            if (TextMessages.known(type[0])) {
                throw new BadFrameException(badMessage(type[0]), "no data");
            }
            event = new UnknownEvent(serverId, receivedAt, type[0], text, null);
        }
        return event;
    }

    private MonitorEvent data(String type, JsonReader in, String text, Instant at) throws IOException {
        if (TextMessages.known(type)) {
            return messages.decode(type, in, at);
        }
        in.skipValue();
        return new UnknownEvent(serverId, at, type, text, null);
    }

    private static JsonReader reader(String text) {
        JsonReader in = new JsonReader(new TextSource(text));
        // Python's json.dumps writes NaN and Infinity for such floats
        in.setStrictness(Strictness.LENIENT);
        return in;
    }

    private static void expectEnd(JsonReader in, MessageStream shared) throws IOException {
        if (shared != null) {
            shared.expectEnd(in);
            return;
        }
        if (in.peek() != JsonToken.END_DOCUMENT) {
            throw new com.google.gson.stream.MalformedJsonException("data after the JSON value at " + in.getPath());
        }
    }

    /** Why the text is not well-formed JSON, or null if it is. */
    private static String syntaxError(String text) {
        try {
            JsonReader in = reader(text);
            in.skipValue();
            expectEnd(in, null);
            return null;
        } catch (IOException | RuntimeException e) {
            return detail(e);
        }
    }

    // ---- binary

    /**
     * Decodes a whole binary message. The buffer becomes the decoder's (and its events'): a preview's image is a
     * view of it, not a copy.
     *
     * @param frame      the message, from its position to its limit
     * @param receivedAt when it arrived (not null)
     * @return a {@link PreviewEvent} (types 1 and 4), a {@link ProgressTextEvent} (type 3), or an
     *         {@link UnknownEvent} named {@code binary:<n>} carrying the bytes after the type word
     * @throws BadFrameException when the frame does not fit its type's layout
     */
    public MonitorEvent decodeBinary(ByteBuffer frame, Instant receivedAt) throws BadFrameException {
        Objects.requireNonNull(receivedAt, "receivedAt");
        if (frame == null) {
            throw new BadFrameException(TOO_SHORT, "no frame");
        }
        // absolute offsets from 0 and the protocol's byte order, whatever the caller's buffer says
        ByteBuffer b = frame.slice().order(ByteOrder.BIG_ENDIAN);
        int size = b.remaining();
        if (size < 4) {
            throw new BadFrameException(TOO_SHORT, size + " bytes, no event type");
        }
        int type = b.getInt(0);
        return switch (type) {
            case PREVIEW_IMAGE -> preview(b, receivedAt);
            case TEXT -> progressText(b, receivedAt);
            case PREVIEW_IMAGE_WITH_METADATA -> previewWithMetadata(b, receivedAt);
            default -> new UnknownEvent(serverId, receivedAt, "binary:" + Integer.toUnsignedString(type), null,
                    b.slice(4, size - 4));
        };
    }

    private PreviewEvent preview(ByteBuffer b, Instant at) throws BadFrameException {
        int size = b.limit();
        if (size < 8) {
            throw new BadFrameException(TOO_SHORT, "preview of " + size + " bytes, no image format");
        }
        int format = b.getInt(4);
        String mediaType = switch (format) {
            case 1 -> "image/jpeg";
            case 2 -> "image/png";
            default -> throw new BadFrameException(UNKNOWN_IMAGE_FORMAT,
                    "format " + Integer.toUnsignedString(format) + " (1 = JPEG, 2 = PNG)");
        };
        if (size == 8) {
            throw new BadFrameException(TOO_SHORT, "preview without image bytes");
        }
        return new PreviewEvent(serverId, at, null, null, null, mediaType, b.slice(8, size - 8));
    }

    private ProgressTextEvent progressText(ByteBuffer b, Instant at) throws BadFrameException {
        int size = b.limit();
        int length = lengthField(b, "progress text", "node id");
        String nodeId = utf8(b, 8, length, BAD_PROGRESS_TEXT, "node id");
        String text = utf8(b, 8 + length, size - 8 - length, BAD_PROGRESS_TEXT, "text");
        return new ProgressTextEvent(serverId, at, null, nodeId, text);
    }

    private PreviewEvent previewWithMetadata(ByteBuffer b, Instant at) throws BadFrameException {
        int size = b.limit();
        int length = lengthField(b, "preview", "metadata");
        String json = utf8(b, 8, length, BAD_PREVIEW_METADATA, "metadata");
        int imageAt = 8 + length;
        String promptId = null;
        String nodeId = null;
        String display = null;
        String mediaType = null;
        try {
            JsonReader in = reader(json);
            Fields.beginObject(in, "metadata");
            while (in.hasNext()) {
                switch (in.nextName()) {
                    case "prompt_id" -> promptId = Fields.string(in, "prompt_id");
                    case "node_id" -> nodeId = Fields.string(in, "node_id");
                    case "display_node_id" -> display = Fields.string(in, "display_node_id");
                    case "image_type" -> mediaType = Fields.string(in, "image_type");
                    default -> in.skipValue();
                }
            }
            in.endObject();
            expectEnd(in, null);
        } catch (IOException | RuntimeException e) {
            throw new BadFrameException(BAD_PREVIEW_METADATA, detail(e));
        }
        if (mediaType == null) {
            throw new BadFrameException(BAD_PREVIEW_METADATA, "no image_type");
        }
        if (imageAt == size) {
            throw new BadFrameException(TOO_SHORT, "preview without image bytes");
        }
        return new PreviewEvent(serverId, at, promptId, nodeId, display, mediaType, b.slice(imageAt, size - imageAt));
    }

    /** The u32 at offset 4, checked against the bytes after it. */
    private static int lengthField(ByteBuffer b, String frame, String what) throws BadFrameException {
        int size = b.limit();
        if (size < 8) {
            throw new BadFrameException(TOO_SHORT, frame + " of " + size + " bytes, no " + what + " length");
        }
        int length = b.getInt(4);
        if (length < 0 || length > size - 8) {
            throw new BadFrameException(BAD_LENGTH, what + " length " + Integer.toUnsignedString(length) + " but "
                    + (size - 8) + " bytes follow");
        }
        return length;
    }

    private static String utf8(ByteBuffer b, int offset, int length, String reason, String what)
            throws BadFrameException {
        try {
            // strict: a malformed sequence is a broken frame, not text to show with replacement characters
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(b.slice(offset, length)).toString();
        } catch (CharacterCodingException e) {
            throw new BadFrameException(reason, what + " is not UTF-8");
        }
    }

    private static String detail(Throwable e) {
        // Gson's tree parser wraps the reader's exception, whose message is the one that says where
        Throwable cause = e instanceof JsonParseException && e.getCause() != null ? e.getCause() : e;
        String message = cause.getMessage();
        if (message == null) {
            return cause.getClass().getSimpleName();
        }
        // Gson appends a troubleshooting link on a new line; the first line says what was wrong and where
        int newline = message.indexOf('\n');
        if (newline >= 0) {
            message = message.substring(0, newline);
        }
        return message.length() > DETAIL_LIMIT ? message.substring(0, DETAIL_LIMIT) + "…" : message;
    }
}
