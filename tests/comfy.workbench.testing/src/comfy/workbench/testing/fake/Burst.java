package comfy.workbench.testing.fake;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.zip.CRC32;

/**
 * Binary frames the fake server sends the moment a WebSocket is upgraded, right after the first {@code status}
 * message and without any pause: the burst that made the JDK 17 client lose data (see the protocol doc's last
 * section). Each frame is a legacy preview (type 1, JPEG) whose image bytes are self-checking, so a client can
 * prove that every frame arrived whole and intact:
 *
 * <pre>
 * [u32 1][u32 1][u32 index][u32 CRC32 of bytes 16..end][pseudo-random bytes, seeded by the index]
 * </pre>
 *
 * Frame {@code i} is the same on every connection.
 *
 * @param frames    how many frames each new socket receives (0: no burst)
 * @param frameSize the size of each frame in bytes, at least {@value #HEADER}
 */
public record Burst(int frames, int frameSize) {

    /** The bytes before the pseudo-random part. */
    public static final int HEADER = 16;

    /** No burst. */
    public static final Burst NONE = new Burst(0, HEADER);

    public Burst {
        if (frames < 0 || frameSize < HEADER) {
            throw new IllegalArgumentException("a burst needs frames >= 0 and frameSize >= " + HEADER + ": " + frames + ", " + frameSize);
        }
    }

    /** Frame {@code index} of this burst. */
    public byte[] frame(int index) {
        byte[] frame = new byte[frameSize];
        new SplittableRandom(0x5EED_0000L + index).nextBytes(frame);
        CRC32 crc = new CRC32();
        crc.update(frame, HEADER, frameSize - HEADER);
        ByteBuffer.wrap(frame).putInt(1).putInt(1).putInt(index).putInt((int) crc.getValue());
        return frame;
    }

    /**
     * Checks a received frame without consuming the buffer.
     *
     * @return the frame's index
     * @throws IllegalArgumentException naming what is wrong: size, header or checksum
     */
    public int verify(ByteBuffer received) {
        ByteBuffer b = received.duplicate();
        if (b.remaining() != frameSize) {
            throw new IllegalArgumentException("burst frame of " + b.remaining() + " bytes, expected " + frameSize);
        }
        int start = b.position();
        int type = b.getInt(start);
        int format = b.getInt(start + 4);
        int index = b.getInt(start + 8);
        int expected = b.getInt(start + 12);
        if (type != 1 || format != 1 || index < 0 || index >= frames) {
            throw new IllegalArgumentException("burst frame header is wrong: type " + type + ", format " + format + ", index " + index);
        }
        CRC32 crc = new CRC32();
        b.position(start + HEADER);
        crc.update(b);
        if ((int) crc.getValue() != expected) {
            throw new IllegalArgumentException("burst frame " + index + " is corrupt: CRC32 " + Integer.toHexString((int) crc.getValue())
                    + ", expected " + Integer.toHexString(expected));
        }
        return index;
    }
}
