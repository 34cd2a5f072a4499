package comfy.workbench.model.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.math.BigInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import comfy.workbench.model.api.ComfyJson;
import comfy.workbench.model.api.ComfyJsonException;
import comfy.workbench.model.api.PromptGraph;
import comfy.workbench.model.api.PromptNode;

/** The codec's edge cases: what Python's json module writes must come back byte for byte, anything else is refused. */
class ComfyJsonTest {

    @Test
    void wrappedListsStayWrappedAndAreNotLinks() {
        String json = "{\"5\":{\"class_type\":\"Custom\",\"inputs\":{\"sizes\":{\"__value__\":[[\"1\",0],512,NaN]},"
                + "\"pair\":[\"1\",0],\"triple\":[\"1\",0,1],\"empty\":{\"__value__\":[]}}}}";
        PromptGraph graph = PromptGraph.parse(json, "wrapped");
        PromptNode node = graph.node("5").orElseThrow();
        JsonArray wrapped = node.input("sizes").orElseThrow().getAsJsonObject().getAsJsonArray("__value__");
        assertEquals(3, wrapped.size());
        assertEquals(512, wrapped.get(1).getAsInt());
        assertTrue(Double.isNaN(wrapped.get(2).getAsDouble()));
        assertTrue(node.link("sizes").isEmpty());
        assertTrue(node.link("triple").isEmpty());
        assertTrue(node.link("empty").isEmpty());
        assertEquals(new PromptNode.Link("1", 0), node.link("pair").orElseThrow());
        assertEquals(json, graph.toJson());
    }

    @Test
    void specialNumbersAreNumbersAndWrittenBackBare() {
        JsonElement value = ComfyJson.parse("[NaN, Infinity, -Infinity, -0, 1e-05, 8.0, 18446744073709551615, -9223372036854775809]", "numbers");
        JsonArray a = value.getAsJsonArray();
        assertTrue(Double.isNaN(a.get(0).getAsDouble()));
        assertEquals(Double.POSITIVE_INFINITY, a.get(1).getAsDouble());
        assertEquals(Double.NEGATIVE_INFINITY, a.get(2).getAsDouble());
        assertTrue(a.get(2).getAsJsonPrimitive().isNumber());
        assertEquals(new BigInteger("18446744073709551615"), a.get(6).getAsBigInteger());
        assertEquals(new BigInteger("-9223372036854775809"), a.get(7).getAsBigInteger());
        assertEquals("[NaN,Infinity,-Infinity,-0,1e-05,8.0,18446744073709551615,-9223372036854775809]", ComfyJson.write(value));
    }

    @Test
    void seedsDifferingOnlyInTheLastDigitAreDifferentGraphs() {
        PromptGraph a = PromptGraph.parse("{\"3\":{\"class_type\":\"KSampler\",\"inputs\":{\"seed\":18446744073709551615}}}", "a");
        PromptGraph b = PromptGraph.parse("{\"3\":{\"class_type\":\"KSampler\",\"inputs\":{\"seed\":18446744073709551614}}}", "b");
        assertFalse(a.equals(b));
        assertEquals(a, PromptGraph.parse(a.toJson(), "again"));
    }

    @Test
    void stringsThatSpellNanOrInfinityStayStrings() {
        String json = "{\"NaN\":\"NaN\",\"Infinity\":\"-Infinity\",\"q\":\"say \\\"NaN\\\" Infinity\",\"e\":\"\\\\\",\"after\":NaN}";
        JsonObject o = ComfyJson.parseObject(json, "strings");
        assertEquals("NaN", o.get("NaN").getAsString());
        assertTrue(o.get("NaN").getAsJsonPrimitive().isString());
        assertEquals("-Infinity", o.get("Infinity").getAsString());
        assertTrue(o.get("Infinity").getAsJsonPrimitive().isString());
        assertEquals("say \"NaN\" Infinity", o.get("q").getAsString());
        assertEquals("\\", o.get("e").getAsString());
        assertTrue(o.get("after").getAsJsonPrimitive().isNumber());
        assertEquals(json, ComfyJson.write(o));
    }

    @Test
    void privateUseCharactersAndEscapesAreOrdinaryText() {
        JsonObject o = ComfyJson.parseObject("{\"a\":\"\\uE000NaN\",\"b\":\"\uE000Infinity\",\"c\":\"\\ud83d\\ude00 \\/ \\t\"}", "pua");
        assertEquals("\uE000NaN", o.get("a").getAsString());
        assertEquals("\uE000Infinity", o.get("b").getAsString());
        assertEquals("\uD83D\uDE00 / \t", o.get("c").getAsString());
    }

