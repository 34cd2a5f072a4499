package comfy.workbench.testing.fake;

/**
 * API-format prompts the fake server runs, for tests of any bundle (as JSON, so that this bundle needs no model).
 */
public final class TestPrompts {

    /** The node of {@link #slow} that tests hold with {@link FakeComfyServer#holdNode} to keep a prompt running. */
    public static final String SLOW_NODE = "2";

    /**
     * A UI workflow saved in the frontend's App mode (EmptyImage "Canvas", ImageInvert, SaveImage): its canvas width and
     * height and its file prefix are the app's inputs.
     */
    public static final String APP_UI = """
            {"last_node_id": 3, "last_link_id": 2, "version": 0.4,
             "nodes": [
              {"id": 1, "type": "EmptyImage", "title": "Canvas", "mode": 0, "inputs": [],
               "outputs": [{"name": "IMAGE", "type": "IMAGE", "links": [1]}], "widgets_values": [512, 384, 1, 0]},
              {"id": 2, "type": "ImageInvert", "mode": 0, "inputs": [{"name": "image", "type": "IMAGE", "link": 1}],
               "outputs": [{"name": "IMAGE", "type": "IMAGE", "links": [2]}], "widgets_values": []},
              {"id": 3, "type": "SaveImage", "mode": 0, "inputs": [{"name": "images", "type": "IMAGE", "link": 2}],
               "outputs": [], "widgets_values": ["app"]}],
             "links": [[1, 1, 0, 2, 0, "IMAGE"], [2, 2, 0, 3, 0, "IMAGE"]],
             "extra": {"linearMode": true, "linearData": {"inputs": [[1, "width"], [1, "height"], [3, "filename_prefix"]],
                       "outputs": [3]}}}
            """;

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

    /**
     * A UI workflow as the frontend saves it: EmptyImage, ImageAddNoise (node 2) with seed 42 and the given control
     * after generate ({@code [42, "randomize"]}), SaveImage.
     */
    public static String noiseUi(String control) {
        return """
                {"last_node_id":3,"last_link_id":2,"version":0.4,"nodes":[
                 {"id":1,"type":"EmptyImage","mode":0,"inputs":[],"outputs":[{"name":"IMAGE","type":"IMAGE","links":[1]}],
                  "widgets_values":[16,16,1,0]},
                 {"id":2,"type":"ImageAddNoise","mode":0,"inputs":[{"name":"image","type":"IMAGE","link":1}],
                  "outputs":[{"name":"IMAGE","type":"IMAGE","links":[2]}],"widgets_values":[42,"CONTROL",0.5]},
                 {"id":3,"type":"SaveImage","mode":0,"inputs":[{"name":"images","type":"IMAGE","link":2}],"outputs":[],
                  "widgets_values":["seeds"]}],
                 "links":[[1,1,0,2,0,"IMAGE"],[2,2,0,3,0,"IMAGE"]]}
                """.replace("CONTROL", control);
    }
}
