package comfy.workbench.cache.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import comfy.workbench.cache.api.CacheCodec;

/** Codecs for the tests. */
final class Codecs {

    private Codecs() {
    }

    /** Strings as UTF-8, keys as themselves. */
    static class Text implements CacheCodec<String, String> {
        @Override
        public String key(String key) {
            return key;
        }

        @Override
        public byte[] encode(String value) {
            return value.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String decode(byte[] bytes) throws IOException {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    static CacheCodec<String, String> text() {
        return new Text();
    }
}
