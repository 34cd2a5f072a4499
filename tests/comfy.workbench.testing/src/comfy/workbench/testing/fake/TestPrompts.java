package comfy.workbench.testing.fake;

/**
 * API-format prompts the fake server runs, for tests of any bundle (as JSON, so that this bundle needs no model).
 */
public final class TestPrompts {

    /** The node of {@link #slow} that tests hold with {@link FakeComfyServer#holdNode} to keep a prompt running. */
    public static final String SLOW_NODE = "2";

    private TestPrompts() {
    }

    /** A quick prompt that no other prompt shares a cache entry with: a solid colour saved under a prefix. */
    public static String quick(int color, String prefix) {
        return "{\"1\":{\"class_type\":\"EmptyImage\",\"inputs\":{\"width\":8,\"height\":8,\"batch_size\":1,"
                + "\"color\":" + color + "}},\"2\":{\"class_type\":\"SaveImage\",\"inputs\":{\"images\":[\"1\",0],"
                + "\"filename_prefix\":\"" + prefix + "\"}}}";
    }

    /** A prompt whose ImageBlur, node {@value #SLOW_NODE}, a test can hold to keep the prompt running. */
    public static String slow(int color) {
        return "{\"1\":{\"class_type\":\"EmptyImage\",\"inputs\":{\"width\":8,\"height\":8,\"batch_size\":1,"
                + "\"color\":" + color + "}},\"2\":{\"class_type\":\"ImageBlur\",\"inputs\":{\"image\":[\"1\",0],\"blur_radius\":1,"
                + "\"sigma\":1.0}},\"3\":{\"class_type\":\"SaveImage\",\"inputs\":{\"images\":[\"2\",0],\"filename_prefix\":\"slow\"}}}";
    }
}
