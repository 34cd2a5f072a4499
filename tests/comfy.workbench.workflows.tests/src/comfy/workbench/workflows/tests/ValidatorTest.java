package comfy.workbench.workflows.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;


import comfy.workbench.model.api.ComfyJson;
import comfy.workbench.model.api.PromptGraph;
import comfy.workbench.workflows.api.Finding;
import comfy.workbench.workflows.api.ValidationReport;
import comfy.workbench.workflows.api.WorkflowValidator;
import comfy.workbench.workflows.internal.SchemaValidator;

/** The validator's findings beyond the captured cases: cycles, several unknown classes, bad links, wrong value types. */
class ValidatorTest {

    private final WorkflowValidator validator = new SchemaValidator();

    private ValidationReport validate(String prompt) {
        return validator.validate(ComfyJson.parseObject(prompt, "test"), Fixtures.schema());
    }

    private static String chain(String emptyImageInputs) {
        return "{\"1\":{\"class_type\":\"EmptyImage\",\"inputs\":{" + emptyImageInputs + "}},"
                + "\"2\":{\"class_type\":\"ImageInvert\",\"inputs\":{\"image\":[\"1\",0]}},"
                + "\"3\":{\"class_type\":\"SaveImage\",\"inputs\":{\"images\":[\"2\",0],\"filename_prefix\":\"x\"}}}";
    }

    private static final String GOOD = "\"width\":64,\"height\":64,\"batch_size\":1,\"color\":0";

    @Test
    void aValidPromptHasNoFindings() {
        ValidationReport report = validator.validate(PromptGraph.parse(chain(GOOD), "test"), Fixtures.schema());
        assertTrue(report.valid(), report.describe());
        assertEquals(List.of("3"), report.validOutputs());
        assertTrue(report.toFailure().isEmpty());
        assertTrue(report.findings().isEmpty());
    }

    @Test
    void pythonCoercionAcceptsNumericStringsAndFloatsForInts() {
        ValidationReport report = validate(chain("\"width\":\"64\",\"height\":64.9,\"batch_size\":true,\"color\":0"));
        assertTrue(report.valid(), report.describe());
    }

    @Test
    void everyUnknownClassIsNamed() {
        ValidationReport report = validate("{\"1\":{\"class_type\":\"FancyUpscaler\",\"inputs\":{}},"
                + "\"2\":{\"class_type\":\"SaveImage\",\"inputs\":{\"images\":[\"1\",0]}},"
                + "\"3\":{\"class_type\":\"MagicMask\",\"inputs\":{}, \"_meta\":{\"title\":\"Mask it\"}}}");
        assertEquals("invalid_prompt", report.error().type());
        assertTrue(report.error().message().contains("FancyUpscaler") && report.error().message().contains("MagicMask"),
                report.error().message());
        List<Finding> findings = report.findings();
        assertEquals(List.of("1:FancyUpscaler", "3:MagicMask"),
                findings.stream().map(f -> f.nodeId() + ":" + f.classType()).collect(Collectors.toList()));
        assertTrue(findings.stream().allMatch(f -> f.type().equals("missing_node_type")));
    }

    @Test
    void aCycleIsFoundWithoutRecursingForever() {
        ValidationReport report = validate("{\"1\":{\"class_type\":\"ImageInvert\",\"inputs\":{\"image\":[\"2\",0]}},"
                + "\"2\":{\"class_type\":\"ImageInvert\",\"inputs\":{\"image\":[\"1\",0]}},"
                + "\"3\":{\"class_type\":\"SaveImage\",\"inputs\":{\"images\":[\"2\",0],\"filename_prefix\":\"x\"}}}");
        assertFalse(report.accepted());
        Finding cycle = only(report, "dependency_cycle");
        assertEquals("image", cycle.inputName());
        assertEquals("1", cycle.nodeId());
    }

    @Test
    void aLinkMustBeAPair() {
        ValidationReport report = validate(chain(GOOD).replace("[\"1\",0]", "[\"1\"]"));
        Finding f = only(report, "bad_linked_input");
        assertEquals("2", f.nodeId());
        assertEquals("image", f.inputName());
    }

    @Test
    void aValueOfTheWrongTypeIsInvalidInputType() {
        ValidationReport report = validate(chain("\"width\":{\"a\":1},\"height\":64,\"batch_size\":1,\"color\":0"));
        Finding f = only(report, "invalid_input_type");
        assertEquals("1", f.nodeId());
        assertEquals("EmptyImage", f.classType());
        assertEquals("width", f.inputName());
        assertTrue(f.details().contains("not 'dict'"), f.details());
    }

    @Test
    void floatBoundsAndWrappedLists() {
        ValidationReport report = validate("{\"1\":{\"class_type\":\"EmptyImage\",\"inputs\":{" + GOOD + "}},"
                + "\"2\":{\"class_type\":\"ImageBlur\",\"inputs\":{\"image\":[\"1\",0],\"blur_radius\":1,\"sigma\":0.01}},"
                + "\"3\":{\"class_type\":\"SaveImage\",\"inputs\":{\"images\":[\"2\",0],\"filename_prefix\":{\"__value__\":\"x\"}}}}");
        Finding f = only(report, "value_smaller_than_min");
        assertEquals("sigma", f.inputName());
        assertEquals("Value 0.01 smaller than min of 0.1", f.message());
    }

    @Test
    void aLinkToAMissingNodeIsChargedToTheLinkingNodeWhenItIsAnOutput() {
        ValidationReport report = validate("{\"3\":{\"class_type\":\"SaveImage\",\"inputs\":{\"images\":[\"9\",0],\"filename_prefix\":\"x\"}}}");
        Finding f = only(report, "exception_during_validation");
        assertEquals("3", f.nodeId());
        assertEquals("'9'", f.details());
    }

    @Test
    void aThousandNodeChainValidatesWithoutExhaustingTheStack() {
        StringBuilder b = new StringBuilder("{\"0\":{\"class_type\":\"EmptyImage\",\"inputs\":{" + GOOD + "}}");
        for (int i = 1; i < 999; i++) {
            b.append(",\"").append(i).append("\":{\"class_type\":\"ImageInvert\",\"inputs\":{\"image\":[\"")
                    .append(i - 1).append("\",0]}}");
        }
        b.append(",\"999\":{\"class_type\":\"SaveImage\",\"inputs\":{\"images\":[\"998\",0],\"filename_prefix\":\"x\"}}}");
        ValidationReport report = validate(b.toString());
        assertTrue(report.valid(), report.describe());
        ValidationReport broken = validate(b.toString().replace("\"width\":64", "\"width\":0"));
        Finding f = only(broken, "value_smaller_than_min");
        assertEquals("0", f.nodeId());
        assertEquals(List.of("999"), broken.nodeErrors().get("0").dependentOutputs());
    }

    private static Finding only(ValidationReport report, String type) {
        List<Finding> found = report.findings().stream().filter(f -> f.type().equals(type)).collect(Collectors.toList());
        assertEquals(1, found.size(), report.describe());
        return found.get(0);
    }

}
