package comfy.workbench.testing.fake.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/** Writes small solid-colour PNGs with {@code tEXt} chunks, as PIL does for SaveImage. */
public final class Png {

    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private Png() {
    }

    /** An RGB image of one colour ({@code 0xRRGGBB}); text chunks are written in map order, before the pixels. */
    public static byte[] solid(int width, int height, int rgb, Map<String, String> text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(SIGNATURE);
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height);
        ihdr.put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(out, "IHDR", ihdr.array());
        text.forEach((k, v) -> {
            byte[] key = k.getBytes(StandardCharsets.ISO_8859_1);
            byte[] value = v.getBytes(StandardCharsets.ISO_8859_1);
            byte[] data = new byte[key.length + 1 + value.length];
            System.arraycopy(key, 0, data, 0, key.length);
            System.arraycopy(value, 0, data, key.length + 1, value.length);
            chunk(out, "tEXt", data);
        });
        byte[] raw = new byte[height * (1 + width * 3)];
        for (int y = 0, p = 0; y < height; y++) {
            raw[p++] = 0;
            for (int x = 0; x < width; x++) {
                raw[p++] = (byte) (rgb >> 16);
                raw[p++] = (byte) (rgb >> 8);
                raw[p++] = (byte) rgb;
            }
        }
        Deflater deflater = new Deflater(6);
        deflater.setInput(raw);
        deflater.finish();
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        while (!deflater.finished()) {
            z.write(buf, 0, deflater.deflate(buf));
        }
        deflater.end();
        chunk(out, "IDAT", z.toByteArray());
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    /** Width and height from a PNG's IHDR, or {@code null} if the bytes are not a PNG. */
    public static int[] size(byte[] png) {
        if (png.length < 24 || png[1] != 'P' || png[2] != 'N' || png[3] != 'G') {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(png);
        return new int[] {b.getInt(16), b.getInt(20)};
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(t);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
