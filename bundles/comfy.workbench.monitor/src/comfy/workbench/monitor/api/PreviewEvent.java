package comfy.workbench.monitor.api;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Objects;

/**
 * A preview image (binary frame 1, or 4 with metadata when the handshake negotiated it). The image bytes are shared,
 * not copied: {@link #image()} gives each caller its own read-only view.
 *
 * @param serverId      the server
 * @param receivedAt    when it arrived
 * @param promptId      the prompt (frame 4 only), may be null
 * @param nodeId        the node (frame 4 only), may be null
 * @param displayNodeId the node to show it on (frame 4 only), may be null
 * @param mediaType     {@code image/jpeg} or {@code image/png}, or what the server named
 * @param image         the encoded image
 */
public record PreviewEvent(String serverId, Instant receivedAt, String promptId, String nodeId, String displayNodeId,
        String mediaType, ByteBuffer image) implements MonitorEvent {

    public PreviewEvent {
        Objects.requireNonNull(serverId, "serverId");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(mediaType, "mediaType");
        image = image.slice().asReadOnlyBuffer();
    }

    /** The image bytes: a fresh read-only view positioned at 0. */
    @Override
    public ByteBuffer image() {
        return image.duplicate();
    }

    /** Size of the image in bytes. */
    public int size() {
        return image.remaining();
    }

    /** A copy of the image bytes. */
    public byte[] toByteArray() {
        byte[] bytes = new byte[image.remaining()];
        image.duplicate().get(bytes);
        return bytes;
    }

    @Override
    public EventType type() {
        return EventType.PREVIEW;
    }

    @Override
    public String toString() {
        return "PreviewEvent[serverId=" + serverId + ", promptId=" + promptId + ", nodeId=" + nodeId + ", mediaType="
                + mediaType + ", size=" + size() + "]";
    }
}
