package comfy.workbench.testing.fake.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * The WebSocket side: sockets by client id (a newer socket with the same id replaces the older one, which then
 * silently receives nothing, as in capture 12) and the routing rules of {@code PromptServer.send_sync}. Every
 * emission holds one lock so that messages from the HTTP threads and the worker keep one global order.
 */
public final class WsHub {

    /** What a newly connected socket must be told: the queue size and, if its prompt runs, the running node. */
    public record OpenState(int queueRemaining, String runningClientId, String runningNode) {
    }

    private final Object lock = new Object();
    private final Map<String, Client> clients = new LinkedHashMap<>();
    private final List<Client> all = new CopyOnWriteArrayList<>();
    private final Supplier<OpenState> openState;
    private final String featureFlagsReply;
    private final AtomicInteger pings = new AtomicInteger();
    /** The frames every new socket receives right after {@code status}; empty: no burst. */
    private volatile ByteBuffer[] burst = new ByteBuffer[0];

    public WsHub(Supplier<OpenState> openState, JsonObject serverFeatures) {
        this.openState = openState;
        this.featureFlagsReply = Json.message("feature_flags", serverFeatures);
    }

    /** Creates the frame handler for a new socket; {@code clientId} null means the server assigns a hex sid. */
    public FrameHandler newClient(String clientId) {
        String sid = clientId == null || clientId.isEmpty() ? UUID.randomUUID().toString().replace("-", "") : clientId;
        return new Client(sid);
    }

    public void broadcast(String text) {
        synchronized (lock) {
            for (Client c : clients.values()) {
                c.text(text);
            }
        }
    }

    public void send(String clientId, String text) {
        synchronized (lock) {
            Client c = clients.get(clientId);
            if (c != null) {
                c.text(text);
            }
        }
    }

    /** To the client if there is one, else to everybody (progress, previews, execution_interrupted). */
    public void route(String clientId, String text) {
        if (clientId == null) {
            broadcast(text);
        } else {
            send(clientId, text);
        }
    }

    /** A preview for a node: type 4 with metadata to sockets that negotiated it, type 1 to the others. */
    public void preview(String clientId, byte[] png, JsonObject metadata) {
        byte[] legacy = ByteBuffer.allocate(8 + png.length).putInt(1).putInt(2).put(png).array();
        byte[] meta = Json.write(metadata).getBytes(StandardCharsets.UTF_8);
        byte[] withMeta = ByteBuffer.allocate(8 + meta.length + png.length).putInt(4).putInt(meta.length).put(meta).put(png).array();
        synchronized (lock) {
            for (Client c : targets(clientId)) {
                c.binary(c.supportsPreviewMetadata ? withMeta : legacy);
            }
        }
    }

    public void binary(String clientId, byte[] frame) {
        synchronized (lock) {
            for (Client c : targets(clientId)) {
                c.binary(frame);
            }
        }
    }

    /** Whether the socket the client's messages would go to negotiated {@code supports_preview_metadata}. */
    public boolean supportsPreviewMetadata(String clientId) {
        synchronized (lock) {
            Client c = clientId == null ? null : clients.get(clientId);
            return c != null && c.supportsPreviewMetadata;
        }
    }

    /** Sends these frames to every socket that opens from now on, right after its {@code status} message. */
    public void burstOnConnect(List<byte[]> frames) {
        ByteBuffer[] b = new ByteBuffer[frames.size()];
        for (int i = 0; i < b.length; i++) {
            b[i] = ByteBuffer.wrap(frames.get(i).clone()).asReadOnlyBuffer();
        }
        burst = b;
    }

    /** Pings received on all sockets (each answered with a pong, as aiohttp does). */
    public int pings() {
        return pings.get();
    }

    public boolean isConnected(String clientId) {
        synchronized (lock) {
            return clients.containsKey(clientId);
        }
    }

    public int connected() {
        synchronized (lock) {
            return clients.size();
        }
    }