    @Test
    void repeatedNamesKeepTheirPlaceAndTakeTheLastValueAsInPython() {
        assertEquals("{\"a\":3,\"b\":2}", ComfyJson.write(ComfyJson.parse("{\"a\":1,\"b\":2,\"a\":3}", "dup")));
    }

    @Test
    void deepNestingIsRefusedWithAClearMessage() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        ComfyJsonException e = assertThrows(ComfyJsonException.class, () -> ComfyJson.parse(deep, "deep.json"));
        assertTrue(e.getMessage().startsWith("deep.json: malformed JSON at line 1 column 513: nested deeper than 512"),
                e.getMessage());
        JsonElement ok = ComfyJson.parse("[".repeat(512) + "]".repeat(512), "512 levels");
        assertTrue(ok.isJsonArray());
    }

    @Test
    void textAfterTheValueIsRefusedNamingWhere() {
        ComfyJsonException e = assertThrows(ComfyJsonException.class,
                () -> ComfyJson.parse("{\"a\":1}\n  {\"b\":2}", "two.json"));
        assertEquals("two.json: malformed JSON at line 2 column 3: unexpected text after the JSON value: '{\"b\":2}'",
                e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "   ", "\n\t\r\n" })
    void emptyTextIsRefused(String text) {
        ComfyJsonException e = assertThrows(ComfyJsonException.class, () -> ComfyJson.parse(text, "body"));
        assertEquals("body: empty, expected a JSON value", e.getMessage());
        assertThrows(ComfyJsonException.class, () -> ComfyJson.parse(new StringReader(text), "body"));
    }

    @Test
    void hugeNumbersAreBoundedAsInPython() {
        JsonArray a = ComfyJson.parse("[1e999999999, " + "9".repeat(4300) + "]", "huge").getAsJsonArray();
        assertEquals(Double.POSITIVE_INFINITY, a.get(0).getAsDouble());
        assertEquals(Integer.MAX_VALUE, a.get(0).getAsInt());
        assertEquals(4300, a.get(1).getAsBigInteger().toString().length());
        ComfyJsonException e = assertThrows(ComfyJsonException.class,
                () -> ComfyJson.parse("[" + "9".repeat(4301) + "]", "digits"));
        assertEquals("digits: malformed JSON at line 1 column 2: integer with more than 4300 digits", e.getMessage());
    }

    @Test
    void nullTextIsRefused() {
        ComfyJsonException e = assertThrows(ComfyJsonException.class, () -> ComfyJson.parse((String) null, "body"));
        assertEquals("body: no JSON text (null)", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = { "{a:1}", "{\"a\":'x'}", "[1,]", "{\"a\":1,}", "[nan]", "[-NaN]", "[+1]", "[01]", "[1.]",
            "[.5]", "[1e]", "[True]", "{\"a\" 1}", "[1 2]", "// c\n[1]", "[\"tab\tinside\"]", "[\"\\x41\"]", "[\"\\u12\"]",
            "{\"a\":1", "[\"open", "NaNa", "[Infinityy]" })
    void whatPythonRefusesIsRefused(String text) {
        ComfyJsonException e = assertThrows(ComfyJsonException.class, () -> ComfyJson.parse(text, "bad"));
        assertTrue(e.getMessage().startsWith("bad: malformed JSON at line "), e.getMessage());
    }

    @Test
    void readerInputIsParsedLikeText() {
        assertEquals("{\"x\":[1,-Infinity]}", ComfyJson.write(ComfyJson.parse(new StringReader(" {\"x\": [1, -Infinity]} "), "r")));
    }

    @Test
    void controlCharacterErrorNamesLineAndColumn() {
        ComfyJsonException e = assertThrows(ComfyJsonException.class,
                () -> ComfyJson.parse("{\n  \"a\": \"x\ny\"}", "ctl.json"));
        assertEquals("ctl.json: malformed JSON at line 2 column 10: unescaped control character U+000A in a string",
                e.getMessage());
    }

    @Test
    void nonObjectWhereAnObjectIsNeededIsNamed() {
        ComfyJsonException e = assertThrows(ComfyJsonException.class, () -> PromptGraph.parse("[1]", "list.json"));
        assertEquals("list.json: expected a JSON object but found an array", e.getMessage());
    }
}
