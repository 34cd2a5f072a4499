package comfy.workbench.templates.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import comfy.workbench.templates.api.Binding;
import comfy.workbench.templates.api.Parameter;
import comfy.workbench.templates.api.ParameterType;
import comfy.workbench.templates.api.SweepAxis;

/** How a typed text becomes one value or a sweep, the same in the Templates view and on the command line. */
class SweepTextTest {

    private static Parameter of(ParameterType type, List<String> options) {
        return new Parameter("p", "P", type, null, null, null, options, false, null, List.of(new Binding("1", "x")));
    }

    @Test
    void numbersAndOptionsAreSeparatedByCommas() {
        assertEquals(List.of("20", "30", "40"), SweepAxis.split(of(ParameterType.INT, List.of()), "20, 30,40"));
        assertEquals(List.of("7.5"), SweepAxis.split(of(ParameterType.FLOAT, List.of()), " 7.5 "));
        assertEquals(List.of("euler", "dpmpp_2m"),
                SweepAxis.split(of(ParameterType.COMBO, List.of("euler", "dpmpp_2m")), "euler, dpmpp_2m"));
        // an option whose own name has a comma is one value
        assertEquals(List.of("a, b"), SweepAxis.split(of(ParameterType.COMBO, List.of("a, b", "c")), "a, b"));
        assertEquals(", ", SweepAxis.separator(ParameterType.INT));
    }

    @Test
    void textAndFilesAreSeparatedByBarsOutsideBraces() {
        Parameter prompt = of(ParameterType.STRING, List.of());
        assertEquals(List.of("a cat, sunset", "a dog, dawn"), SweepAxis.split(prompt, "a cat, sunset | a dog, dawn"));
        assertEquals(List.of(" a cat, sunset "), SweepAxis.split(prompt, " a cat, sunset "), "one text is kept as typed");
        assertEquals(List.of("{red|blue} car", "a boat"), SweepAxis.split(prompt, "{red|blue} car | a boat"),
                "wildcard braces keep their bars");
        assertEquals(List.of("/a.png", "/b, c.png"), SweepAxis.split(of(ParameterType.IMAGE, List.of()), "/a.png|/b, c.png"));
        assertEquals(" | ", SweepAxis.separator(ParameterType.STRING));
        assertEquals(List.of("true,false"), SweepAxis.split(of(ParameterType.BOOLEAN, List.of()), "true,false"));
    }
}