    /** The current socket of a client, for floods and malformed frames; {@code null} if none. */
    public CoreSession session(String clientId) {
        synchronized (lock) {
            Client c = clients.get(clientId);
            return c == null ? null : c.session;
        }
    }

    /** Cuts every socket without a close handshake, as a crashed server or a dropped network does. */
    public void dropAll() {
        List<Client> victims;
        synchronized (lock) {
            victims = new ArrayList<>(all);
            clients.clear();
        }
        for (Client c : victims) {
            c.session.abort();
        }
        all.removeAll(victims);
    }

    private List<Client> targets(String clientId) {
        if (clientId == null) {
            return new ArrayList<>(clients.values());
        }
        Client c = clients.get(clientId);
        return c == null ? List.of() : List.of(c);
    }

    private final class Client implements FrameHandler {
        private final String sid;
        private volatile CoreSession session;
        private volatile boolean supportsPreviewMetadata;
        private boolean sawFirstMessage;

        Client(String sid) {
            this.sid = sid;
        }

        @Override
        public void onOpen(CoreSession coreSession, Callback callback) {
            this.session = coreSession;
            callback.succeeded();
            OpenState state = openState.get();
            synchronized (lock) {
                clients.put(sid, this);
                all.add(this);
                JsonObject status = Json.obj("status", Json.obj("exec_info", Json.obj("queue_remaining", state.queueRemaining())), "sid", sid);
                text(Json.message("status", status));
                if (sid.equals(state.runningClientId()) && state.runningNode() != null) {
                    text(Json.message("executing", Json.obj("node", state.runningNode())));
                }
                for (ByteBuffer frame : burst) {
                    coreSession.sendFrame(new Frame(OpCode.BINARY, frame.duplicate()), Callback.NOOP, false);
                }
            }
            coreSession.demand();
        }

        @Override
        public void onFrame(Frame frame, Callback callback) {
            if (frame.getOpCode() == OpCode.PING) {
                // aiohttp answers pings itself (autoping); Jetty's core API leaves it to the handler
                pings.incrementAndGet();
                ByteBuffer payload = ByteBuffer.allocate(frame.getPayloadLength());
                if (frame.hasPayload()) {
                    payload.put(frame.getPayload().slice()).flip();
                }
                session.sendFrame(new Frame(OpCode.PONG, payload), Callback.NOOP, false);
            }
            if (frame.getOpCode() == OpCode.TEXT && !sawFirstMessage) {
                sawFirstMessage = true;
                handshake(frame.getPayloadAsUTF8());
            }
            callback.succeeded();
            if (frame.getOpCode() != OpCode.CLOSE) {
                session.demand();
            }
        }

        /** Only the first client message counts, and only if it is {@code feature_flags} (server.py websocket_handler). */
        private void handshake(String text) {
            try {
                JsonElement msg = Json.parse(text);
                if (msg.isJsonObject() && "feature_flags".equals(Json.str(msg.getAsJsonObject(), "type"))) {
                    JsonElement data = msg.getAsJsonObject().get("data");
                    supportsPreviewMetadata = data != null && data.isJsonObject()
                            && data.getAsJsonObject().has("supports_preview_metadata")
                            && data.getAsJsonObject().get("supports_preview_metadata").getAsBoolean();
                    synchronized (lock) {
                        text(featureFlagsReply);
                    }
                }
            } catch (RuntimeException ignored) {
                // the real server ignores client messages it cannot parse
            }
        }

        @Override
        public void onError(Throwable cause, Callback callback) {
            callback.succeeded();
        }

        @Override
        public void onClosed(CloseStatus closeStatus, Callback callback) {
            synchronized (lock) {
                clients.remove(sid, this);
                all.remove(this);
            }
            callback.succeeded();
        }

        void text(String text) {
            session.sendFrame(new Frame(OpCode.TEXT, text), Callback.NOOP, false);
        }

        void binary(byte[] bytes) {
            session.sendFrame(new Frame(OpCode.BINARY, ByteBuffer.wrap(bytes)), Callback.NOOP, false);
        }
    }
}
