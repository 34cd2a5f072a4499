package comfy.workbench.workflows.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

import comfy.workbench.model.api.ComfyJson;
import comfy.workbench.workflows.api.ValidationReport;
import comfy.workbench.workflows.api.Workflow;
import comfy.workbench.workflows.api.WorkflowCodec;
import comfy.workbench.workflows.api.WorkflowException;
import comfy.workbench.workflows.api.WorkflowException.Kind;
import comfy.workbench.workflows.internal.DefaultWorkflowCodec;
import comfy.workbench.workflows.internal.SchemaValidator;

/**
 * No input makes the codec or the validator throw anything but a {@link WorkflowException}: every cut and
 * every flipped byte of the server's PNG, and seeded random damage to a UI workflow and an API prompt.
 */
class RobustnessTest {

    private final WorkflowCodec codec = new DefaultWorkflowCodec();

    @Test
    void everyCutAndEveryFlippedByteOfThePngIsCorrupt() {
        byte[] png = Fixtures.bytes("files/11_output_peer_extra_00001_.png");
        for (int cut = 1; cut < png.length; cut++) {
            byte[] part = Arrays.copyOf(png, cut);
            assertEquals(Kind.CORRUPT_FILE, assertThrows(WorkflowException.class, () -> codec.read(part, "cut", null),
                    "cut at " + cut).kind(), "cut at " + cut);
        }
        for (int i = 0; i < png.length; i++) {
            byte[] flipped = png.clone();
            flipped[i] ^= 0x24;
            int at = i;
            WorkflowException e = assertThrows(WorkflowException.class, () -> codec.read(flipped, "flip", null),
                    "flip at " + at);
            assertEquals(Kind.CORRUPT_FILE, e.kind(), "flip at " + i + ": " + e.getMessage());
        }
    }

    @Test
    void damagedUiWorkflowsFailTyped() {
        JsonObject original = ComfyJson.parseObject(UiConversionTest.WORKFLOW, "ui");
        JsonObject subgraph = ComfyJson.parseObject(UiConversionTest.SUBGRAPH, "sub");
        JsonObject getSet = ComfyJson.parseObject(UiConversionTest.GET_SET, "getset");
        Random random = new Random(20261128);
        for (int round = 0; round < 3000; round++) {
            JsonObject damaged = (round % 3 == 0 ? original : round % 3 == 1 ? subgraph : getSet).deepCopy();
            for (int k = 0; k <= random.nextInt(3); k++) {
                damage(damaged, random);
            }
            byte[] bytes = ComfyJson.write(damaged).getBytes(StandardCharsets.UTF_8);
            try {
                Workflow w = codec.read(bytes, "round " + round, Fixtures.schema());
                ValidationReport report = new SchemaValidator().validate(w.prompt(), Fixtures.schema());
                report.findings();
                report.toFailure();
            } catch (WorkflowException expected) {
                // typed: fine
            } catch (RuntimeException e) {
                throw new AssertionError("round " + round + ": " + e + " on " + ComfyJson.write(damaged), e);
            }
        }
    }

    @Test
    void damagedPromptsValidateWithoutRawExceptions() {
        JsonObject original = ComfyJson.parseObject("{\"1\":{\"class_type\":\"EmptyImage\",\"inputs\":{\"width\":64,"
                + "\"height\":64,\"batch_size\":1,\"color\":0}},\"2\":{\"class_type\":\"ImageScale\",\"inputs\":{"
                + "\"image\":[\"1\",0],\"upscale_method\":\"area\",\"width\":8,\"height\":8,\"crop\":\"center\"}},"
                + "\"3\":{\"class_type\":\"SaveImage\",\"inputs\":{\"images\":[\"2\",0],\"filename_prefix\":\"x\"}}}", "p");
        Random random = new Random(7);
        for (int round = 0; round < 3000; round++) {
            JsonObject damaged = original.deepCopy();
            for (int k = 0; k <= random.nextInt(3); k++) {
                damage(damaged, random);
            }
            try {
                ValidationReport report = new SchemaValidator().validate(damaged, Fixtures.schema());
                report.findings();
                report.describe();
                codec.read(ComfyJson.write(damaged).getBytes(StandardCharsets.UTF_8), "round " + round, null);
            } catch (WorkflowException expected) {
                // typed: fine
            } catch (RuntimeException e) {
                throw new AssertionError("round " + round + ": " + e + " on " + ComfyJson.write(damaged), e);
            }
        }
    }

    /** Replaces one random element somewhere in the tree with a random value. */
    private static void damage(JsonElement root, Random random) {
        List<Runnable> edits = new ArrayList<>();
        collect(root, random, edits);
        if (!edits.isEmpty()) {
            edits.get(random.nextInt(edits.size())).run();
        }
    }

    private static void collect(JsonElement e, Random random, List<Runnable> edits) {
        if (e.isJsonObject()) {
            JsonObject o = e.getAsJsonObject();
            for (Map.Entry<String, JsonElement> entry : new ArrayList<>(o.entrySet())) {
                String key = entry.getKey();
                edits.add(() -> o.add(key, junk(random)));
                edits.add(() -> o.remove(key));
                collect(entry.getValue(), random, edits);
            }
        } else if (e.isJsonArray()) {
            JsonArray a = e.getAsJsonArray();
            for (int i = 0; i < a.size(); i++) {
                int index = i;
                edits.add(() -> a.set(index, junk(random)));
                collect(a.get(i), random, edits);
            }
            edits.add(() -> a.add(junk(random)));
        }
    }

    private static JsonElement junk(Random random) {
        switch (random.nextInt(11)) {
        case 9:
            return new JsonPrimitive(new java.math.BigDecimal("1e999999999"));
        case 10:
            return new JsonPrimitive(Double.NaN);
        case 0:
            return JsonNull.INSTANCE;
        case 1:
            return new JsonPrimitive(random.nextInt(20) - 10);
        case 2:
            return new JsonPrimitive(-10);
        case 3:
            return new JsonPrimitive("x" + random.nextInt(3));
        case 4:
            return new JsonArray();
        case 5:
            return new JsonObject();
        case 6:
            return new JsonPrimitive(1.5);
        case 7:
            return new JsonPrimitive(true);
        default:
            JsonArray link = new JsonArray();
            link.add(String.valueOf(random.nextInt(12)));
            link.add(random.nextInt(3));
            return link;
        }
    }
}
