package comfy.workbench.example.renderlog.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.osgi.framework.FrameworkUtil;

import comfy.workbench.example.renderlog.ui.internal.RenderLogPart;
import comfy.workbench.testing.ui.ModelFragments;

/** The extension's model fragment loads as the workbench loads it, naming only classes the bundle has. */
class ModelFragmentTest {

    @Test
    void theFragmentLoadsAndEveryClassItNamesIsInTheBundle() throws Exception {
        List<String> contributions = ModelFragments.check(FrameworkUtil.getBundle(RenderLogPart.class));
        String part = "bundleclass://comfy.workbench.example.renderlog.ui/" + RenderLogPart.class.getName();
        // the part in the bottom stack, and its descriptor in the application's, for showing it again
        assertEquals(List.of(part, part), contributions);
    }
}
