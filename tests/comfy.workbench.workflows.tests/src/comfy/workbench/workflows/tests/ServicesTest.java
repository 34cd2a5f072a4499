package comfy.workbench.workflows.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import comfy.workbench.testing.osgi.Osgi;
import comfy.workbench.workflows.api.Workflow;
import comfy.workbench.workflows.api.WorkflowCodec;
import comfy.workbench.workflows.api.WorkflowValidator;

/** The validator and the codec as the CLI and the UI get them: DS services. */
class ServicesTest {

    @Test
    void bothServicesAreRegisteredAndWork() {
        WorkflowCodec codec = Osgi.service(WorkflowCodec.class);
        WorkflowValidator validator = Osgi.service(WorkflowValidator.class);
        Workflow w = codec.read(Fixtures.bytes("files/11_output_peer_extra_00001_.png"), "11.png", null);
        assertEquals(3, w.prompt().size());
        assertTrue(validator.validate(w.prompt(), Fixtures.schema()).valid());
        assertFalse(validator.validate(codec.readApi("{\"1\":{\"class_type\":\"EmptyImage\",\"inputs\":{}}}", "x").prompt(),
                Fixtures.schema()).accepted());
    }
}
