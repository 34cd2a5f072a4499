package comfy.workbench.ui.servers.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.osgi.framework.FrameworkUtil;

import comfy.workbench.testing.ui.ModelFragments;
import comfy.workbench.ui.servers.internal.ServersPart;

/** The bundle's model fragment loads as the workbench loads it, naming only classes and icons the bundle has. */
class ModelFragmentTest {

    @Test
    void theFragmentLoadsAndEveryClassAndIconItNamesIsInTheBundle() throws Exception {
        List<String> contributions = ModelFragments.check(FrameworkUtil.getBundle(ServersPart.class));
        assertTrue(contributions.stream().anyMatch(c -> c.endsWith(".ServersPart")), contributions.toString());
    }
}
