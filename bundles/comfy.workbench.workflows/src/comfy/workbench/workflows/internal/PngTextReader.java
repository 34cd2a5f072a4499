package comfy.workbench.workflows.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import comfy.workbench.workflows.api.WorkflowException;
import comfy.workbench.workflows.api.WorkflowException.Kind;

/**
 * Reads the text chunks of a PNG from a stream, one chunk at a time: {@code tEXt} (Latin-1), {@code zTXt}
 * (deflated Latin-1) and {@code iTXt} (UTF-8, deflated or not). Every chunk's CRC is checked and the file
 * must end with {@code IEND}, so a truncated or damaged file is refused rather than half-read. Image data
 * is checked and discarded, never decoded or held.
 */
public final class PngTextReader {

    private static final byte[] SIGNATURE = { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
    /** No text chunk of a workflow comes near this; it bounds what a hostile file can make us allocate. */
    private static final int MAX_TEXT = 64 * 1024 * 1024;

    private PngTextReader() {
    }

    /** Whether the bytes start with the PNG signature. */
    public static boolean isPng(byte[] data) {
        if (data.length < SIGNATURE.length) {
            return false;
        }
        for (int i = 0; i < SIGNATURE.length; i++) {
            if (data[i] != SIGNATURE[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the bytes are meant to be a PNG: they start as one does, or a damaged signature is followed by
     * the {@code IHDR} chunk every PNG starts with. Such bytes get a PNG error, not a JSON one.
     */
    public static boolean looksLikePng(byte[] data) {
        return startsLikePng(data) || (data.length >= 16 && data[12] == 'I' && data[13] == 'H' && data[14] == 'D'
                && data[15] == 'R');
    }

    /** Whether the bytes start as a PNG does, even if too short to be one (a truncated file is still a PNG to report on). */
    public static boolean startsLikePng(byte[] data) {
        if (data.length == 0) {
            return false;
        }
        for (int i = 0; i < Math.min(data.length, SIGNATURE.length); i++) {
            if (data[i] != SIGNATURE[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Reads every text chunk, keyword → text (the first chunk of a keyword wins).
     *
     * @throws WorkflowException {@link Kind#CORRUPT_FILE} for a missing signature, a truncated file, a bad CRC
     *                           or an undecodable text chunk; {@link Kind#IO} when reading fails
     */
    public static Map<String, String> read(InputStream in, String what) {
        Map<String, String> texts = new LinkedHashMap<>();
        try {
            byte[] signature = new byte[8];
            int n = readFully(in, signature);
            if (n < 8 || !isPng(signature)) {
                throw new WorkflowException(Kind.CORRUPT_FILE, what, n < 8 && n > 0 && startsLikePng(java.util.Arrays.copyOf(signature, n))
                        ? "truncated PNG: the file ends inside the signature" : "not a PNG file (no PNG signature)");
            }
            long offset = 8;
            byte[] header = new byte[8];
            byte[] buffer = new byte[8192];
            CRC32 crc = new CRC32();
            while (true) {
                if (readFully(in, header) < 8) {
                    throw new WorkflowException(Kind.CORRUPT_FILE, what, "truncated PNG: no IEND chunk (file ends at byte "
                            + offset + ")");
                }
                long length = ((header[0] & 0xffL) << 24) | ((header[1] & 0xff) << 16) | ((header[2] & 0xff) << 8)
                        | (header[3] & 0xff);
                String type = new String(header, 4, 4, StandardCharsets.ISO_8859_1);
                if (length > Integer.MAX_VALUE || !type.chars().allMatch(Character::isLetter)) {
                    throw new WorkflowException(Kind.CORRUPT_FILE, what, "corrupt PNG: bad chunk header at byte " + offset);
                }
                crc.reset();
                crc.update(header, 4, 4);
                boolean text = type.equals("tEXt") || type.equals("zTXt") || type.equals("iTXt");
                byte[] data = null;
                if (text) {
                    if (length > MAX_TEXT) {
                        throw new WorkflowException(Kind.CORRUPT_FILE, what, type + " chunk at byte " + offset + " is "
                                + length + " bytes, more than a workflow's text can be");
                    }
                    data = new byte[(int) length];
                    if (readFully(in, data) < length) {
                        throw truncated(what, type, offset);
                    }
                    crc.update(data);
                } else {
                    long left = length;
                    while (left > 0) {
                        int r = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                        if (r < 0) {
                            throw truncated(what, type, offset);
                        }
                        crc.update(buffer, 0, r);
                        left -= r;
                    }
                }
                byte[] crcBytes = new byte[4];
                if (readFully(in, crcBytes) < 4) {
                    throw truncated(what, type, offset);
                }
                long expected = ((crcBytes[0] & 0xffL) << 24) | ((crcBytes[1] & 0xff) << 16) | ((crcBytes[2] & 0xff) << 8)
                        | (crcBytes[3] & 0xff);
                if (expected != crc.getValue()) {
                    throw new WorkflowException(Kind.CORRUPT_FILE, what, "corrupt PNG: bad CRC in the " + type
                            + " chunk at byte " + offset);
                }
                if (text) {
                    decode(type, data, what, offset, texts);
                }
                if (type.equals("IEND")) {
                    return texts;
                }
                offset += 12 + length;
            }
        } catch (IOException e) {
            throw new WorkflowException(Kind.IO, what, "cannot read the PNG: " + e.getMessage(), e);
        }
    }

    private static WorkflowException truncated(String what, String type, long offset) {
        return new WorkflowException(Kind.CORRUPT_FILE, what, "truncated PNG: the " + type + " chunk at byte " + offset
                + " is cut off");
    }

    private static void decode(String type, byte[] data, String what, long offset, Map<String, String> texts) {
        int zero = indexOf(data, 0);
        if (zero < 1 || zero > 79) {
            throw new WorkflowException(Kind.CORRUPT_FILE, what, type + " chunk at byte " + offset + " has no keyword");
        }
        String keyword = new String(data, 0, zero, StandardCharsets.ISO_8859_1);
        String value;
        switch (type) {
        case "tEXt":
            value = new String(data, zero + 1, data.length - zero - 1, StandardCharsets.ISO_8859_1);
            break;
        case "zTXt":
            if (zero + 1 >= data.length || data[zero + 1] != 0) {
                throw new WorkflowException(Kind.CORRUPT_FILE, what, "zTXt chunk " + keyword + " uses an unknown compression method");
            }
            value = new String(inflate(data, zero + 2, what, keyword), StandardCharsets.ISO_8859_1);
            break;
        default: // iTXt: keyword 0 flag method language 0 translated-keyword 0 text
            if (zero + 2 >= data.length) {
                throw new WorkflowException(Kind.CORRUPT_FILE, what, "iTXt chunk " + keyword + " is cut short");
            }
            boolean compressed = data[zero + 1] != 0;
            int language = indexOf(data, zero + 3);
            int translated = language < 0 ? -1 : indexOf(data, language + 1);
            if (translated < 0) {
                throw new WorkflowException(Kind.CORRUPT_FILE, what, "iTXt chunk " + keyword + " is cut short");
            }
            if (compressed && data[zero + 2] != 0) {
                throw new WorkflowException(Kind.CORRUPT_FILE, what, "iTXt chunk " + keyword + " uses an unknown compression method");
            }
            byte[] text = compressed ? inflate(data, translated + 1, what, keyword)
                    : java.util.Arrays.copyOfRange(data, translated + 1, data.length);
            value = new String(text, StandardCharsets.UTF_8);
            break;
        }
        texts.putIfAbsent(keyword, value);
    }

    private static byte[] inflate(byte[] data, int from, String what, String keyword) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(data, from, data.length - from);
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, (data.length - from) * 4));
            byte[] buffer = new byte[8192];
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new WorkflowException(Kind.CORRUPT_FILE, what, "compressed text chunk " + keyword + " is cut short");
                }
                out.write(buffer, 0, n);
                if (out.size() > MAX_TEXT) {
                    throw new WorkflowException(Kind.CORRUPT_FILE, what, "compressed text chunk " + keyword
                            + " inflates to more than a workflow's text can be");
                }
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new WorkflowException(Kind.CORRUPT_FILE, what, "compressed text chunk " + keyword + " does not inflate: "
                    + e.getMessage(), e);
        } finally {
            inflater.end();
        }
    }

    private static int indexOf(byte[] data, int from) {
        for (int i = from; i < data.length; i++) {
            if (data[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    private static int readFully(InputStream in, byte[] b) throws IOException {
        int total = 0;
        while (total < b.length) {
            int r = in.read(b, total, b.length - total);
            if (r < 0) {
                return total;
            }
            total += r;
        }
        return total;
    }

}
