package comfy.workbench.workflows.tests;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/** Builds test PNGs from a real one: its text chunks replaced by the given ones. */
final class Png {

    private Png() {
    }

    /** The PNG with every text chunk removed and {@code chunks} inserted after IHDR. */
    static byte[] withText(byte[] png, byte[]... chunks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(png, 0, 8);
        int i = 8;
        while (i < png.length) {
            int length = ByteBuffer.wrap(png, i, 4).getInt();
            String type = new String(png, i + 4, 4, StandardCharsets.ISO_8859_1);
            if (!type.equals("tEXt") && !type.equals("iTXt") && !type.equals("zTXt")) {
                out.write(png, i, 12 + length);
            }
            if (type.equals("IHDR")) {
                for (byte[] c : chunks) {
                    out.writeBytes(c);
                }
            }
            i += 12 + length;
        }
        return out.toByteArray();
    }

    static byte[] tEXt(String keyword, String text) {
        return chunk("tEXt", concat(latin1(keyword), new byte[] { 0 }, latin1(text)));
    }

    static byte[] zTXt(String keyword, String text) {
        return chunk("zTXt", concat(latin1(keyword), new byte[] { 0, 0 }, deflate(latin1(text))));
    }

    static byte[] iTXt(String keyword, String text, boolean compressed) {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        return chunk("iTXt", concat(latin1(keyword), new byte[] { 0, (byte) (compressed ? 1 : 0), 0 }, latin1("en"),
                new byte[] { 0 }, new byte[] { 0 }, compressed ? deflate(body) : body));
    }

    static byte[] chunk(String type, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(12 + data.length);
        b.putInt(data.length);
        b.put(latin1(type));
        b.put(data);
        CRC32 crc = new CRC32();
        crc.update(latin1(type));
        crc.update(data);
        b.putInt((int) crc.getValue());
        return b.array();
    }

    /** The offset of the first chunk of a type. */
    static int offsetOf(byte[] png, String type) {
        int i = 8;
        while (i < png.length) {
            int length = ByteBuffer.wrap(png, i, 4).getInt();
            if (new String(png, i + 4, 4, StandardCharsets.ISO_8859_1).equals(type)) {
                return i;
            }
            i += 12 + length;
        }
        throw new AssertionError("no " + type);
    }

    private static byte[] deflate(byte[] data) {
        Deflater d = new Deflater();
        d.setInput(data);
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        while (!d.finished()) {
            out.write(buffer, 0, d.deflate(buffer));
        }
        d.end();
        return out.toByteArray();
    }

    private static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
