package comfy.workbench.monitor.internal;

import java.io.Reader;

/**
 * A {@link Reader} over a String for one decode. Unlike {@link java.io.StringReader} it takes no lock per read and
 * has no open/closed state to check: the decoder reads a message exactly once on one thread. The JSON reader copies
 * characters straight out of the String into its own buffer, so the text is never copied as a whole.
 */
final class TextSource extends Reader {

    private final String text;
    private int next;

    TextSource(String text) {
        this.text = text;
    }

    @Override
    public int read(char[] cbuf, int off, int len) {
        int n = Math.min(len, text.length() - next);
        if (n <= 0) {
            return len == 0 ? 0 : -1;
        }
        text.getChars(next, next + n, cbuf, off);
        next += n;
        return n;
    }

    @Override
    public void close() {
        // nothing to release
    }
}
