package comfy.workbench.model.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import comfy.workbench.model.api.ComfyJsonException;
import comfy.workbench.model.api.PromptGraph;
import comfy.workbench.model.api.PromptNode;

class PromptGraphTest {

    @Test
    void roundTripsSeedsNanAndUnknownFieldsExactly() {
        String json = "{\"3\":{\"class_type\":\"KSampler\",\"inputs\":{\"seed\":18446744073709551615,"
                + "\"cfg\":NaN,\"denoise\":Infinity,\"model\":[\"4\",0],\"list\":{\"__value__\":[1,2]}},"
                + "\"_meta\":{\"title\":\"Sampler\"},\"x_custom\":{\"keep\":true}}}";
        PromptGraph graph = PromptGraph.parse(json, "test graph");
        assertEquals(json, graph.toJson());
        PromptNode node = graph.node("3").orElseThrow();
        assertEquals("KSampler", node.classType());
        assertEquals("Sampler", node.title());
        assertEquals(new PromptNode.Link("4", 0), node.link("model").orElseThrow());
        assertTrue(node.link("list").isEmpty());
        assertEquals("18446744073709551615", node.input("seed").orElseThrow().getAsBigInteger().toString());
    }

    @Test
    void nodeWithoutClassTypeIsNamedInTheError() {
        ComfyJsonException e = assertThrows(ComfyJsonException.class,
                () -> PromptGraph.parse("{\"7\":{\"inputs\":{}}}", "my.json"));
        assertTrue(e.getMessage().contains("my.json") && e.getMessage().contains("node 7"), e.getMessage());
    }

    @Test
    void truncatedJsonIsAClearError() {
        ComfyJsonException e = assertThrows(ComfyJsonException.class,
                () -> PromptGraph.parse("{\"1\":{\"class_type\":\"Save", "cut.json"));
        assertTrue(e.getMessage().startsWith("cut.json: malformed JSON"), e.getMessage());
    }
}
