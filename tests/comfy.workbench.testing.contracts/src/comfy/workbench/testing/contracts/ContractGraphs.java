package comfy.workbench.testing.contracts;

import comfy.workbench.model.api.PromptGraph;
import comfy.workbench.testing.fake.TestPrompts;

/** The graph the contracts put in their jobs: the fake server's quick prompt (a solid image, saved). */
final class ContractGraphs {

    private ContractGraphs() {
    }

    static PromptGraph quick(int color) {
        return PromptGraph.parse(TestPrompts.quick(color, "contract"), "contract graph");
    }
}
